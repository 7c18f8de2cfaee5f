"""Joining meets provable authors (issue 12 with the member_keys of main): a person's
second laptop writes as that person from the start, its ops taken unverified until
the lead admits its keys; then they are verified, and the lead's bundles reach both
laptops (opened with the real `age` tool)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fieldwork.core import history, team
from fieldwork.core.sync import bundle
from fieldwork.core.sync.crypto import new_identity_file
from tests.conftest import need_tool
from tests.core.test_authors import Team, pair  # noqa: F401  (the fixture)


def test_a_second_laptop_is_its_member_unverified_until_the_lead_admits_it(
    pair: Team,  # noqa: F811
    tmp_path: Path,
) -> None:
    lee, sam = pair.lead, pair.mate
    bundle.export_bundle(lee, tmp_path / "setup2.zip")
    other, _ = bundle.join_from_bundle(
        tmp_path / "setup2.zip", tmp_path / "sam2.fieldwork", None, member_name="sam"
    )
    try:
        assert other.author == sam.author  # the same person, not a second member
        assert other.signing_public != sam.signing_public
        other.update("cases", pair.case, {"office": "Aberwern"})
        (r,) = pair.send(other, lee, "sam2.zip")
        # Taken, but not proven: the key is one Sam's laptop asked the lead to bind.
        assert r.new == 1 and r.unverified == 1 and r.verified >= 1
        (office,) = [c for c in history.changes(lee, "X123456") if c.op.field == "office"]
        assert (office.who, office.status) == ("Sam", history.UNVERIFIED)
        (asked,) = team.join_requests(lee)
        assert (asked.member_id, asked.keys_row is not None) == (sam.author, True)
        assert other.age_recipient not in bundle.recipients_of(lee)

        age = need_tool("age")
        _, hq = new_identity_file()  # encrypted: to the team's keys and one more
        (tmp_path / "other.key").write_text(other.age_identity + "\n")

        def other_opens(name: str) -> bool:
            bundle.export_bundle(lee, tmp_path / name, recipients=[hq])
            done = subprocess.run(
                [age, "-d", "-i", str(tmp_path / "other.key"), str(tmp_path / name)],
                capture_output=True,
                check=False,
            )
            return done.returncode == 0

        assert not other_opens("before.age")  # not yet admitted: not a recipient
        team.admit(lee, "Sam")
        assert other_opens("after.age")
        assert team.join_requests(lee) == []
        assert other.age_recipient in bundle.recipients_of(lee)
        (office,) = [c for c in history.changes(lee, "X123456") if c.op.field == "office"]
        assert office.status == history.VERIFIED
        # Sam's first laptop takes the lead's bundle, which relays the second's chain.
        (r,) = pair.send(lee, sam, "admitted2.zip")
        assert r.unverified == 0
        # The lead's next bundle opens on both of Sam's laptops.
        bundle.export_bundle(lee, tmp_path / "evening.age", recipients=[hq])
        for n, store in enumerate((sam, other)):
            key = tmp_path / f"sam{n}.key"
            key.write_text(store.age_identity + "\n")
            done = subprocess.run(
                [age, "-d", "-i", str(key), str(tmp_path / "evening.age")],
                capture_output=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr
    finally:
        other.close()


def test_a_stranger_cannot_sign_as_a_member_by_asking(pair: Team, tmp_path: Path) -> None:  # noqa: F811
    """A key asked for beside a member, then refused by nobody, is still not that
    member's: its ops stay unverified in the history until the lead binds it."""
    lee = pair.lead
    bundle.export_bundle(lee, tmp_path / "setup3.zip")
    other, _ = bundle.join_from_bundle(
        tmp_path / "setup3.zip", tmp_path / "sam3.fieldwork", None, member_name="Sam"
    )
    try:
        other.update("cases", pair.case, {"office": "Elsewhere"})
        pair.send(other, lee, "sam3.zip")
        statuses = {
            c.status for c in history.changes(lee, "X123456") if c.op.device == other.device_id
        }
        assert statuses == {history.UNVERIFIED}
    finally:
        other.close()
