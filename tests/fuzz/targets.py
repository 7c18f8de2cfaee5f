"""Fuzz targets: each feeds arbitrary bytes to one input parser of ours.

A target may only ever raise one of the project's own error types (FieldworkError,
and ValueError subclasses that are ours: FormError, ExpressionError); anything else
escaping is a bug. Used by the hypothesis smoke test in `make test` and by atheris
(or hypothesis at length) in `make soak`.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from fieldwork.core.errors import FieldworkError
from fieldwork.core.forms import expressions
from fieldwork.core.forms import loader as forms
from fieldwork.core.io import case_sample, reviews_import
from fieldwork.core.storage.store import Store

OURS: tuple[type[BaseException], ...] = (
    FieldworkError,
    forms.FormError,
    expressions.ExpressionError,
)


class Context:
    """One real inspection file and a scratch folder shared by every run of a target."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or Path(tempfile.mkdtemp(prefix="fieldwork-fuzz-"))
        self.store = Store.create(
            self.folder / "fuzz.fieldwork",
            name="Fuzz",
            form_id="adult-case-supervision",
            organisations=["NPS", "CRC"],
        )
        self.form = self.store.reads.form()

    def scratch(self, data: bytes, name: str) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path


def form_loader(ctx: Context, data: bytes) -> None:
    forms.parse_form(data.decode("utf-8", "replace"), "fuzz.yaml")


def expression(ctx: Context, data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    expressions.evaluate(text, {"risk_level": "high", "hours": 40, "req": ["a", "b"]}, current=3)


def case_sample_csv(ctx: Context, data: bytes) -> None:
    sample = case_sample.read_sample(ctx.store, ctx.scratch(data, "sample.csv"))
    assert all(r.ref for r in sample.rows)


def reviews_csv(ctx: Context, data: bytes) -> None:
    path = ctx.scratch(data, "cases.csv")
    reviews_import.parse_rows(ctx.form, ("NPS", "CRC"), path)


def bundle_file(ctx: Context, data: bytes) -> None:
    from fieldwork.core.sync.reading import verify_bundle

    verify_bundle(ctx.scratch(data, "fuzz.bundle"))


TARGETS: dict[str, Callable[[Context, bytes], None]] = {
    "bundle": bundle_file,
    "form": form_loader,
    "expression": expression,
    "cases_csv": case_sample_csv,
    "reviews_csv": reviews_csv,
}


def run_one(target: Callable[[Context, bytes], None], ctx: Context, data: bytes) -> None:
    with contextlib.suppress(*OURS):
        target(ctx, data)


def _form_seeds(ctx: Context) -> list[bytes]:
    return [p.read_bytes() for p in sorted(forms.default_forms_dir().glob("*.yaml"))]


def _sample_seeds(ctx: Context) -> list[bytes]:
    return [
        "ref,organisation,office,officer,inspector,sentence_type,risk_level,start_date\n"
        "X123456,NPS,Glanmor,Rhys Owen,Łukasz Nowak,licence,high,2015-06-01\n"
        "A654321,CRC,Pont,Ffion Ŵyn,Chloé Durand,community_order,low,2015-02-03\n".encode(),
    ]


def _reviews_seeds(ctx: Context) -> list[bytes]:
    from fieldwork.core.demo.generator import make_demo
    from fieldwork.core.io.exports import export_csv

    demo = make_demo(ctx.folder / "seed.fieldwork", cases=4, interviews=1, seed=3)
    try:
        files = export_csv(demo, ctx.folder / "seed-export")
    finally:
        demo.close()
    return [p.read_bytes() for p in files if p.name == "cases.csv"]


def _bundle_seeds(ctx: Context) -> list[bytes]:
    from fieldwork.core.demo.generator import make_demo
    from fieldwork.core.sync.bundle import export_bundle

    demo = make_demo(ctx.folder / "bundle-seed.fieldwork", cases=2, interviews=1, seed=4)
    try:
        export_bundle(demo, ctx.folder / "seed.bundle")
    finally:
        demo.close()
    return [(ctx.folder / "seed.bundle").read_bytes()]


SEEDS: dict[str, Callable[[Context], list[bytes]]] = {
    "bundle": _bundle_seeds,
    "form": _form_seeds,
    "expression": lambda ctx: [b"${risk_level} = 'high' and . > 2", b"selected(${req}, 'a')"],
    "cases_csv": _sample_seeds,
    "reviews_csv": _reviews_seeds,
}
