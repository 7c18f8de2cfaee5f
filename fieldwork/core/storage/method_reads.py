"""The inspection's method and its forms, as the file holds them (kept out of store.py).

An inspection made with a method keeps the method file's text in the `methods` table
and every instrument's form in `forms`, as it keeps its form: an edited or newer shipped
method never changes the rules of an inspection under way. A file made with one form
(release 0.1.0, no method id) opens under `derive_for_form`'s method for that form.

    mf = method_forms(store)          # MethodForms: method + forms, cached per store
    mf.method.standards_for("NPS")    # what an organisation is rated on
    form_for_case(store, case)        # the instrument form that assesses a case
"""

from __future__ import annotations

import weakref
from functools import cache
from typing import TYPE_CHECKING, Any

from fieldwork.core.errors import StoreError
from fieldwork.core.forms.loader import Form, load_forms, parse_form
from fieldwork.core.forms.method import Method
from fieldwork.core.forms.method_forms import MethodForms, derive_for_form
from fieldwork.core.forms.method_loader import check_against_forms, load_methods, parse_method

if TYPE_CHECKING:
    from fieldwork.core.storage.store import Store

_CACHE: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], MethodForms]] = (
    weakref.WeakKeyDictionary()
)


@cache
def shipped_methods() -> dict[str, Method]:
    return load_methods()


@cache
def shipped_forms() -> dict[str, Form]:
    return load_forms()


def has_methods_table(store: Store) -> bool:
    row = store.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='methods'"
    ).fetchone()
    return row is not None


def method_sources(store: Store) -> dict[str, str]:
    """The method files this inspection holds (one, or none for a release-0.1.0 file)."""
    if not has_methods_table(store):
        return {}
    return dict(store.conn.execute("SELECT id, source FROM methods ORDER BY id").fetchall())


def add_method(store: Store, source: str) -> Method:
    """Keep a method file in the inspection (a newer version replaces an older one)."""
    method = parse_method(source, "<method>")
    with store.transaction():
        store.conn.execute(
            "INSERT INTO methods(id, version, source) VALUES (?,?,?) ON CONFLICT(id) DO UPDATE"
            " SET version=excluded.version, source=excluded.source"
            " WHERE excluded.version >= methods.version",
            (method.id, method.version, source),
        )
    _CACHE.pop(store, None)
    return method


def _key(store: Store) -> tuple[Any, ...]:
    # As reads.inspection(): a deleted flag on the inspection is overruled (vetting.py).
    row = store.conn.execute("SELECT * FROM inspection ORDER BY deleted, id LIMIT 1").fetchone()
    if row is None:
        raise StoreError(f"{store.path.name} holds no inspection yet.")
    names = [d[0] for d in store.conn.execute("SELECT * FROM inspection LIMIT 0").description]
    record = dict(zip(names, row, strict=True))
    forms = tuple(store.conn.execute("SELECT id, version FROM forms ORDER BY id").fetchall())
    methods: tuple[Any, ...] = ()
    if has_methods_table(store):
        methods = tuple(store.conn.execute("SELECT id, version FROM methods ORDER BY id"))
    return (record.get("method_id"), record.get("form_id"), forms, methods)


def method_forms(store: Store) -> MethodForms:
    """The inspection's method with its forms resolved (cached until they change)."""
    key = _key(store)
    cached = _CACHE.get(store)
    if cached is not None and cached[0] == key:
        return cached[1]
    method_id, form_id, _, _ = key
    stored = {
        fid: src
        for fid, src in store.conn.execute("SELECT id, source FROM forms ORDER BY id").fetchall()
    }
    forms: dict[str, Form] = {fid: parse_form(src, f"{fid}.yaml") for fid, src in stored.items()}
    if method_id:
        source = method_sources(store).get(method_id)
        if source is not None:
            method = parse_method(source, f"{method_id}.yaml")
        elif method_id in shipped_methods():
            method = shipped_methods()[method_id]
        else:
            raise StoreError(
                f"{store.path.name} follows the method {str(method_id)[:60]!r}, which neither "
                "the file nor this release holds."
            )
        for fid in method.form_ids():
            if fid not in forms and fid in shipped_forms():
                forms[fid] = shipped_forms()[fid]
        check_against_forms(method, forms)
    else:
        form = store.reads.form()  # the one form of a release-0.1.0 file
        forms.setdefault(form.id, form)
        method = derive_for_form(form, shipped_methods())
    found = MethodForms(method, forms)
    _CACHE[store] = (key, found)
    return found


def method(store: Store) -> Method:
    return method_forms(store).method


def form_for_case(store: Store, case: Any) -> Form:
    """The form that assesses a case: its sample's instrument (the main one if none)."""
    return method_forms(store).form_for_sample(getattr(case, "sample", None))


def case_samples(store: Store) -> dict[str, str | None]:
    """Every case's sample by case id."""
    return dict(store.conn.execute("SELECT id, sample FROM cases WHERE deleted=0").fetchall())


def plan_creation(
    *,
    method_id: str | None,
    form_id: str | None,
    organisations: Any,
    forms_dir: Any = None,
    methods_dir: Any = None,
) -> tuple[str, Method | None, list[str]]:
    """What a new inspection holds: (main form id, method or None, form sources to keep).

    With a method: its forms, checked; an organisation the method rates must show its
    type in its name ("Durham Tees Valley CRC"), since the type decides its standards.
    With only a form (as release 0.1.0 made them): that form, and no method id.
    """
    from fieldwork.core.errors import UserError

    forms = load_forms(forms_dir) if forms_dir is not None else shipped_forms()
    if method_id is None:
        if form_id is None:
            raise UserError("Choose the inspection's method (for example standards-2018).")
        if form_id not in forms:
            raise UserError(f"Unknown form {form_id!r}: choose one of {', '.join(sorted(forms))}.")
        return form_id, None, [forms[form_id].source]
    methods = load_methods(methods_dir) if methods_dir is not None else shipped_methods()
    if method_id not in methods:
        raise UserError(
            f"Unknown method {method_id!r}: choose one of {', '.join(sorted(methods))}."
        )
    chosen = methods[method_id]
    check_against_forms(chosen, forms)
    if form_id is not None and form_id != chosen.main.form_id:
        raise UserError(
            f"The method {method_id} assesses its main sample with the form "
            f"{chosen.main.form_id}, not {form_id}: leave the form out."
        )
    if chosen.rated and chosen.organisation_types:
        kinds = " or ".join(t.names[0] if t.names else t.id for t in chosen.organisation_types)
        for name in organisations:
            if chosen.organisation_type(name) is None:
                raise UserError(
                    f"Name the organisation {name!r} so its type shows ({kinds} in the name):"
                    f" under {chosen.id} the type decides the standards it is rated on."
                )
    return chosen.main.form_id, chosen, [forms[f].source for f in chosen.form_ids()]
