"""A form named by the person: a shipped form's id, or a form file (an imported XLSForm,
say), checked as a shipped one is. Shared by `fieldwork new --form` and the app's New
inspection dialog."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fieldwork.core.errors import UserError
from fieldwork.core.forms.loader import Form, load_form, load_forms


def is_form_file(text: str) -> bool:
    """Whether FORM names a file rather than a shipped form's id."""
    return Path(text).suffix.lower() in (".yaml", ".yml") or Path(text).is_file()


def load_named_form(text: str) -> Form:
    """A form from a file (checked as a shipped one is) or a shipped form by id."""
    if is_form_file(text):
        if not Path(text).exists():
            raise UserError(f"No such form file: {text}")
        return load_form(text)
    forms = load_forms()
    if text not in forms:
        raise UserError(
            f"Unknown form {text!r}: give a form file (.yaml) or one of {', '.join(sorted(forms))}."
        )
    return forms[text]


@contextlib.contextmanager
def form_folder(form: str) -> Iterator[tuple[str, Path | None]]:
    """(form id, forms folder) for Store.create: a shipped id as it is, or a form file
    checked (refusals name the file) and put alone in a temporary folder."""
    if not is_form_file(form):
        yield form, None
        return
    loaded = load_named_form(form)
    with tempfile.TemporaryDirectory(prefix="fieldwork-form-") as tmp:
        (Path(tmp) / f"{loaded.id}.yaml").write_text(loaded.source, encoding="utf-8")
        yield loaded.id, Path(tmp)


def summary(form: Form) -> str:
    """'form X version N: 4 standards, 12 key questions, 60 questions'."""
    kqs = form.key_questions()
    asked = [q for q in form.questions() if "/" not in q.id]
    return (
        f"form {form.id} version {form.version}: {_n(len(form.sections), 'standard')}, "
        f"{_n(len(kqs), 'key question')}, {_n(len(asked), 'question')}"
    )


def _n(count: int, what: str) -> str:
    return f"{count} {what}{'' if count == 1 else 's'}"
