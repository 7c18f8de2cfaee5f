"""The full-text search index (SQLite FTS5): kept up to date by the write path, and
searched with `store.search.find("words")`.

`search` holds the text and `search_rows` says which row and field each entry comes
from. Notes, quotes, comments and the answers to the form's free-text questions are
indexed; every write and every import re-indexes the rows it touched, in its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from fieldwork.core.errors import FieldworkError, UserError
from fieldwork.core.model import Op
from fieldwork.core.storage import db
from fieldwork.core.storage.part import Part

if TYPE_CHECKING:
    pass


class SearchIndex(Part):
    """The search index a Store hands out as `store.search`."""

    def form_changed(self) -> None:
        """A form was added: which questions hold free text is read again when next needed."""
        self._cache.text_qids = None

    def connection_changed(self) -> None:
        """The temp table went with a rolled-back transaction or a closed connection."""
        self._cache.text_table_ready = False

    _SEARCH_SOURCES = {
        "interviews": "SELECT id, 'notes', notes FROM interviews WHERE deleted=0"
        " AND coalesce(notes, '') != '' AND id IN ({rows})",
        "quotes": "SELECT id, 'text', text FROM quotes WHERE deleted=0"
        " AND coalesce(text, '') != '' AND id IN ({rows})",
        "answers": "SELECT id, 'comment', comment FROM answers WHERE deleted=0"
        " AND coalesce(comment, '') != '' AND id IN ({rows})"
        " UNION ALL SELECT id, 'value', json_extract(value, '$') FROM answers WHERE deleted=0"
        " AND value IS NOT NULL AND question_id IN (SELECT id FROM temp.text_questions)"
        " AND id IN ({rows})",
    }

    def text_question_ids(self) -> frozenset[str]:
        if self._cache.text_qids is None:
            from fieldwork.core.storage import method_reads  # (it reads through the store)

            try:
                # Every instrument's free-text questions, not only the main form's: a court
                # report's or victim contact case's notes are found too.
                forms = method_reads.method_forms(self._store).all_forms()
                self._cache.text_qids = frozenset(
                    q.id for form in forms for q in form.questions() if q.type == "text"
                )
            except FieldworkError:
                return frozenset()
        return self._cache.text_qids

    def _ensure_text_questions(self) -> None:
        """A temp table of the form's free-text question ids, whose answers are searchable."""
        if self._cache.text_table_ready:
            return
        conn = self._store.conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS text_questions(id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.text_questions")
        ids = sorted(self.text_question_ids())
        conn.executemany(
            "INSERT OR IGNORE INTO temp.text_questions VALUES (?)", [(i,) for i in ids]
        )
        self._cache.text_table_ready = bool(ids) or self._store.reads.has_inspection()

    def _reindex(self, entity: str, rows_sql: str, params: Sequence[Any]) -> None:
        """Replace the search entries of some rows of `entity` with their current text."""
        self._ensure_text_questions()
        conn = self._store.conn
        old = [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM search_rows WHERE entity=? AND row IN ({rows_sql})",
                (entity, *params),
            )
        ]
        if old:
            conn.executemany("DELETE FROM search WHERE rowid=?", [(i,) for i in old])
            conn.executemany("DELETE FROM search_rows WHERE id=?", [(i,) for i in old])
        template = self._SEARCH_SOURCES[entity]
        found = conn.execute(
            template.format(rows=rows_sql), tuple(params) * template.count("{rows}")
        ).fetchall()
        for row, field, body in found:
            if not isinstance(body, str) or not body.strip():
                continue
            cur = conn.execute(
                "INSERT INTO search_rows(entity, row, field) VALUES (?,?,?)", (entity, row, field)
            )
            conn.execute("INSERT INTO search(rowid, body) VALUES (?, ?)", (cur.lastrowid, body))

    _SEARCHED = {
        "interviews": ("notes", "deleted"),
        "quotes": ("text", "deleted"),
        "answers": ("comment", "value", "deleted"),
    }

    def reindex_ops(self, ops: Sequence[Op]) -> None:
        """Re-index the rows whose searchable text these ops (just written) changed."""
        for entity, fields in self._SEARCHED.items():
            rows = sorted({o.row for o in ops if o.entity == entity and o.field in fields})
            if rows:
                self._reindex(entity, ",".join("?" * len(rows)), rows)

    def reindex_touched(self) -> None:
        """Re-index the rows an import touched (the `touched` table merge.py fills)."""
        for entity in self._SEARCHED:
            self._reindex(entity, "SELECT row FROM touched WHERE entity=?", (entity,))

    def find(
        self, text: str, limit: int = 200, hide_cases: Collection[str] = ()
    ) -> list[dict[str, Any]]:
        """Full-text search over notes, comments and quotes: [{entity, row, field, body}].
        The answers of a removed case are left out with it, and those of `hide_cases`
        (cases the reader is assessing blind: core/moderation/rounds.py)."""
        words = [w.replace('"', '""') for w in text.split() if w.strip()]
        if not words:
            return []
        query = " ".join(f'"{w}"*' for w in words)
        try:
            return self._rows(
                "SELECT r.entity, r.row, r.field, s.body FROM search s"
                " JOIN search_rows r ON r.id = s.rowid WHERE search MATCH ?"
                " AND NOT EXISTS (SELECT 1 FROM answers a JOIN cases c ON c.id = a.case_id"
                " WHERE r.entity = 'answers' AND a.id = r.row"
                " AND (c.deleted = 1 OR c.id IN (SELECT value FROM json_each(?))))"
                " ORDER BY s.rank LIMIT ?",
                (query, json.dumps(sorted(hide_cases)), limit),
            )
        except db.DriverError as exc:
            raise UserError(f"Cannot search for {text!r}: {exc}.") from exc
