"""Subcommands for results: ratings, report (PDF), export csv|xlsx, reviews import (case
assessments in bulk)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fieldwork.commands.common import open_store, out
from fieldwork.core.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ratings", help="key-question results and ratings (a table, or --json)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="the JSON of docs/ratings-json.md")
    p.set_defaults(func=cmd_ratings)

    p = sub.add_parser("report", help="write the draft findings PDF (or one case assessment)")
    p.add_argument("file")
    p.add_argument("out", metavar="OUT.pdf")
    p.add_argument("--case", metavar="CASE_REF", help="one case assessment, for quality assurance")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "export",
        help="export the data as CSV files or an XLSX workbook, or the coded interviews "
        "for QDA software (REFI-QDA .qdpx project, .qdc codebook)",
    )
    p.add_argument("format", choices=("csv", "xlsx", "qdpx", "qdc"))
    p.add_argument("file")
    p.add_argument(
        "out", help="a folder for csv, a .xlsx file for xlsx, a .qdpx or .qdc file for those"
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("reviews", help="case assessments in bulk (the wide cases.csv)")
    reviews_sub = p.add_subparsers(dest="reviews_command", required=True)
    imp = reviews_sub.add_parser("import", help="import case assessments from a wide cases.csv")
    imp.add_argument("file")
    imp.add_argument("csv")
    imp.set_defaults(func=cmd_reviews_import)


def cmd_ratings(args: argparse.Namespace) -> int:
    from fieldwork.core.ratings_view import ratings_json, ratings_table
    from fieldwork.core.scoring import score_store

    store = open_store(args.file, readonly=True, check=False)
    try:
        ratings = score_store(store)
    finally:
        store.close()
    if args.json:
        out(json.dumps(ratings_json(ratings), ensure_ascii=False, indent=1))
    else:
        out(ratings_table(ratings))
    return 0


def _pdf_path(text: str) -> Path:
    path = Path(text)
    if path.is_dir():
        raise UserError(f"{path} is a folder: give the name of the PDF to write.")
    if path.suffix.lower() != ".pdf":
        raise UserError(f"{path}: the report is a PDF, so OUT must end in .pdf.")
    return path


def cmd_report(args: argparse.Namespace) -> int:
    path = _pdf_path(args.out)
    store = open_store(args.file, readonly=True, check=False)
    try:
        if args.case:
            from fieldwork.core.report.case_pdf import gather_case, render_case

            render_case(gather_case(store, args.case), path)
            sys.stderr.write(
                f"warning: {path.name} contains case reference {args.case}: "
                "keep it OFFICIAL-SENSITIVE\n"
            )
        else:
            from fieldwork.core.report import gather, render

            render(gather(store), path)
    finally:
        store.close()
    out(str(path))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from fieldwork.core.io import exports

    if args.format in ("qdpx", "qdc"):
        return _export_refi(args)

    store = open_store(args.file, readonly=True, check=False)
    try:
        if args.format == "csv":
            written = exports.export_csv(store, args.out)
            target = str(Path(args.out))
        else:
            written = [exports.export_xlsx(store, args.out)]
            target = str(written[0])
    finally:
        store.close()
    sys.stderr.write(exports.CASE_REF_WARNING + "\n")
    out(target if args.format == "xlsx" else f"{target} ({len(written)} files)")
    return 0


def _export_refi(args: argparse.Namespace) -> int:
    from fieldwork.core.io import exports, qdpx

    store = open_store(args.file, readonly=True, check=False)
    try:
        if args.format == "qdc":
            codes = qdpx.export_qdc(store, args.out)
            line = f"{args.out}: {sum(len(c.children) for c in codes)} codes"
        else:
            project = qdpx.export_qdpx(store, args.out)
            quotes = sum(len(s.selections) for s in project.sources)
            n_codes = sum(len(c.children) for c in project.codes)
            line = (
                f"{args.out}: {len(project.sources)} interviews, {quotes} quotes, "
                f"{n_codes} codes, {len(project.notes)} findings"
            )
            for what in project.left_out:
                sys.stderr.write(f"left out: {what}\n")
    finally:
        store.close()
    sys.stderr.write(exports.CASE_REF_WARNING + "\n")
    out(line)
    return 0


def cmd_reviews_import(args: argparse.Namespace) -> int:
    from fieldwork.core.io.reviews_import import import_reviews

    store = open_store(args.file)
    try:
        result = import_reviews(store, args.csv)
    finally:
        store.close()
    out(
        f"{result.created} cases created, {result.updated} updated, "
        f"{result.answers_written} answers written"
    )
    return 0
