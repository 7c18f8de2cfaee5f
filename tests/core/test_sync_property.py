"""Three laptops edit, delete and undo at random, with clocks hours apart, and swap real
bundles in random orders, stale and twice over; now and then one forges a bundle giving
an op it holds another body.

After a final round of bundles every laptop holds the same `dump` and the same forms; a
field is in conflict exactly when two laptops edited it without seeing each other's edit
(worked out here from what each laptop knew, not from the store); a forged bundle is
refused and changes nothing; conflict ids are unique at every step, each one resolves by
its id, and a conflict resolved on one laptop closes on all.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from fieldwork.core.errors import BundleError
from fieldwork.core.model import Conflict, Op
from fieldwork.core.schema import natural_id
from fieldwork.core.storage.clock import wall_ms
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.core.sync.crypto import new_identity_file
from tests.conftest import new_store
from tests.core import craft

LAPTOPS = 3
CASES = 2
FIELDS = ("office", "officer", "answer")  # "answer": the value of one answer of the case
VALUES = ("a", "b", "c")
QUESTION = "q1"
HOUR = 60 * 60 * 1000
# Laptop clocks at most 11 hours either side of true time: any two are less than the
# clock's one-day margin apart, so no honest bundle is refused.
SKEW_HOURS = 11

# One edit as the model sees it: (event id, laptop, field key, value, superseded event ids).
Event = tuple[int, int, tuple[str, str, str], str, frozenset[int]]


class Sync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="fieldwork-sync-"))
        self.stores: list[Store] = []
        self.knows: list[set[int]] = [set() for _ in range(LAPTOPS)]
        self.events: dict[int, Event] = {}
        self.bundles: list[tuple[Path, frozenset[int]]] = []
        self.edited_by: dict[tuple[str, str, str], set[int]] = {}
        self.last_ops: list[list[Op]] = [[] for _ in range(LAPTOPS)]

    @initialize()
    def laptops(self) -> None:
        origin = new_store(self.tmp / "lap0.fieldwork")
        self.cases = [
            origin.insert("cases", {"ref": f"A00000{i}", "organisation": "NPS"})
            for i in range(CASES)
        ]
        origin.close()
        for i in range(1, LAPTOPS):
            shutil.copy(self.tmp / "lap0.fieldwork", self.tmp / f"lap{i}.fieldwork")
        self.stores = [Store.open(self.tmp / f"lap{i}.fieldwork") for i in range(LAPTOPS)]
        assert len({s.device_id for s in self.stores}) == LAPTOPS

    def _key(self, case: int, field: str) -> tuple[str, str, str]:
        if field == "answer":
            return ("answers", natural_id("answers", self.cases[case], QUESTION), "value")
        return ("cases", self.cases[case], field)

    def _heads(self, known: set[int], key: tuple[str, str, str]) -> list[Event]:
        mine = [self.events[e] for e in known if self.events[e][2] == key]
        gone = set().union(*(e[4] for e in mine)) if mine else set()
        return [e for e in mine if e[0] not in gone]

    def _record(self, laptop: int, key: tuple[str, str, str], value: object) -> None:
        heads = self._heads(self.knows[laptop], key)
        if len(heads) == 1 and heads[0][3] == value:
            return  # the store writes nothing for an unchanged value
        self._event(laptop, key, value)

    def _event(self, laptop: int, key: tuple[str, str, str], value: object) -> None:
        heads = self._heads(self.knows[laptop], key)
        n = len(self.events)
        self.events[n] = (n, laptop, key, value, frozenset(h[0] for h in heads))
        self.knows[laptop].add(n)
        self.edited_by.setdefault(key, set()).add(laptop)

    def _written(self, laptop: int, ops: list[Op]) -> None:
        """Ops the store wrote for a delete, an undo or a resolve: the value is the
        store's, what they supersede is what the model says this laptop knew."""
        for op in ops:
            self._event(laptop, (op.entity, op.row, op.field), op.value)
        self.last_ops[laptop] = list(ops)

    @rule(
        laptop=st.integers(0, LAPTOPS - 1),
        case=st.integers(0, CASES - 1),
        field=st.sampled_from(FIELDS),
        value=st.sampled_from(VALUES),
    )
    def edit(self, laptop: int, case: int, field: str, value: str) -> None:
        store = self.stores[laptop]
        if field == "answer":
            ops = store.set_answer(self.cases[case], QUESTION, value)
        else:
            ops = store.update("cases", self.cases[case], {field: value})
        self._record(laptop, self._key(case, field), value)
        # Undo takes back the modelled field only (not the creation of an answer row).
        modelled = self._key(case, field)
        self.last_ops[laptop] = [o for o in ops if (o.entity, o.row, o.field) == modelled]

    @rule(laptop=st.integers(0, LAPTOPS - 1), case=st.integers(0, CASES - 1))
    def delete(self, laptop: int, case: int) -> None:
        self._written(laptop, self.stores[laptop].delete("cases", self.cases[case]))

    @rule(laptop=st.integers(0, LAPTOPS - 1))
    def undo(self, laptop: int) -> None:
        store, ops = self.stores[laptop], self.last_ops[laptop]
        if ops and store.can_undo(ops):
            self._written(laptop, store.undo(ops))

    @rule(laptop=st.integers(0, LAPTOPS - 1), hours=st.integers(-SKEW_HOURS, SKEW_HOURS))
    def skew(self, laptop: int, hours: int) -> None:
        self.stores[laptop].clock.now = lambda: wall_ms() + hours * HOUR

    @rule(who=st.integers(0, 2), present=st.booleans())
    def membership(self, who: int, present: bool) -> None:
        """The lead's laptop adds or removes a member (its team acts travel in bundles,
        signed, and every laptop applies them as the lead's)."""
        row = f"{0xFEED0 + who:032x}"
        edits = [("members", row, "name", f"Helper {who}"), ("members", row, "role", "inspector")]
        self.stores[0].write([*edits, ("members", row, "deleted", not present)])

    @rule(laptop=st.integers(0, LAPTOPS - 1), victim=st.integers(0, LAPTOPS - 1))
    def forge(self, laptop: int, victim: int) -> None:
        """A bundle giving an op `victim` holds another body is refused, changing nothing."""
        path = self.tmp / f"plain{len(self.bundles)}.zip"
        bundle.export_bundle(self.stores[laptop], path)
        ops = craft.ops_of(path)
        held = {o.op for o in self.stores[victim].audit.ops()}
        texts = [o for o in ops if isinstance(o["value"], str) and o["op"] in held]
        if not texts:
            return
        texts[-1]["value"] += " (forged)"
        craft.rewrite(path, self.tmp / "forged.zip", ops)
        before = self.stores[victim].audit.dump()
        with pytest.raises(BundleError, match="a different content"):
            bundle.import_bundles(self.stores[victim], [self.tmp / "forged.zip"])
        assert self.stores[victim].audit.dump() == before

    @rule(laptop=st.integers(0, LAPTOPS - 1), encrypted=st.booleans())
    def export(self, laptop: int, encrypted: bool) -> None:
        path = self.tmp / f"b{len(self.bundles)}.zip"
        # An encrypted path too: to an extra key (these copies share the lead's identity).
        extra = [self.hq] if encrypted else []
        bundle.export_bundle(self.stores[laptop], path, recipients=extra)
        self.bundles.append((path, frozenset(self.knows[laptop])))

    @precondition(lambda self: self.bundles)
    @rule(laptop=st.integers(0, LAPTOPS - 1), pick=st.integers(0, 10**6), twice=st.booleans())
    def import_(self, laptop: int, pick: int, twice: bool) -> None:
        path, known = self.bundles[pick % len(self.bundles)]  # stale ones too
        paths = [path, path] if twice else [path]
        results = bundle.import_bundles(self.stores[laptop], paths)
        if twice:
            assert results[1].new == 0
        self.knows[laptop] |= known

    @precondition(lambda self: any(s.reads.conflicts() for s in self.stores))
    @rule(laptop=st.integers(0, LAPTOPS - 1), value=st.sampled_from(VALUES))
    def resolve(self, laptop: int, value: str) -> None:
        store = self.stores[laptop]
        found = store.reads.conflicts()
        if not found:
            return
        c = found[0]
        self._written(laptop, store.resolve(c.id, _taking(c, value)))

    @invariant()
    def conflicts_match_the_model(self) -> None:
        for laptop, store in enumerate(self.stores):
            expected = set()
            for key in self.edited_by:
                values = {h[3] for h in self._heads(self.knows[laptop], key)}
                if len(values) > 1:
                    expected.add(key)
            found = {
                (c.entity, c.row, c.field) for c in store.reads.conflicts() if c.kind == "edit"
            }
            assert found == expected
            for key in found:  # never from one laptop's own edits alone
                assert len(self.edited_by[key]) > 1

    @invariant()
    def conflict_ids_are_unique(self) -> None:
        for store in self.stores:
            ids = [c.id for c in store.reads.conflicts()]
            assert len(ids) == len(set(ids))

    def _sync_all(self) -> None:
        final = []
        for i, store in enumerate(self.stores):
            path = self.tmp / f"final{i}-{len(self.bundles)}.zip"
            bundle.export_bundle(store, path)
            final.append(path)
        for store in self.stores:
            bundle.import_bundles(store, final)
        everything = set().union(*self.knows)
        self.knows = [set(everything) for _ in range(LAPTOPS)]
        self.bundles.append((final[0], frozenset(everything)))

    def teardown(self) -> None:
        try:
            if self.stores:
                self._sync_all()
                dumps = [s.audit.dump() for s in self.stores]
                assert dumps[1] == dumps[0] and dumps[2] == dumps[0]
                assert all(s.trust.set_aside_count() == 0 for s in self.stores)
                forms = [s.reads.form_versions() for s in self.stores]
                assert forms[1] == forms[0] == forms[2]
                self.conflicts_match_the_model()
                # Each conflict resolves by its own id; resolved on one laptop, closed on
                # all after the next bundles.
                lead = self.stores[0]
                for _ in range(50):
                    found = lead.reads.conflicts()
                    if not found:
                        break
                    lead.resolve(found[0].id, _taking(found[0], "resolved"))
                assert not lead.reads.conflicts()
                self._sync_all()
                assert all(not s.reads.conflicts() for s in self.stores)
                assert (
                    self.stores[1].audit.dump()
                    == self.stores[0].audit.dump()
                    == self.stores[2].audit.dump()
                )
        finally:
            for s in self.stores:
                s.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def hq(self) -> str:
        if not hasattr(self, "_hq"):
            self._hq = new_identity_file()[1]
        return self._hq


def _taking(c: Conflict, value: str) -> object:
    """A value that resolves `c`: keep the row for anything about its deletion."""
    return False if c.kind == "deleted" or c.field == "deleted" else value


Sync.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSync = Sync.TestCase
