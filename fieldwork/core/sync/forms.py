"""Which forms a file takes from a bundle.

A form is known by its id, its version and its content hash (the SHA-256 of its YAML
text, forms/loader.py `form_hash`). From a bundle, a form the file does not hold is
added; a higher version replaces the one held; a lower version changes nothing; and a
different text under the same id and version is refused, since two laptops would then
score the same answers against different forms while their dumps agree. Adding or
replacing a form held is the lead's act alone (`form_change_allowed`): a higher version
not signed with the lead's key is set aside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldwork.core.errors import BundleError
from fieldwork.core.forms.loader import form_hash, parse_form


def form_change_allowed(store: Any, author_member_id: str | None) -> bool:
    """Whether forms signed by `author_member_id` may replace the forms this file holds:
    the lead's alone (issue 12). A file with no lead yet (joining) takes the setup
    bundle's."""
    lead = store.trust.lead
    return lead is None or (author_member_id is not None and author_member_id == lead)


def take_forms(
    store: Any, forms: Mapping[str, str], signer: str | None, bundle_id: str | None = None
) -> dict[str, str]:
    """Apply the rules above to a bundle's forms ({id: YAML text}, already checked by
    reading.py) inside the import's transaction; `signer` is the member whose bound key
    signed the bundle's forms (authors.py), if any. Returns {form id: what happened}:
    'added', 'replaced', 'same', 'older' or 'not allowed' (a higher version not signed
    by the lead: kept aside, shown, never used). Raises BundleError for a different form
    under a version this file holds."""
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
        elif mine is not None and not form_change_allowed(store, signer):
            store.trust.set_aside_form(theirs, form.id, form.version, text, signer, bundle_id)
            outcome[form.id] = "not allowed"
        else:  # a form this file lacks changes nothing until the lead's ops point to it
            store.add_form(text)
            outcome[form.id] = "added" if mine is None else "replaced"
    return outcome
