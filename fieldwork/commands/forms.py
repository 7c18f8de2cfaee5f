"""Subcommands on form definitions: forms import (XLSForm to YAML), forms export (to XLSForm)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldwork.commands.common import out
from fieldwork.core.errors import UserError
from fieldwork.core.forms.named import load_named_form, summary


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forms", help="forms in XLSForm (ODK, KoboToolbox, Survey123) and back")
    forms_sub = p.add_subparsers(dest="forms_command", required=True)
    imp = forms_sub.add_parser("import", help="turn an XLSForm workbook into one of our forms")
    imp.add_argument("source", metavar="SOURCE.xlsx")
    imp.add_argument("out", metavar="OUT.yaml")
    imp.set_defaults(func=cmd_forms_import)
    exp = forms_sub.add_parser("export", help="write a shipped or imported form as XLSForm")
    exp.add_argument("form", metavar="FORM", help="a shipped form's id, or a form file (.yaml)")
    exp.add_argument("out", metavar="OUT.xlsx")
    exp.set_defaults(func=cmd_forms_export)


def cmd_forms_import(args: argparse.Namespace) -> int:
    from fieldwork.core import files
    from fieldwork.core.io.xlsform_read import import_xlsform

    target = Path(args.out)
    if target.is_dir():
        raise UserError(f"{target} is a folder: give the name of the .yaml file to write.")
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"{target}: a form is a YAML file, so OUT must end in .yaml.")
    if not target.resolve().parent.is_dir():
        raise UserError(f"No such folder: {target.resolve().parent}")
    result = import_xlsform(args.source, str(target))
    for line in result.warnings:
        sys.stderr.write(f"warning: {line}\n")
    files.write_bytes(target, result.yaml.encode("utf-8"), mode=0o644)
    out(f"{target}: {summary(result.form)}")
    return 0


def cmd_forms_export(args: argparse.Namespace) -> int:
    from fieldwork.core.io.xlsform_write import export_xlsform

    form = load_named_form(args.form)
    path = export_xlsform(form, args.out)
    out(f"{path}: {summary(form)}")
    return 0
