"""Whatever a workbook holds, the import gives a form or one line saying why not."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwork.core.io.xlsform_read import import_xlsform
from fieldwork.core.io.xlsform_sheets import XLSFormError
from tests.interop.workbooks import YES_NO, workbook

TYPES = ["text", "integer", "decimal", "date", "calculate", "note", "select_one yn",
         "select_multiple yn", "begin_group", "end_group", "begin group", "end group",
         "begin_repeat", "geopoint", "select_one nope", "", "range", "start"]  # fmt: skip
EXPRS = ["", "${a} = 'yes'", ". > 1", "${b} + 1", "regex(., 'x')", "/data/a", "${zz}",
         "not(", "'", "selected(${a}, 'no')", "1 div 0", "today()"]  # fmt: skip
printable = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
cell = st.one_of(st.none(), printable, st.integers(-5, 5), st.booleans())
row = st.tuples(
    st.sampled_from(TYPES),
    st.one_of(st.sampled_from(["a", "b", "c", "_d", "2.1", "a b"]), cell),
    cell,
    st.sampled_from(EXPRS),
    st.sampled_from(EXPRS),
    st.sampled_from(["", "yes", "no", "${a}", True]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(row, max_size=10))
def test_random_surveys_import_or_are_refused_in_one_line(rows):
    header = ("type", "name", "label", "relevant", "constraint", "required")
    with tempfile.TemporaryDirectory() as tmp:
        path = workbook(Path(tmp) / "f.xlsx", [header, *rows], YES_NO)
        try:
            result = import_xlsform(path)
        except XLSFormError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(str(path))
        else:
            assert result.form.sections


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_refused_in_one_line(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.xlsx"
        path.write_bytes(b"PK\x03\x04" + data if data[:1] == b"\0" else data)
        try:
            import_xlsform(path)
        except XLSFormError as exc:
            assert "\n" not in str(exc)
