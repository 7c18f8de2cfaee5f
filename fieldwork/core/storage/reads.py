"""Typed reads of the shared state: `store.reads.cases()`, `store.reads.answers(case_id)`.

Each read is one query (or two, for rows with links) returning the frozen dataclasses of
model.py; deleted rows are left out. The form the inspection uses is read here too and
kept until `store.add_form` replaces it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from fieldwork.core.errors import StoreError
from fieldwork.core.model import (
    Answer,
    Case,
    Conflict,
    Finding,
    Inspection,
    Interview,
    Member,
    Quote,
    Recommendation,
)
from fieldwork.core.storage import merge
from fieldwork.core.storage.part import Part

if TYPE_CHECKING:
    from fieldwork.core.forms.loader import Form


class Reads(Part):
    """The typed reads a Store hands out as `store.reads`."""

    def forget_form(self) -> None:
        """A form was added or replaced: read it again when next asked."""
        self._cache.form = None

    def inspection(self) -> Inspection:
        # A deleted flag on the inspection is overruled: no op may remove it (vetting.py),
        # and a log an older release let one into must still open, import and resolve.
        rows = self._rows("SELECT * FROM inspection ORDER BY deleted, id LIMIT 1")
        if not rows:
            raise StoreError(f"{self._store.path.name} holds no inspection yet.")
        r = rows[0]
        return Inspection(
            r["id"],
            r["name"] or "",
            r["area"],
            r["form_id"] or "",
            tuple(json.loads(r["organisations"] or "[]")),
            r["start_date"],
            r["end_date"],
            r["marking"],
            encrypted=self._store.encrypted,
            demo=self._store.is_demo,
        )

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the file (another
        process, the app's own worker): the app watches it to keep its screens up to date.
        This connection's own writes leave it as it is (SQLite's `PRAGMA data_version`)."""
        return int(self._scalar("PRAGMA data_version") or 0)

    def has_inspection(self) -> bool:
        return bool(self._scalar("SELECT count(*) FROM inspection"))

    def members(self) -> list[Member]:
        """The team; a lead stays in it even if a delete reached the log (as above)."""
        return [
            Member(r["id"], r["name"] or "", r["role"], r["public_key"], r["signing_key"])
            for r in self._rows(
                "SELECT * FROM members WHERE deleted=0 OR role='lead' ORDER BY name, id"
            )
        ]

    def member_keys(self) -> list[tuple[str, str]]:
        """(member id, age public key) of every further laptop of a team member."""
        return [
            (r["member_id"], r["public_key"])
            for r in self._rows(
                "SELECT member_id, public_key FROM member_keys WHERE deleted=0 ORDER BY id"
            )
        ]

    def member_names(self) -> dict[str, str]:
        return {m.id: m.name for m in self.members()}

    def cases(self) -> list[Case]:
        return [
            self._case(r)
            for r in self._rows("SELECT * FROM cases WHERE deleted=0 ORDER BY ref, id")
        ]

    def removed_cases(self) -> list[Case]:
        """Cases removed from the sample (deleted rows), for bringing one back."""
        return [
            self._case(r)
            for r in self._rows("SELECT * FROM cases WHERE deleted=1 ORDER BY ref, id")
        ]

    @staticmethod
    def _case(r: dict[str, Any]) -> Case:
        return Case(
            r["id"],
            r["ref"] or "",
            r["organisation"],
            r["office"],
            r["officer"],
            r["inspector"],
            r["qa_inspector"],
            r["status"] or "not_started",
            r["qa_comment"],
            r.get("sample"),
        )

    def case(self, case_id: str) -> Case | None:
        rows = self._rows("SELECT * FROM cases WHERE id=? AND deleted=0", (case_id,))
        return self._case(rows[0]) if rows else None

    def case_by_ref(self, ref: str) -> Case | None:
        rows = self._rows(
            "SELECT * FROM cases WHERE upper(ref)=upper(?) AND deleted=0 ORDER BY id",
            (ref.strip(),),
        )
        return self._case(rows[0]) if rows else None

    @staticmethod
    def _answer(r: dict[str, Any]) -> Answer:
        value = None if r["value"] is None else json.loads(r["value"])
        return Answer(r["id"], r["case_id"], r["question_id"], value, r["comment"], r["reason"])

    def answers(self, case_id: str) -> dict[str, Answer]:
        rows = self._rows("SELECT * FROM answers WHERE case_id=? AND deleted=0", (case_id,))
        return {r["question_id"]: self._answer(r) for r in rows}

    def answers_by_id(self, answer_ids: Iterable[str]) -> list[Answer]:
        """The answers with these row ids (those of deleted rows left out)."""
        ids = json.dumps(sorted(set(answer_ids)))
        rows = self._rows(
            "SELECT * FROM answers WHERE deleted=0 AND id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
        return [self._answer(r) for r in rows]

    def answer_values(self) -> dict[str, dict[str, Any]]:
        """Every case's answers as {case id: {question id: value}} (unanswered left out, and
        the answers of a removed case with it)."""
        out: dict[str, dict[str, Any]] = {}
        for case_id, qid, value in self._store.conn.execute(
            "SELECT a.case_id, a.question_id, a.value FROM answers a JOIN cases c"
            " ON c.id=a.case_id WHERE a.deleted=0 AND c.deleted=0 AND a.value IS NOT NULL"
        ):
            out.setdefault(case_id, {})[qid] = json.loads(value)
        return out

    def interviews(self) -> list[Interview]:
        links: dict[str, list[str]] = {}
        for iid, cid in self._store.conn.execute(
            "SELECT interview_id, case_id FROM interview_cases WHERE deleted=0 ORDER BY case_id"
        ):
            links.setdefault(iid, []).append(cid)
        return [
            Interview(
                r["id"],
                r["kind"] or "",
                r["date"],
                r["organisation"],
                r["title"],
                bool(r["consent"]),
                r["notes"] or "",
                r["author"],
                tuple(links.get(r["id"], ())),
            )
            for r in self._rows("SELECT * FROM interviews WHERE deleted=0 ORDER BY date, id")
        ]

    def interview(self, interview_id: str) -> Interview | None:
        return next((i for i in self.interviews() if i.id == interview_id), None)

    def quotes(self, interview_id: str | None = None) -> list[Quote]:
        tags: dict[str, list[str]] = {}
        for qid, label in self._store.conn.execute(
            "SELECT qt.quote_id, t.label FROM quote_tags qt JOIN tags t ON t.id=qt.tag_id"
            " WHERE qt.deleted=0 AND t.deleted=0 ORDER BY t.label"
        ):
            tags.setdefault(qid, []).append(label)
        where, params = ("AND interview_id=?", (interview_id,)) if interview_id else ("", ())
        return [
            Quote(
                r["id"],
                r["interview_id"],
                r["start"] or 0,
                r["end"] or 0,
                r["text"] or "",
                tuple(tags.get(r["id"], ())),
            )
            for r in self._rows(
                f"SELECT * FROM quotes WHERE deleted=0 {where} ORDER BY interview_id, start, id",
                params,
            )
        ]

    def tags(self) -> list[str]:
        return [
            r[0]
            for r in self._store.conn.execute(
                "SELECT label FROM tags WHERE deleted=0 ORDER BY label"
            )
        ]

    def findings(self) -> list[Finding]:
        links: dict[str, list[str]] = {}
        for fid, qid in self._store.conn.execute(
            "SELECT finding_id, quote_id FROM finding_quotes WHERE deleted=0 ORDER BY quote_id"
        ):
            links.setdefault(fid, []).append(qid)
        return [
            Finding(
                r["id"],
                r["standard_id"] or "",
                r["organisation"],
                r["kind"] or "strength",
                r["text"] or "",
                r["position"] or 0,
                tuple(links.get(r["id"], ())),
            )
            for r in self._rows(
                "SELECT * FROM findings WHERE deleted=0 ORDER BY standard_id, position, id"
            )
        ]

    def recommendations(self) -> list[Recommendation]:
        return [
            Recommendation(r["id"], r["position"] or 0, r["addressee"], r["text"] or "")
            for r in self._rows(
                "SELECT * FROM recommendations WHERE deleted=0 ORDER BY position, id"
            )
        ]

    def conflicts(self) -> list[Conflict]:
        found = merge.conflicts(self._store.conn)
        refs = self._case_refs_for(found)
        return [
            Conflict(c.id, c.entity, c.row, c.field, c.kind, c.heads, refs.get((c.entity, c.row)))
            for c in found
        ]

    def _case_refs_for(self, found: Sequence[Conflict]) -> dict[tuple[str, str], str]:
        refs = {}
        for c in found:
            if c.entity == "cases":
                refs[(c.entity, c.row)] = self._scalar("SELECT ref FROM cases WHERE id=?", c.row)
            elif c.entity == "answers":
                refs[(c.entity, c.row)] = self._scalar(
                    "SELECT c.ref FROM answers a JOIN cases c ON c.id=a.case_id WHERE a.id=?", c.row
                )
        return refs

    def form_versions(self) -> dict[str, tuple[int, str]]:
        """Every form the file holds: {id: (version, content hash)}."""
        from fieldwork.core.forms.loader import form_hash

        rows = self._store.conn.execute("SELECT id, version, source FROM forms").fetchall()
        return {fid: (version, form_hash(source)) for fid, version, source in rows}

    def form_sources(self) -> dict[str, str]:
        return dict(self._store.conn.execute("SELECT id, source FROM forms ORDER BY id").fetchall())

    def form(self) -> Form:
        if self._cache.form is None:
            from fieldwork.core.forms.loader import load_forms, parse_form

            form_id = self.inspection().form_id
            row = self._store.conn.execute(
                "SELECT source FROM forms WHERE id=?", (form_id,)
            ).fetchone()
            if row:
                self._cache.form = parse_form(row[0], f"{form_id}.yaml")
            else:
                shipped = load_forms().get(form_id)
                if shipped is None:
                    raise StoreError(
                        f"{self._store.path.name} uses the form {str(form_id)[:60]!r}, which "
                        "neither the file nor this release holds."
                    )
                self._cache.form = shipped
        return self._cache.form
