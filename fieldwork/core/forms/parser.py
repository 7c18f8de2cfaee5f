"""Tokenizer and recursive-descent parser for form expressions (see expressions.py).

Builds a small tree of frozen nodes. Length, nesting depth and number size are capped
here, so hostile text fails fast with ExpressionError and never reaches Python's own
parser or recursion limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MAX_LENGTH = 2000
MAX_DEPTH = 50
MAX_NUMBER_CHARS = 40


class ExpressionError(ValueError):
    """A bad expression or a failed evaluation; `position` is a 0-based offset when known.

    `kind` is 'syntax' (cannot be parsed), 'type' (values of the wrong type meet) or
    'value' (e.g. division by zero, a number too large); form loading refuses the first two.
    """

    def __init__(self, message: str, position: int | None = None, kind: str = "syntax") -> None:
        where = f" at position {position}" if position is not None else ""
        super().__init__(f"{message}{where}")
        self.position = position
        self.kind = kind


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    pass


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Negate:
    operand: Expr


@dataclass(frozen=True)
class Chain:
    """Operands joined by operators of one precedence level, applied left to right.

    Kept flat (not a left-deep binary tree) so `1+1+...+1` never recurses deeply.
    """

    first: Expr
    rest: tuple[tuple[str, Expr], ...]


Expr = Literal | Ref | Current | Call | Negate | Chain

# Lowest precedence first; each level is left-associative.
_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"or"}),
    frozenset({"and"}),
    frozenset({"=", "!="}),
    frozenset({"<", "<=", ">", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "div", "mod"}),
)
_WORD_OPERATORS = frozenset({"or", "and", "div", "mod"})

# name -> (min args, max args or None for any number)
_ARITY: dict[str, tuple[int, int | None]] = {
    "true": (0, 0),
    "false": (0, 0),
    "today": (0, 0),
    "not": (1, 1),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "if": (3, 3),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "concat": (1, None),
    "coalesce": (2, None),
    "number": (1, 1),
    "string": (1, 1),
}
FUNCTIONS = frozenset(_ARITY)

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<dot>\.)
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
    """,
    re.VERBOSE,
)
_NAME = re.compile(r"[A-Za-z0-9_.\-/]+")


@dataclass(frozen=True)
class _Token:
    kind: str  # ref, number, string, op, dot, word, end
    text: str
    pos: int


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos] in "'\"":
                raise ExpressionError("unterminated string", pos)
            if text.startswith("${", pos):
                raise ExpressionError("unterminated ${", pos)
            raise ExpressionError(f"unexpected {text[pos]!r}", pos)
        kind = m.lastgroup or ""
        if kind == "ref":
            name = m.group("refname")
            if not _NAME.fullmatch(name):
                raise ExpressionError(f"bad question reference {m.group(0)!r}", pos)
            out.append(_Token("ref", name, pos))
        elif kind == "number":
            if len(m.group(0)) > MAX_NUMBER_CHARS:
                raise ExpressionError("number too long", pos)
            out.append(_Token("number", m.group(0), pos))
        elif kind != "space":
            out.append(_Token(kind, m.group(0), pos))
        pos = m.end()
    out.append(_Token("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text or tok.kind not in ("op", "word"):
            found = repr(tok.text) if tok.kind != "end" else "the end"
            raise ExpressionError(f"expected {text!r} but found {found}", tok.pos)

    def nest(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested more than {MAX_DEPTH} deep", pos)

    def is_operator(self, tok: _Token, level: frozenset[str]) -> bool:
        if tok.kind == "op" or (tok.kind == "word" and tok.text in _WORD_OPERATORS):
            return tok.text in level
        return False

    def level(self, n: int) -> Expr:
        if n == len(_LEVELS):
            return self.unary()
        first = self.level(n + 1)
        rest: list[tuple[str, Expr]] = []
        while self.is_operator(self.peek(), _LEVELS[n]):
            op = self.take().text
            rest.append((op, self.level(n + 1)))
        return Chain(first, tuple(rest)) if rest else first

    def unary(self) -> Expr:
        tok = self.peek()
        if tok.kind == "op" and tok.text == "-":
            self.take()
            self.nest(tok.pos)
            operand = self.unary()
            self.depth -= 1
            return Negate(operand)
        return self.primary()

    def primary(self) -> Expr:
        tok = self.take()
        if tok.kind == "ref":
            return Ref(tok.text)
        if tok.kind == "dot":
            return Current()
        if tok.kind == "string":
            return Literal(tok.text[1:-1])
        if tok.kind == "number":
            return Literal(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "op" and tok.text == "(":
            self.nest(tok.pos)
            inner = self.level(0)
            self.expect(")")
            self.depth -= 1
            return inner
        if tok.kind == "word":
            return self.call(tok)
        found = repr(tok.text) if tok.kind != "end" else "end of expression"
        raise ExpressionError(f"unexpected {found}", tok.pos)

    def call(self, tok: _Token) -> Expr:
        if self.peek().kind != "op" or self.peek().text != "(":
            raise ExpressionError(
                f"unknown name {tok.text!r} (write ${{{tok.text}}} for a question)", tok.pos
            )
        if tok.text not in _ARITY:
            raise ExpressionError(f"unknown function {tok.text}()", tok.pos)
        self.take()
        self.nest(tok.pos)
        args: list[Expr] = []
        if self.peek().text != ")":
            args.append(self.level(0))
            while self.peek().text == ",":
                self.take()
                args.append(self.level(0))
        self.expect(")")
        self.depth -= 1
        low, high = _ARITY[tok.text]
        if len(args) < low or (high is not None and len(args) > high):
            raise ExpressionError(f"{tok.text}() takes {_arity_text(low, high)}", tok.pos)
        return Call(tok.text, tuple(args))


def _arity_text(low: int, high: int | None) -> str:
    if high is None:
        return f"at least {low} argument{'s' if low != 1 else ''}"
    if low == high:
        return f"{low} argument{'s' if low != 1 else ''}"
    return f"{low} to {high} arguments"  # pragma: no cover - no such function yet


@lru_cache(maxsize=2048)
def _parse_cached(text: str) -> Expr:
    parser = _Parser(text)
    if parser.peek().kind == "end":
        raise ExpressionError("empty expression", 0)
    expr = parser.level(0)
    tok = parser.peek()
    if tok.kind != "end":
        raise ExpressionError(f"unexpected {tok.text!r}", tok.pos)
    return expr


def parse(text: str) -> Expr:
    """Parse expression text into a tree; raise ExpressionError naming the position."""
    if not isinstance(text, str):
        raise ExpressionError("expression must be text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    try:
        return _parse_cached(text)
    except RecursionError:  # pragma: no cover - the depth limit stops this first
        raise ExpressionError("expression nested too deeply") from None


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of the tree, parents before children."""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Call):
            stack.extend(reversed(node.args))
        elif isinstance(node, Negate):
            stack.append(node.operand)
        elif isinstance(node, Chain):
            stack.extend(reversed([e for _, e in node.rest]))
            stack.append(node.first)
