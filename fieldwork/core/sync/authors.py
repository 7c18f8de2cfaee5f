"""Importing a bundle's ops as their authors', and only as theirs (issue 12).

`Gate` stands between a bundle's rows and `Store.apply_rows`:

- Team changes (any field of `members` or `member_keys`, and the inspection's form) are held back while
  the ops stream and applied afterwards only when the lead wrote them; anyone else's are
  set aside (trust.py), kept and shown but never applied. A public key that is not an age
  recipient, or a signing key that is not one, refuses the bundle.
- After the ops are applied, each device's chain is judged against the keys the lead
  bound (members.signing_key) and the lead's pinned key: ops that claim a member with a
  key must be signed with that key, or the bundle is refused naming the device; ops of
  members without one (release 0.1.0) are taken as unverified. A device whose chain
  differs from a head this laptop already holds is a fork: refused, kept as evidence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fieldwork.core.errors import BundleError, UserError
from fieldwork.core.model import ApplyResult
from fieldwork.core.schema import LEAD_ENTITIES
from fieldwork.core.storage import vetting
from fieldwork.core.storage.merge import Row
from fieldwork.core.storage.store import Store
from fieldwork.core.storage.trust import TEAM_ENTITIES, Evidence, now
from fieldwork.core.sync import crypto
from fieldwork.core.sync.reading import OpenedBundle
from fieldwork.core.sync.signing import (
    ChainError,
    Chains,
    SignedHead,
    forms_digest,
    is_public_key,
)

Namer = Callable[[str], str]


def is_team_op(entity: str, field_name: str) -> bool:
    """Whether an op changes the team, the form or an overridden rating: the lead's acts
    alone."""
    return entity in LEAD_ENTITIES or (entity == "inspection" and field_name == "form_id")


@dataclass
class Judged:
    """What the gate found in one bundle."""

    applied: ApplyResult
    set_aside: int = 0
    set_aside_rows: list[Row] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)  # devices
    unverified: list[str] = field(default_factory=list)
    forms_set_aside: list[str] = field(default_factory=list)
    pin: tuple[str, str] | None = None  # (lead, key) for a file that had no lead key


class Gate:
    def __init__(self, store: Store, b: OpenedBundle, inspection_id: str, joining: bool) -> None:
        self.store = store
        self.b = b
        self.inspection = inspection_id
        self.joining = joining
        self.held: list[Row] = []
        self.first_inspection: tuple[str, str, str, str] | None = None  # hlc, device, op, author
        trust = store.trust
        self.stored = {d: trust.heads(d) for d in trust.longest_heads()}
        marks: dict[str, set[int]] = {}
        for c in b.signatures.chains:
            marks.setdefault(c.device, set()).add(c.count)
        for device, heads in self.stored.items():
            marks.setdefault(device, set()).update(heads)
        self.chains = Chains({d: frozenset(m) for d, m in marks.items()})
        row = store.conn.execute("SELECT max(rowid) FROM changes").fetchone()
        self.rowid_before = row[0] or 0
        vetting.held_table(store.conn)
        store.conn.execute("DELETE FROM held")

    # ---------------------------------------------------------------- streaming

    def rows(self, progress: object = None) -> Iterator[Row]:
        """The bundle's rows for `apply_rows`, team changes held back."""
        for row in self.b.rows(
            inspection_id=self.inspection,
            progress=progress,  # type: ignore[arg-type]
            chains=self.chains,
        ):
            entity = row[4]
            if entity == "inspection":
                key = (row[1], row[2], row[0], row[3])
                if self.first_inspection is None or key < self.first_inspection:
                    self.first_inspection = key
                if row[6] == "form_id":
                    self._hold(row)
                    continue
            elif entity in LEAD_ENTITIES:
                if entity in TEAM_ENTITIES:
                    _check_team_value(row)
                self._hold(row)
                continue
            yield row

    def _hold(self, row: Row) -> None:
        self.held.append(row)
        self.store.conn.execute("INSERT OR IGNORE INTO held VALUES (?,?,?,?,?,?,?,?,?)", row)

    # ------------------------------------------------------------------ settling

    def settle(self, first: ApplyResult) -> Judged:
        """Apply the lead's held-back ops, set the rest aside, then judge every chain."""
        store, trust = self.store, self.store.trust
        vetting.vet_held(store.conn, store.clock.limit())
        lead = trust.lead if not self.joining else None
        if lead is None and self.first_inspection is not None:
            lead = self.first_inspection[3]
        mine = [r for r in self.held if r[3] == lead]
        others = [r for r in self.held if r[3] != lead]
        # Set aside first: a lead's op may list one of them as earlier (vetting.py).
        aside = trust.set_aside(others, "not from the lead", self.b.info.bundle_id)
        applied = first
        if mine:
            more = store.apply_rows(mine, vet=True)
            applied = ApplyResult(
                first.new + more.new, first.known + more.known, first.conflicts + more.conflicts
            )
        judged = Judged(applied, len(aside), aside)
        self._judge(judged, lead)
        return judged

    def _judge(self, judged: Judged, lead: str | None) -> None:
        store, trust = self.store, self.store.trust
        bound = trust.bound_keys()
        lead_key = trust.lead_key if not self.joining else None
        if lead and lead_key:
            bound.setdefault(lead, set()).add(lead_key)
        asked = self._asked_keys()
        names = {**{m: self.b.name_of(m) for m in bound}, **trust.names()}

        def who(member: str) -> str:
            return names.get(member) or self.b.name_of(member)

        signed = self.b.signatures.by_device()
        new = self._new_ops()
        keep: list[tuple[SignedHead, str, str]] = []
        for device, chain in self.chains.by_device.items():
            entry = signed.get(device)
            where = f"device {device[:8]}"
            if entry is not None:
                expected = bound.get(entry.author)
                if expected and entry.key not in expected and entry.key not in asked:
                    raise ChainError(
                        f"Refused: the ops of {where} claim to be {who(entry.author)}'s but are "
                        f"not signed with {who(entry.author)}'s key.",
                        device=device, author=entry.author, kind="forged",
                    )  # fmt: skip
                self._check_fork(device, entry, new, who)
                head, hlc, op = chain.at(entry.count) or ("", "", "")
                keep.append((entry, hlc, op))
                covered = entry.count
                ok = bool(expected) and entry.key in (expected or ())
                (judged.verified if ok else judged.unverified).append(device)
            else:
                covered = 0
                judged.unverified.append(device)
                self._check_stored(device, new, who)
            if covered < chain.count:  # ops no signature covers
                for author in sorted(chain.authors):
                    if bound.get(author) and self._new_after(device, author, covered):
                        raise BundleError(
                            f"Refused: ops of {where} claim to be {who(author)}'s but carry "
                            f"no signature of {who(author)}'s key."
                        )
        if keep:
            trust.record_heads(keep)
        if self.joining and lead:
            key = next((e.key for e, _, _ in keep if e.author == lead), None)
            own = bound.get(lead)  # the keys the lead's own member row names
            if own and key and key not in own:
                raise BundleError("Refused: the setup bundle is not signed with the lead's key.")
            store.pin_lead(
                lead, key or (min(own) if own else None)
            )  # a new file: discarded if the join fails
        elif lead and not trust.lead_key:
            # A team that began on release 0.1.0: the lead's first signed bundle pins its key.
            key = next((e.key for e, _, _ in keep if e.author == lead), None)
            if key:
                judged.pin = (lead, key)  # pinned once the import commits

    def _asked_keys(self) -> set[str]:
        """Signing keys laptops asked the lead to bind (a further laptop of a member
        writes as that member before it is admitted): its ops are taken, unverified."""
        rows = [*self.held, *self.store.conn.execute(
            "SELECT op, hlc, device, author, entity, row, field, value, prev FROM set_aside"
        )]  # fmt: skip
        found = set()
        for r in rows:
            if r[4] == "member_keys" and r[6] == "signing_key":
                value = json.loads(r[7]) if r[7] else None
                if isinstance(value, str) and is_public_key(value):
                    found.add(value)
        return found

    def _new_ops(self) -> dict[str, set[str]]:
        """The authors of the ops this bundle added, by device."""
        if not self.rowid_before:  # an empty log (a join): every op is new
            return {d: set(c.authors) for d, c in self.chains.by_device.items()}
        found: dict[str, set[str]] = {}
        for device, author in self.store.conn.execute(
            "SELECT DISTINCT device, author FROM changes WHERE rowid > ?", (self.rowid_before,)
        ):
            found.setdefault(device, set()).add(author)
        return found

    def _new_after(self, device: str, author: str, covered: int) -> bool:
        """Whether this bundle added an op of `author` on `device` past the first `covered`
        ops of the device's chain."""
        at = self.chains.by_device[device].at(covered) if covered else None
        hlc, op = (at[1], at[2]) if at else ("", "")
        return (
            self.store.conn.execute(
                "SELECT 1 FROM changes WHERE rowid > ? AND device=? AND author=?"
                " AND (hlc > ? OR (hlc = ? AND op > ?)) LIMIT 1",
                (self.rowid_before, device, author, hlc, hlc, op),
            ).fetchone()
            is not None
        )

    def _check_fork(
        self, device: str, entry: SignedHead, new: dict[str, set[str]], who: Namer
    ) -> None:
        """Two signed histories of one device: the same length with another head, or a
        bundle whose signed chain is shorter than one held here yet adds ops."""
        held = self.stored.get(device, {})
        same = held.get(entry.count)
        if same is not None and same.head != entry.head and same.key == entry.key:
            self._fork(device, entry.author, who)
        self._check_stored(device, new, who, entry.author)

    def _check_stored(
        self, device: str, new: dict[str, set[str]], who: Namer, author: str | None = None
    ) -> None:
        held = self.stored.get(device)
        if not held:
            return
        longest = max(held)
        chain = self.chains.by_device[device]
        if chain.count >= longest:
            at = chain.at(longest)
            if at is not None and at[0] != held[longest].head:
                self._fork(device, author or held[longest].author, who)
        elif device in new:
            # Every op of a shorter chain is one this laptop holds, or the chain forked.
            self._fork(device, author or held[longest].author, who)

    def _fork(self, device: str, author: str, who: Namer) -> None:
        position, here, there = self._parting(device)
        detail = (
            f"two different ops at position {position} of its chain: {here[:8]} here, "
            f"{there[:8]} in {self.b.path.name}"
            if position
            else f"its chain in {self.b.path.name} differs from the one held here"
        )
        raise ChainError(
            f"Refused: device {device[:8]} ({who(author)}) has two histories ({detail}); "
            "kept as evidence in the file's history.",
            device=device, author=author, kind="fork",
        )  # fmt: skip

    def _parting(self, device: str) -> tuple[int, str, str]:
        """Where the chain held here and the bundle's part: (position, op here, op there)."""
        from fieldwork.core.sync.archive import CHANGES

        theirs = []
        digest: dict[str, str] = {}
        for line in self.b.zip.lines(CHANGES, 1 << 62, digest):
            d = json.loads(line)
            if d.get("device") == device:
                theirs.append(d.get("op", ""))
        ours = self.store.trust.device_ops(device)
        for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
            if a != b:
                return i + 1, a, b
        return 0, "", ""

    # --------------------------------------------------------------------- forms

    def forms_signer(self) -> str | None:
        """The member whose good signature covers the bundle's forms, if any."""
        sig = self.b.signatures.forms
        if sig is None or not sig.valid(self.inspection):
            return None
        sums = {n: s for n, s in self.b.sums.items() if n.startswith("forms/")}
        if sig.sha256 != forms_digest(sums):
            return None
        expected = self.store.trust.bound_keys().get(sig.author, set())
        return sig.author if sig.key in expected else None


def evidence_of(exc: ChainError, bundle: str) -> Evidence:
    return Evidence(exc.device, exc.author, exc.kind, str(exc), bundle, now())


def _check_team_value(row: Row) -> None:
    field_name, text = row[6], row[7]
    value = json.loads(text)
    if value is None:
        return
    if field_name == "public_key":
        try:
            ok = str(crypto.recipient(value)) == value
        except UserError:
            ok = False
        if not ok:
            raise BundleError(
                f"Refused: the bundle gives a member a public key that is not an age "
                f"recipient ({str(value)[:40]!r})."
            )
    elif field_name == "signing_key" and not is_public_key(value):
        raise BundleError(
            "Refused: the bundle gives a member a signing key that is not an Ed25519 key."
        )
