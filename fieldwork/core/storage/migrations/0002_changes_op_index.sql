-- Schema 2: the change log keyed by rowid, its op ids unique through an index of their
-- own. Same columns and rules as schema 1; the index can now be dropped and rebuilt in
-- one sort when a joining laptop fills an empty log (merge._fill_empty), rather than
-- kept up to date for each of a million random op ids. Never edit once shipped.

CREATE TABLE changes_v2 (
  op      TEXT NOT NULL,
  hlc     TEXT NOT NULL,
  device  TEXT NOT NULL,
  author  TEXT NOT NULL,
  entity  TEXT NOT NULL,
  row     TEXT NOT NULL,
  field   TEXT NOT NULL,
  value   TEXT,              -- JSON
  prev    TEXT NOT NULL,     -- JSON list of op ids
  is_head INTEGER NOT NULL DEFAULT 1
);
INSERT INTO changes_v2(op, hlc, device, author, entity, row, field, value, prev, is_head)
  SELECT op, hlc, device, author, entity, row, field, value, prev, is_head FROM changes
  ORDER BY hlc, device, op;
DROP TABLE changes;
ALTER TABLE changes_v2 RENAME TO changes;
CREATE UNIQUE INDEX changes_op ON changes(op);
CREATE INDEX changes_field ON changes(entity, row, field);
CREATE INDEX changes_hlc ON changes(hlc);
CREATE INDEX changes_heads ON changes(entity, row, field, value) WHERE is_head = 1;
