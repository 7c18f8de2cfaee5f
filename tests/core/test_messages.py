"""Core and the app speak in the user's words: no message names a command-line flag.

The command line adds the flag itself, from the error's `needs` (cli.FLAGS)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from fieldwork.cli import FLAGS
from fieldwork.core.errors import FieldworkError

PACKAGE = Path(__file__).resolve().parents[2] / "fieldwork"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _strings(tree: ast.AST) -> list[ast.Constant]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


@pytest.mark.parametrize("layer", ["core", "ui"])
def test_no_message_in_core_or_the_app_names_a_flag(layer: str) -> None:
    offenders = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for node in _strings(ast.parse(path.read_text("utf-8"))):
            if FLAG.search(node.value):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert offenders == []


def test_every_need_core_raises_has_a_flag_on_the_command_line() -> None:
    needs = set()
    for path in (PACKAGE / "core").rglob("*.py"):
        needs |= set(re.findall(r"needs=\"(\w+)\"", path.read_text("utf-8")))
    assert needs and needs <= set(FLAGS)


def test_an_error_without_needs_gets_no_flag() -> None:
    assert FieldworkError("one line").needs is None
