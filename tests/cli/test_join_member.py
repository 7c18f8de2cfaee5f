"""Joining under a name the team already has binds this laptop to that person: their
allotted cases are this laptop's, and a second laptop of one person works too."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fieldwork.cli import main
from fieldwork.core import team
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from tests.conftest import new_store


def _age_opens(path: Path, identity: str, tmp_path: Path) -> bool:
    key = tmp_path / f"k{abs(hash(identity))}.txt"
    key.write_text(identity + "\n")
    done = subprocess.run(["age", "-d", "-i", str(key), str(path)], capture_output=True)
    return done.returncode == 0


def test_joining_as_an_allotted_member_is_that_member_on_two_laptops(
    tmp_path: Path, capsys
) -> None:
    lead = new_store(tmp_path / "lead.fieldwork", "a long lead passphrase here")
    sample = tmp_path / "sample.csv"
    sample.write_text("ref,organisation,inspector\nX123456,NPS,Gwenllïan Ŵyn\nA654321,NPS,Lee\n")
    lead.close()
    env_pass = "a long lead passphrase here"
    import os

    os.environ["FIELDWORK_PASSPHRASE"] = env_pass
    try:
        assert main(["cases", "import", str(lead.path), str(sample)]) == 0
        with Store.open(lead.path, env_pass) as s:
            bundle.export_bundle(
                s, tmp_path / "setup.bundle", passphrase="biscuits and tea, please"
            )
            gwen = next(m for m in s.reads.members() if m.name == "Gwenllïan Ŵyn")
        os.environ["FIELDWORK_BUNDLE_PASSPHRASE"] = "biscuits and tea, please"
        laptops = []
        for n, typed in enumerate(("Gwenllïan Ŵyn", "  gwenllïan   ŵyn ")):
            path = tmp_path / f"gwen{n}.fieldwork"
            capsys.readouterr()
            assert main(["new", str(path), "--from-bundle", str(tmp_path / "setup.bundle"),
                         "--inspector", typed]) == 0  # fmt: skip
            assert "You are Gwenllïan Ŵyn in the team, with 1 case allotted to you." in (
                capsys.readouterr().out
            )
            with Store.open(path, env_pass) as s:
                assert s.author == gwen.id  # the allotted member, not a new one
                assert [m.name for m in s.reads.members()].count("Gwenllïan Ŵyn") == 1
                laptops.append((path, s.age_identity, s.age_recipient))
                bundle.export_bundle(s, tmp_path / f"gwen{n}.bundle")
        with Store.open(lead.path, env_pass) as s:
            # Each laptop asked for its keys to be added to hers: the lead admits them.
            for n in (0, 1):
                bundle.import_bundles(s, [tmp_path / f"gwen{n}.bundle"])
                assert bundle.recipients_of(s).count(laptops[n][2]) == 0
                (asked,) = team.join_requests(s)
                assert (asked.member_id, asked.public_key) == (gwen.id, laptops[n][2])
                team.admit(s, "Gwenllïan Ŵyn")
            assert [m.name for m in s.reads.members()].count("Gwenllïan Ŵyn") == 1
            bundle.export_bundle(s, tmp_path / "evening.bundle")
        # The lead's next bundle reaches both of her laptops.
        for _path, identity, _key in laptops:
            assert _age_opens(tmp_path / "evening.bundle", identity, tmp_path)
    finally:
        os.environ.pop("FIELDWORK_PASSPHRASE", None)
        os.environ.pop("FIELDWORK_BUNDLE_PASSPHRASE", None)
