"""Authors are provable and the team is the lead's (issue 12, section 3), on real files
and real bundles: a lead, a teammate who joined and was admitted, and what a dishonest
teammate or relay can try.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldwork.core import team
from fieldwork.core.errors import BundleError, UserError
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle, signing
from fieldwork.core.sync.crypto import new_identity_file
from tests.conftest import need_tool, new_store
from tests.core.craft import pack


class Team:
    """The lead (Lee) and a teammate (Sam) who joined from a setup bundle, asked to join,
    and was admitted; each has imported the other's latest bundle."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.lead = new_store(tmp / "lead.fieldwork", author_name="Lee")
        self.case = self.lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        bundle.export_bundle(self.lead, tmp / "setup.zip")
        self.mate, _ = bundle.join_from_bundle(
            tmp / "setup.zip", tmp / "mate.fieldwork", None, member_name="Sam"
        )
        self.send(self.mate, self.lead, "ask.zip")
        team.admit(self.lead, "Sam")
        self.send(self.lead, self.mate, "admitted.zip")

    def send(self, src: Store, dest: Store, name: str) -> list[bundle.ImportResult]:
        bundle.export_bundle(src, self.tmp / name)
        return bundle.import_bundles(dest, [self.tmp / name])

    def close(self) -> None:
        self.lead.close()
        self.mate.close()


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Team]:
    t = Team(tmp_path)
    yield t
    t.close()


def rebuilt(path: Path, lines: list[str] | None = None, signatures: bytes | None = None) -> None:
    """Rewrite a plain bundle in place, its manifest and checksums made consistent again:
    what a dishonest relay can do to any bundle it carries."""
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    members.pop("SHA256SUMS")
    if lines is not None:
        members["changes.ndjson"] = "".join(f"{line}\n" for line in lines).encode()
    if signatures is not None:
        members["signatures.json"] = signatures
    log = members["changes.ndjson"].splitlines()
    manifest.update(op_count=len(log), created=json.loads(log[-1])["hlc"])
    pack(path, manifest, members)


def lines_of(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.read("changes.ndjson").decode().splitlines()


def signatures_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("signatures.json"))


# ------------------------------------------------------------------------ keys


def test_each_laptop_has_a_signing_key_bound_to_its_member_row(pair: Team) -> None:
    lee, sam = pair.lead, pair.mate
    assert lee.signing_public != sam.signing_public
    assert signing.is_public_key(lee.signing_public)
    for store in (lee, sam):
        keys = {m.name: m.signing_key for m in store.reads.members()}
        assert keys == {"Lee": lee.signing_public, "Sam": sam.signing_public}
        assert store.trust.lead == lee.author and store.trust.lead_key == lee.signing_public
    # The private half lives in the file's meta, beside the age identity, never in a bundle.
    bundle.export_bundle(sam, pair.tmp / "s.zip")
    assert sam.sign_with().encode() not in (pair.tmp / "s.zip").read_bytes()
    chains = signatures_of(pair.tmp / "s.zip")["chains"]
    assert {c["author"] for c in chains} == {lee.author, sam.author}
    assert {c["key"] for c in chains} == {lee.signing_public, sam.signing_public}


def test_the_teammates_signed_ops_are_verified_at_the_lead(pair: Team) -> None:
    pair.mate.update("cases", pair.case, {"office": "Durham"})
    (r,) = pair.send(pair.mate, pair.lead, "day.zip")
    assert r.new == 1 and r.unverified == 0 and r.verified == 2
    from fieldwork.core import history

    (last,) = [c for c in history.changes(pair.lead, "X123456") if c.op.field == "office"]
    assert (last.who, last.status) == ("Sam", "verified")


# ------------------------------------------------------------ writing as the lead


def test_a_teammate_marking_a_case_quality_assured_as_the_lead_is_refused(pair: Team) -> None:
    """The scenario: Sam's laptop writes as Lee (its author switched to Lee's id) and
    marks the case reviewed. Sam cannot sign as Lee, so the lead refuses the bundle,
    naming Sam's device."""
    before = pair.lead.audit.dump()
    pair.mate.set_author(pair.lead.author)
    pair.mate.update("cases", pair.case, {"status": "reviewed", "qa_inspector": pair.lead.author})
    refused = r"device \w+ \(Sam\).* claim to be Lee's"
    with pytest.raises(BundleError, match=refused):  # Sam's laptop reads back what it wrote
        bundle.export_bundle(pair.mate, pair.tmp / "forged.zip")
    # A laptop that skipped reading it back: the lead refuses it all the same.
    inspection = pair.mate.reads.inspection().id
    (pair.tmp / "forged.zip").write_bytes(bundle._build_zip(pair.mate, inspection, None)[0])
    with pytest.raises(BundleError, match=refused):
        bundle.import_bundles(pair.lead, [pair.tmp / "forged.zip"])
    assert pair.lead.audit.dump() == before


def test_a_teammate_signing_ops_as_the_lead_with_its_own_key_is_refused(pair: Team) -> None:
    lee, sam = pair.lead, pair.mate
    sam.update("cases", pair.case, {"status": "reviewed"})
    path = pair.tmp / "resigned.zip"
    bundle.export_bundle(sam, path)
    # Rewrite Sam's op as Lee's, on Sam's device, and sign that chain with Sam's key.
    lines = lines_of(path)
    d = json.loads(lines[-1])
    assert d["device"] == sam.device_id and d["field"] == "status"
    forged = []
    for line in lines:
        op = json.loads(line)
        if op["device"] == sam.device_id:
            op["author"] = lee.author
        forged.append(json.dumps(op, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
    chain = signing.Chain()
    for line in forged:
        if json.loads(line)["device"] == sam.device_id:
            chain.add(line.encode(), lee.author, "", "")
    sigs = signatures_of(path)
    entry = signing.sign_head(
        sam.sign_with(), lee.reads.inspection().id, sam.device_id, lee.author,
        chain.count, chain.head.hex(),
    )  # fmt: skip
    sigs["chains"] = [c for c in sigs["chains"] if c["device"] != sam.device_id]
    sigs["chains"].append(entry.to_json())
    rebuilt(path, forged, json.dumps(sigs).encode())
    before = lee.audit.dump()
    with pytest.raises(BundleError, match=r"claim to be Lee's but are not signed with Lee's key"):
        bundle.import_bundles(lee, [path])
    assert lee.audit.dump() == before


def test_a_relay_cannot_alter_a_teammates_op(pair: Team, tmp_path: Path) -> None:
    """Sam's op travels through the lead to a third laptop; the lead changes its value on
    the way. The third laptop refuses the bundle, naming Sam's device."""
    pair.mate.update("cases", pair.case, {"office": "Durham"})
    pair.send(pair.mate, pair.lead, "day.zip")
    bundle.export_bundle(pair.lead, tmp_path / "setup2.zip")
    third, _ = bundle.join_from_bundle(tmp_path / "setup2.zip", tmp_path / "kim.fieldwork", None)
    try:
        pair.lead.update("cases", pair.case, {"officer": "J Smith"})
        path = tmp_path / "relayed.zip"
        bundle.export_bundle(pair.lead, path)
        lines = [
            line.replace('"value":"Durham"', '"value":"Gateshead"')
            if f'"device":"{pair.mate.device_id}"' in line
            else line
            for line in lines_of(path)
        ]
        rebuilt(path, lines)
        before = third.audit.dump()
        with pytest.raises(BundleError) as err:
            bundle.import_bundles(third, [path])
        assert f"device {pair.mate.device_id[:8]} (Sam)" in str(err.value)
        assert "altered" in str(err.value)
        assert third.audit.dump() == before
        (found,) = third.trust.evidence()
        assert (found.device, found.kind) == (pair.mate.device_id, "altered")
    finally:
        third.close()


# ---------------------------------------------------------------- the team


def test_only_the_lead_changes_the_team_on_its_own_laptop(pair: Team) -> None:
    sam = pair.mate
    _, key = new_identity_file()
    for act in (
        lambda: team.add_member(sam, "Outsider", "inspector", key),
        lambda: bundle.add_recipient(sam, key, "Outsider"),
        lambda: team.remove(sam, "Lee"),
        lambda: sam.update("members", sam.author, {"role": "lead"}),
    ):
        with pytest.raises(UserError, match="Only the lead changes the team"):
            act()


def test_an_outsider_added_by_a_teammate_is_set_aside_and_never_a_recipient(
    pair: Team, tmp_path: Path
) -> None:
    """Sam's laptop makes itself 'lead' in its own meta and adds an outsider with a key.
    The lead sets the ops aside, shows them, and never encrypts to the outsider."""
    outsider_text, outsider_key = new_identity_file()
    (tmp_path / "outsider.key").write_text(outsider_text)
    sam = pair.mate
    sam.set_meta("lead_member", sam.author)
    outsider = bundle.add_recipient(sam, outsider_key, "Outsider", "inspector")
    sam.update("members", pair.lead.author, {"role": "inspector"})  # and demote the lead
    (r,) = pair.send(sam, pair.lead, "sneaky.zip")
    assert r.new == 0 and {row[5] for row in r.set_aside} == {outsider, pair.lead.author}
    lee = pair.lead
    assert outsider not in {m.id for m in lee.reads.members()}
    assert {m.name: m.role for m in lee.reads.members()}["Lee"] == "lead"
    assert outsider_key not in bundle.recipients_of(lee)
    assert {s.op.row for s in lee.trust.set_aside_ops()} >= {outsider}
    # The lead's next bundle: the admitted teammate opens it, the outsider cannot.
    _, hq = new_identity_file()
    bundle.export_bundle(lee, tmp_path / "next.age", recipients=[hq])
    (tmp_path / "sam.key").write_text(sam.age_identity + "\n")
    age = need_tool("age")
    for key, opens in (("sam.key", True), ("outsider.key", False)):
        done = subprocess.run(
            [age, "-d", "-i", str(tmp_path / key), str(tmp_path / "next.age")],
            capture_output=True,
            check=False,
        )
        assert (done.returncode == 0) == opens, (key, done.stderr)
    # Importing the same bundle again sets nothing aside twice.
    (again,) = bundle.import_bundles(lee, [tmp_path / "sneaky.zip"])
    assert again.set_aside == ()


def test_a_public_key_that_is_no_age_recipient_is_refused_at_import(pair: Team) -> None:
    lee = pair.lead
    lee.insert("members", {"name": "HQ", "role": "headquarters", "public_key": "age1nonsense"})
    # The lead's own exports keep working (the bad key is skipped) ...
    bundle.export_bundle(lee, pair.tmp / "bad.zip")
    before = pair.mate.audit.dump()
    # ... but no other laptop takes the key in.
    with pytest.raises(BundleError, match="not an age recipient"):
        bundle.import_bundles(pair.mate, [pair.tmp / "bad.zip"])
    assert pair.mate.audit.dump() == before


def test_the_lead_removes_a_lost_laptop_and_later_bundles_shut_it_out(
    pair: Team, tmp_path: Path
) -> None:
    lee, sam = pair.lead, pair.mate
    sam.update("cases", pair.case, {"office": "Durham"})
    pair.send(sam, lee, "work.zip")
    (tmp_path / "sam.key").write_text(sam.age_identity + "\n")
    _, hq = new_identity_file()
    age = need_tool("age")

    def sam_opens(name: str) -> bool:
        bundle.export_bundle(lee, tmp_path / name, recipients=[hq])
        done = subprocess.run(
            [age, "-d", "-i", str(tmp_path / "sam.key"), str(tmp_path / name)],
            capture_output=True,
            check=False,
        )
        return done.returncode == 0

    assert sam_opens("before.age")
    (removed,) = team.remove(lee, "Sam")
    assert removed.row == sam.author and sam.age_recipient not in bundle.recipients_of(lee)
    assert not sam_opens("after.age")
    # Sam's ops stay in the history under Sam's name.
    from fieldwork.core import history

    names = {c.who for c in history.changes(lee)}
    assert "Sam (removed)" in names


# ------------------------------------------------------------------ evidence


def test_a_fork_is_kept_as_evidence_naming_the_device(pair: Team, tmp_path: Path) -> None:
    """Sam's file is put back from a copy by hand (same laptop, same place: the same
    device id) after a bundle went out; its next op stands where an earlier one stood."""
    sam_path = pair.mate.path
    pair.mate.close()
    shutil.copy(sam_path, tmp_path / "copy.fieldwork")
    sam = Store.open(sam_path)
    device = sam.device_id
    sam.update("cases", pair.case, {"office": "Durham"})
    pair.send(sam, pair.lead, "first.zip")
    sam.close()
    shutil.copy(tmp_path / "copy.fieldwork", sam_path)
    for suffix in ("-wal", "-shm"):
        Path(str(sam_path) + suffix).unlink(missing_ok=True)
    pair.mate = Store.open(sam_path)
    assert pair.mate.device_id == device
    pair.mate.update("cases", pair.case, {"office": "Darlington"})
    bundle.export_bundle(pair.mate, tmp_path / "second.zip")
    before = pair.lead.audit.dump()
    with pytest.raises(BundleError) as err:
        bundle.import_bundles(pair.lead, [tmp_path / "second.zip"])
    assert f"device {device[:8]} (Sam) has two histories" in str(err.value)
    assert "position" in str(err.value)
    assert pair.lead.audit.dump() == before
    (found,) = pair.lead.trust.evidence()
    assert (found.device, found.kind) == (device, "fork")


def test_a_gap_in_a_chain_is_refused_naming_the_device(pair: Team, tmp_path: Path) -> None:
    """A bundle of the lead's that reaches Sam with one of the lead's ops left out."""
    lee = pair.lead
    for office in ("A", "B", "C"):
        lee.update("cases", pair.case, {"office": office})
    path = tmp_path / "gappy.zip"
    bundle.export_bundle(lee, path)
    lines = [line for line in lines_of(path) if '"value":"B"' not in line]
    rebuilt(path, lines)
    with pytest.raises(BundleError, match=r"\(Lee\) signed \d+ ops but the bundle carries"):
        bundle.import_bundles(pair.mate, [path])
    assert [e.kind for e in pair.mate.trust.evidence()] == ["gap"]


# --------------------------------------------------------------------- forms


def test_a_form_changed_by_a_teammate_is_set_aside_and_the_leads_is_taken(pair: Team) -> None:
    lee, sam = pair.lead, pair.mate
    ((fid, source),) = lee.reads.form_sources().items()
    version = lee.reads.form().version

    def as_version(n: int) -> str:
        return source.replace(f"version: {version}\n", f"version: {n}\n", 1)

    theirs = as_version(version + 1)
    sam.add_form(theirs)
    (r,) = pair.send(sam, lee, "form.zip")
    assert r.forms_set_aside == (fid,)
    assert lee.reads.form_sources()[fid] == source
    assert [f["form_id"] for f in lee.trust.set_aside_forms()] == [fid]
    # The lead's own change of the form reaches the teammate.
    ours = as_version(version + 2)
    lee.add_form(ours)
    (r,) = pair.send(lee, sam, "lead-form.zip")
    assert r.forms_set_aside == () and sam.reads.form_sources()[fid] == ours


def test_an_unsigned_op_claiming_the_lead_from_a_new_device_is_refused(pair: Team) -> None:
    """A teammate invents a device and puts an op of Lee's on it, with no signature."""
    sam, lee = pair.mate, pair.lead
    sam.update("cases", pair.case, {"status": "reviewed"})
    path = pair.tmp / "ghost.zip"
    bundle.export_bundle(sam, path)
    lines = lines_of(path)
    op = json.loads(lines[-1])
    op.update(device="f" * 32, author=lee.author, op="e" * 32)
    lines[-1] = json.dumps(op, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    sigs = signatures_of(path)
    sigs["chains"] = [c for c in sigs["chains"] if c["device"] != sam.device_id]
    rebuilt(path, lines, json.dumps(sigs).encode())
    before = lee.audit.dump()
    with pytest.raises(BundleError, match=r"device ffffffff claim to be Lee's but carry no sig"):
        bundle.import_bundles(lee, [path])
    assert lee.audit.dump() == before


def test_a_release_leads_team_is_ratified_once_so_new_laptops_see_it(tmp_path: Path) -> None:
    """On release 0.1.0 a teammate added itself; the lead's file held that change. Opened
    by this release, the lead's laptop writes the team again as its own ops, once."""
    path = tmp_path / "lead.fieldwork"
    lead = new_store(path, author_name="Lee")
    pat = "a" * 32
    _, key = new_identity_file()
    rows = [
        (f"{i:032x}", f"0000000000001{i:03d}-0000", "b" * 32, pat, "members", pat, f, v, "[]")
        for i, (f, v) in enumerate(
            (("name", '"Pat"'), ("role", '"inspector"'), ("public_key", json.dumps(key)),
             ("deleted", "false")),
            start=1,
        )
    ]  # fmt: skip
    lead.apply_rows(rows)  # as release 0.1.0 applied any bundle's team change
    lead.set_meta("lead_member", None)  # a release file pins no lead
    lead.close()
    lead = Store.open(path)
    try:
        ratified = lead.audit.history("members", pat)
        assert [o.author for o in ratified].count(lead.author) == 4
        bundle.export_bundle(lead, tmp_path / "setup.zip")
        mate, _ = bundle.join_from_bundle(tmp_path / "setup.zip", tmp_path / "m.fieldwork", None)
        with mate:
            assert key in bundle.recipients_of(mate)
            assert "Pat" in {m.name for m in mate.reads.members()}
    finally:
        lead.close()
    with Store.open(path) as again:
        assert again.audit.op_count() == len(list(again.audit.ops()))
        assert len(again.audit.history("members", pat)) == 8  # nothing written twice


def test_a_release_teammate_pins_the_leads_key_from_its_first_signed_bundle(
    pair: Team,
) -> None:
    """A laptop that joined on release 0.1.0 knows no lead key: the lead's first signed
    bundle gives it, once the import commits; from then on an unsigned 'lead' op fails."""
    sam, lee = pair.mate, pair.lead
    sam.set_meta("lead_key", None)
    lee.update("cases", pair.case, {"office": "Durham"})
    (r,) = pair.send(lee, sam, "signed.zip")
    assert r.pin == (lee.author, lee.signing_public)
    assert sam.trust.lead_key == lee.signing_public


def test_only_the_lead_overrides_a_rating_and_a_teammates_override_is_set_aside(
    pair: Team,
) -> None:
    """Professional discretion is the lead's (DOMAIN.md): Sam's laptop refuses it, and an
    override Sam's laptop writes after calling itself lead is set aside at the lead's."""
    from fieldwork.core.storage import evidence_reads

    sam = pair.mate
    override = {"organisation": "NPS", "standard_id": "2.1", "rating": "Outstanding"}
    with pytest.raises(UserError, match="Only the lead rates a standard away"):
        sam.insert("overrides", {**override, "reason": "We saw it"})
    assert evidence_reads.overrides(sam) == {}
    # The lead's own override is taken by Sam's laptop.
    crc = {**override, "organisation": "CRC", "rating": "Good", "reason": "Lead's call"}
    pair.lead.insert("overrides", crc)
    pair.send(pair.lead, sam, "leads.zip")
    assert evidence_reads.overrides(sam)[("CRC", "2.1")].reason == "Lead's call"
    sam.set_meta("lead_member", sam.author)
    sam.insert("overrides", {**override, "reason": "We saw it"})
    (r,) = pair.send(sam, pair.lead, "discretion.zip")
    assert {row[4] for row in r.set_aside} == {"overrides"}
    assert set(evidence_reads.overrides(pair.lead)) == {("CRC", "2.1")}
