"""Safe evaluator for the XLSForm-like expressions in forms (relevant, constraint, calculate).

Form files come from other laptops inside bundles, so expression text is hostile input:
a hand-written recursive-descent parser builds a small tree of frozen nodes and a tree
walker evaluates it. Nothing here ever hands user text to eval, exec or compile, and
nothing but ExpressionError escapes parse() or evaluate().
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from fieldwork.core.forms.parser import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    Call,
    Chain,
    Current,
    Expr,
    ExpressionError,
    Literal,
    Negate,
    Ref,
    parse,
    walk,
)

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "Call",
    "Chain",
    "Current",
    "Expr",
    "ExpressionError",
    "Literal",
    "Negate",
    "Ref",
    "evaluate",
    "names",
    "parse",
    "truthy",
    "uses_current",
    "walk",
]

# Results beyond these are refused rather than carried on: they are never meaningful in a
# form and huge ints would make str() fail (Python limits int-to-str conversions).
MAX_MAGNITUDE = 10**15
MAX_STRING = 1_000_000


def _tree(expr: str | Expr) -> Expr:
    return parse(expr) if isinstance(expr, str) else expr


def names(expr: str | Expr) -> set[str]:
    """The question ids referenced as ${id}."""
    return {node.name for node in walk(_tree(expr)) if isinstance(node, Ref)}


def uses_current(expr: str | Expr) -> bool:
    """True when the expression reads '.', the value of the question it belongs to."""
    return any(isinstance(node, Current) for node in walk(_tree(expr)))


def evaluate(expr: str | Expr, values: Mapping[str, Any], current: Any = None) -> Any:
    """Evaluate against answers (question id -> value, None or absent when unanswered)."""
    try:
        return _Evaluator(values, current).eval(_tree(expr))
    except ExpressionError:
        raise
    except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:
        raise ExpressionError(f"cannot evaluate: {exc}", kind="value") from None


# --- evaluation -------------------------------------------------------------------------


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _kind(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return "a true/false value"
    if _is_number(v):
        return "a number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, list | tuple):
        return "a list of choices"
    return type(v).__name__


def truthy(v: Any) -> bool:
    """XPath-like boolean value: unanswered, '', 0 and no choices are false."""
    if v is None:
        return False
    if isinstance(v, float) and math.isnan(v):
        return False
    if isinstance(v, list | tuple):
        return bool(_choices(v))
    if isinstance(v, bool | int | float | str):
        return bool(v)
    raise ExpressionError(f"cannot use {_kind(v)} as true/false", kind="type")


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    if _is_number(v):
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
    if isinstance(v, list | tuple) and all(isinstance(x, str) for x in v):
        return " ".join(v)
    raise ExpressionError(f"cannot use {_kind(v)} as text", kind="type")


def _choices(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return v.split()
    if isinstance(v, list | tuple) and all(isinstance(x, str) for x in v):
        return list(v)
    raise ExpressionError(f"expected choices but found {_kind(v)}", kind="type")


def _checked(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        raise ExpressionError("result is not a finite number", kind="value")
    if _is_number(v) and abs(v) > MAX_MAGNITUDE:
        raise ExpressionError("number too large", kind="value")
    if isinstance(v, str) and len(v) > MAX_STRING:
        raise ExpressionError("text too long", kind="value")
    return v


def _arith(op: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None  # like NaN in XLSForm: an unanswered number makes the result unknown
    if not (_is_number(a) and _is_number(b)):
        raise ExpressionError(f"cannot use {op} on {_kind(a)} and {_kind(b)}", kind="type")
    if op == "+":
        return _checked(a + b)
    if op == "-":
        return _checked(a - b)
    if op == "*":
        return _checked(a * b)
    if b == 0:
        raise ExpressionError(f"{op} by zero", kind="value")
    if op == "div":
        return _checked(
            a // b if isinstance(a, int) and isinstance(b, int) and a % b == 0 else a / b
        )
    if isinstance(a, float) or isinstance(b, float):
        return _checked(math.fmod(a, b))
    # XPath mod keeps the sign of the dividend, unlike Python's %
    rest = abs(a) % abs(b)
    return -rest if a < 0 else rest


def _compare(op: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        # Unanswered equals only the empty string (and another unanswered value); every other
        # comparison with it is false, so skip logic stays closed until the answer is given.
        if op in ("=", "!="):
            other = b if a is None else a
            if other is None or other == "":
                return op == "="
        return False
    if op in ("=", "!="):
        # XLSForm compares a multiple choice answer as its space-separated ids
        a = _text(a) if isinstance(a, list | tuple) else a
        b = _text(b) if isinstance(b, list | tuple) else b
        if isinstance(a, bool) or isinstance(b, bool):
            same = truthy(a) == truthy(b)
        elif _is_number(a) and _is_number(b) or isinstance(a, str) and isinstance(b, str):
            same = a == b
        else:
            raise ExpressionError(f"cannot compare {_kind(a)} with {_kind(b)}", kind="type")
        return same if op == "=" else not same
    if not (_is_number(a) and _is_number(b) or isinstance(a, str) and isinstance(b, str)):
        raise ExpressionError(f"cannot compare {_kind(a)} with {_kind(b)} using {op}", kind="type")
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def _to_number(v: Any) -> Any:
    if v is None or _is_number(v):
        return v
    if isinstance(v, str):
        if re.fullmatch(r"\s*-?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})\s*", v):
            return _checked(float(v) if "." in v else int(v))
        return None
    raise ExpressionError(f"cannot convert {_kind(v)} to a number", kind="type")


class _Evaluator:
    def __init__(self, values: Mapping[str, Any], current: Any) -> None:
        self.values = values
        self.current = current
        self.functions: dict[str, Callable[[tuple[Expr, ...]], Any]] = {
            "true": lambda a: True,
            "false": lambda a: False,
            "today": lambda a: datetime.date.today().isoformat(),
            "not": lambda a: not truthy(self.eval(a[0])),
            "if": lambda a: self.eval(a[1]) if truthy(self.eval(a[0])) else self.eval(a[2]),
            "selected": self._selected,
            "count-selected": lambda a: len(_choices(self.eval(a[0]))),
            "string-length": lambda a: len(_text(self.eval(a[0]))),
            "contains": lambda a: _text(self.eval(a[1])) in _text(self.eval(a[0])),
            "starts-with": lambda a: _text(self.eval(a[0])).startswith(_text(self.eval(a[1]))),
            "concat": lambda a: _checked("".join(_text(self.eval(x)) for x in a)),
            "coalesce": self._coalesce,
            "number": lambda a: _to_number(self.eval(a[0])),
            "string": lambda a: _text(self.eval(a[0])),
        }

    def _selected(self, args: tuple[Expr, ...]) -> bool:
        choice = self.eval(args[1])
        if not isinstance(choice, str):
            raise ExpressionError(f"selected() needs a choice id, not {_kind(choice)}", kind="type")
        return choice in _choices(self.eval(args[0]))

    def _coalesce(self, args: tuple[Expr, ...]) -> Any:
        for arg in args:
            v = self.eval(arg)
            if v is not None and v != "" and v != [] and v != ():
                return v
        return None

    def eval(self, node: Expr) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Ref):
            return self.values.get(node.name)
        if isinstance(node, Current):
            return self.current
        if isinstance(node, Call):
            return self.functions[node.name](node.args)
        if isinstance(node, Negate):
            v = self.eval(node.operand)
            if v is None:
                return None
            if not _is_number(v):
                raise ExpressionError(f"cannot negate {_kind(v)}", kind="type")
            return -v
        return self._chain(node)

    def _chain(self, node: Chain) -> Any:
        value = self.eval(node.first)
        for op, operand in node.rest:
            if op == "and":
                # short-circuit keeps `${x} != '' and ${x} > 3` safe
                value = truthy(value) and truthy(self.eval(operand))
            elif op == "or":
                value = truthy(value) or truthy(self.eval(operand))
            elif op in ("+", "-", "*", "div", "mod"):
                value = _arith(op, value, self.eval(operand))
            else:
                value = _compare(op, value, self.eval(operand))
        return value
