"""Keys bundles are encrypted to: removing one (through the write path, so it syncs), the
one-time passphrase offered for a setup bundle, and the default bundle names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fieldwork.core.errors import UserError
from fieldwork.core.passphrase import problem
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle, crypto
from fieldwork.core.sync.naming import bundle_name, default_bundle_path, slug
from fieldwork.core.sync.recipients import remove_recipient
from fieldwork.core.sync.setup import make_setup_bundle, one_time_passphrase


def test_headquarters_is_removed_and_the_removal_syncs(store: Store, tmp_path: Path) -> None:
    _, public = crypto.new_identity_file()
    hq = bundle.add_recipient(store, public, "Headquarters")
    bundle.export_bundle(store, tmp_path / "setup.bundle")
    mate, _ = bundle.join_from_bundle(
        tmp_path / "setup.bundle", tmp_path / "mate.fieldwork", None, member_name="Sam"
    )
    with mate:
        assert public in bundle.recipients_of(mate)
        ops = remove_recipient(store, hq)
        assert ops and public not in bundle.recipients_of(store)
        assert hq not in store.reads.member_names()
        bundle.export_bundle(store, tmp_path / "after.bundle")
        bundle.import_bundles(mate, [tmp_path / "after.bundle"])
        assert public not in bundle.recipients_of(mate)  # every laptop follows


def test_a_team_member_keeps_their_name_and_loses_only_the_key(
    store: Store, tmp_path: Path
) -> None:
    _, public = crypto.new_identity_file()
    member = bundle.add_recipient(store, public, "Gwen Evans", "inspector")
    remove_recipient(store, member)
    assert store.reads.member_names()[member] == "Gwen Evans"
    assert public not in bundle.recipients_of(store)
    with pytest.raises(UserError, match="no key"):
        remove_recipient(store, member)


def test_the_own_key_and_unknown_members_are_refused(store: Store) -> None:
    with pytest.raises(UserError, match="own key"):
        remove_recipient(store, store.author)
    with pytest.raises(UserError, match="no longer"):
        remove_recipient(store, "not-a-member")


def test_the_offered_passphrase_is_fresh_easy_to_read_and_passes_the_rule() -> None:
    offered = {one_time_passphrase() for _ in range(200)}
    assert len(offered) == 200
    for p in offered:
        assert problem(p) is None and problem(p, "Durham 2016") is None
        words = p.split("-")
        assert len(words) == 4 and all(w.isalpha() and w.islower() for w in words)


def test_a_setup_bundle_is_held_to_the_passphrase_rule(store: Store, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="15 characters"):
        make_setup_bundle(store, tmp_path / "s.bundle", "short")
    assert not (tmp_path / "s.bundle").exists()
    told = one_time_passphrase()
    made = make_setup_bundle(store, tmp_path / "s.bundle", told)
    assert made.info.encryption == "passphrase"
    assert bundle.verify_bundle(made.path, ask_passphrase=lambda: told).op_count > 0


def test_bundle_names_carry_the_day_and_the_maker_and_never_repeat(tmp_path: Path) -> None:
    day = dt.date(2016, 3, 8)
    assert bundle_name("Gwen Evans", day) == "2016-03-08-gwen.bundle"
    assert bundle_name("Durham 2016", day, "setup") == "2016-03-08-durham-setup.bundle"
    assert slug("Łukasz Nowak") == "lukasz" and slug("  ") == "fieldwork"
    first = default_bundle_path(tmp_path, "Gwen", day)
    first.write_bytes(b"")
    second = default_bundle_path(tmp_path, "Gwen", day)
    assert second.name == "2016-03-08-gwen-2.bundle"
    assert default_bundle_path(tmp_path, "Gwen", dt.date(2016, 3, 9)) != first
