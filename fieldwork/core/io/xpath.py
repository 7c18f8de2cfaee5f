"""XLSForm's XPath expressions to and from our expression language (forms/README.md).

Our language is, by design, the part of XLSForm's XPath dialect that forms need:
`${x}`, `.`, literals, comparisons, `and`/`or`/`not()`, arithmetic, and a short list
of functions. So translating is a check plus a renaming: every token must be one our
language has with the same meaning, and every `${name}` becomes the id of the question
it names (XLSForm names cannot hold ids such as `2.1.1a`). The rest of the text is kept
as written. Anything else (paths such as `/data/x` or `../x`, predicates, unions, and
functions we lack such as `regex()` or `jr:choice-name()`) is refused in one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from fieldwork.core.forms import expressions as ex

# Functions with the same name, arguments and meaning in both languages.
FUNCTIONS = frozenset(ex.FUNCTIONS)
_OPERATOR_WORDS = frozenset({"and", "or", "div", "mod"})

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<path>//|/|\.\.|\[|\]|\||@|::)
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<dot>\.)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?)
    """,
    re.VERBOSE,
)


class XPathRefused(ValueError):
    """An expression with no equivalent in our language; str() is the reason."""


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int
    name: str = ""


def _tokens(text: str) -> Iterator[_Tok]:
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            if ch in "'\"":
                raise XPathRefused("a text in quotes is never closed")
            if text.startswith("${", pos):
                raise XPathRefused("a ${ is never closed")
            raise XPathRefused(f"{ch!r} is not part of an expression we can read")
        kind = m.lastgroup or ""
        if kind != "space":
            yield _Tok(kind, m.group(0), m.start(), m.end(), m.group("refname") or "")
        pos = m.end()


def rename(text: str, new_name: Callable[[str], str]) -> str:
    """`text` with every `${name}` replaced by `${new_name(name)}`, all else kept."""
    parts, last = [], 0
    for tok in _tokens(text):
        if tok.kind == "ref":
            parts += [text[last : tok.start], "${", new_name(tok.name), "}"]
            last = tok.end
    return "".join(parts) + text[last:]


def translate(text: str, ids: Mapping[str, str], skipped: Mapping[str, str] | None = None) -> str:
    """An XLSForm expression in our language, with `${name}` turned into `${id}`.

    `ids` maps XLSForm names to our question ids; `skipped` maps names of rows that
    were left out to why (a note, a metadata field), for a clearer refusal.
    Raises XPathRefused naming the first feature we do not have.
    """
    if not isinstance(text, str) or not text.strip():
        raise XPathRefused("the expression is empty")
    if len(text) > ex.MAX_LENGTH:
        raise XPathRefused(f"the expression is longer than {ex.MAX_LENGTH:,} characters")
    toks: list[_Tok] = []
    unreadable = None
    try:
        toks.extend(_tokens(text))
    except XPathRefused as exc:  # report an earlier problem first, if there is one
        unreadable = exc
    for i, tok in enumerate(toks):
        after = toks[i + 1] if i + 1 < len(toks) else None
        if tok.kind == "path":
            raise XPathRefused(
                f"paths and predicates ({tok.text}) are not supported: use ${{name}}"
            )
        if tok.kind == "word":
            calls = after is not None and after.text == "("
            if tok.text in _OPERATOR_WORDS and not calls:
                continue
            if not calls:
                raise XPathRefused(
                    f"{tok.text!r} is a bare name (an XPath path), which is not supported: "
                    "write ${name} for a question"
                )
            if tok.text not in FUNCTIONS:
                raise XPathRefused(f"{tok.text}() is not supported")
        if tok.kind == "ref" and tok.name not in ids:
            why = (skipped or {}).get(tok.name)
            if why:
                raise XPathRefused(f"${{{tok.name}}} refers to {why}, which was not imported")
            raise XPathRefused(f"${{{tok.name}}} is not a question of this form")
    if unreadable is not None:
        raise unreadable
    out = rename(text, lambda name: ids[name])
    try:
        ex.parse(out)
    except ex.ExpressionError as exc:
        raise XPathRefused(f"not an expression we can read: {exc}") from None
    return out


def to_xlsform(text: str, names: Mapping[str, str]) -> str:
    """One of our expressions in XLSForm's dialect: only the question names change."""
    return rename(text, lambda qid: names.get(qid, qid))
