"""Which forms a file takes from a bundle.

A form is known by its id, its version and its content hash (the SHA-256 of its YAML
text, forms/loader.py `form_hash`). From a bundle, a form the file does not hold is
added; a higher version replaces the one held; a lower version changes nothing; and a
different text under the same id and version is refused, since two laptops would then
score the same answers against different forms while their dumps agree. Adding or
replacing a form is also subject to `form_change_allowed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldwork.core.errors import BundleError
from fieldwork.core.forms.loader import form_hash, parse_form


def form_change_allowed(store: Any, author_member_id: str) -> bool:
    """Whether forms in a bundle written by `author_member_id` may add to or replace the
    forms this file holds. Everyone, for now: the lead-only rule (issue 12, section 3)
    belongs here."""
    return True


def take_forms(store: Any, forms: Mapping[str, str], author_member_id: str) -> dict[str, str]:
    """Apply the rules above to a bundle's forms ({id: YAML text}, already checked by
    reading.py) inside the import's transaction. Returns {form id: what happened}:
    'added', 'replaced', 'same', 'older' or 'not allowed'. Raises BundleError for a
    different form under a version this file holds."""
    held = store.reads.form_versions()
    outcome: dict[str, str] = {}
    for fid, text in sorted(forms.items()):
        try:
            form = parse_form(text, f"{fid}.yaml")
        except ValueError as exc:
            raise BundleError(f"Refused: a form in the bundle is not valid ({exc}).") from exc
        mine = held.get(form.id)
        theirs = form_hash(text)
        if mine is not None and mine[0] == form.version:
            if mine[1] != theirs:
                raise BundleError(
                    f"Refused: the bundle's form {form.id!r} version {form.version} "
                    f"({theirs[:12]}) differs from the one this file holds under that version "
                    f"({mine[1][:12]}); a changed form needs a new version. Nothing was imported."
                )
            outcome[form.id] = "same"
        elif mine is not None and form.version < mine[0]:
            outcome[form.id] = "older"
        elif not form_change_allowed(store, author_member_id):
            outcome[form.id] = "not allowed"
        else:
            store.add_form(text)
            outcome[form.id] = "added" if mine is None else "replaced"
    return outcome
