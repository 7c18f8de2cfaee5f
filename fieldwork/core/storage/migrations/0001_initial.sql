-- Fieldwork inspection file, schema 1. Never edit once shipped: add 0002_*.sql instead.

-- Local to this laptop: device id, author, clock, age identity. Never synced, never dumped.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
);

-- The change log: every edit ever made here or imported, in the shape of DESIGN.md section 3.
CREATE TABLE changes (
  op      TEXT PRIMARY KEY,
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
CREATE INDEX changes_field ON changes(entity, row, field);
CREATE INDEX changes_hlc ON changes(hlc);
CREATE INDEX changes_heads ON changes(entity, row, field, value) WHERE is_head = 1;

-- Which op lists which earlier op in prev, with the field of the listing op,
-- so "is this op still a head of its field" is one indexed look-up.
CREATE TABLE supersedes (
  prev   TEXT NOT NULL,
  op     TEXT NOT NULL,
  entity TEXT NOT NULL,
  row    TEXT NOT NULL,
  field  TEXT NOT NULL,
  PRIMARY KEY (prev, op)
) WITHOUT ROWID;

-- Form definitions the inspection uses (the YAML text), as carried in bundles.
CREATE TABLE forms (
  id      TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  source  TEXT NOT NULL
);

-- Bundles sent and received on this laptop.
CREATE TABLE bundles (
  bundle_id  TEXT NOT NULL,
  direction  TEXT NOT NULL,   -- 'out' | 'in'
  path       TEXT,
  device     TEXT,
  author     TEXT,
  op_count   INTEGER,
  new_ops    INTEGER,
  created    TEXT,
  at         TEXT NOT NULL
);

-- Materialised state: the winning value of every field, derived from changes.
CREATE TABLE inspection (
  id TEXT PRIMARY KEY, name TEXT, area TEXT, form_id TEXT, organisations TEXT,
  start_date TEXT, end_date TEXT, marking TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE members (
  id TEXT PRIMARY KEY, name TEXT, role TEXT, public_key TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE cases (
  id TEXT PRIMARY KEY, ref TEXT, organisation TEXT, office TEXT, officer TEXT,
  inspector TEXT, qa_inspector TEXT, status TEXT, qa_comment TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_ref ON cases(ref);
CREATE TABLE answers (
  id TEXT PRIMARY KEY, case_id TEXT, question_id TEXT, value TEXT, comment TEXT, reason TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX answers_case ON answers(case_id);
CREATE TABLE interviews (
  id TEXT PRIMARY KEY, kind TEXT, date TEXT, organisation TEXT, title TEXT, consent INTEGER,
  notes TEXT, author TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE interview_cases (
  id TEXT PRIMARY KEY, interview_id TEXT, case_id TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX interview_cases_interview ON interview_cases(interview_id);
CREATE TABLE quotes (
  id TEXT PRIMARY KEY, interview_id TEXT, start INTEGER, "end" INTEGER, text TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tags (
  id TEXT PRIMARY KEY, label TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE quote_tags (
  id TEXT PRIMARY KEY, quote_id TEXT, tag_id TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quote_tags_quote ON quote_tags(quote_id);
CREATE TABLE findings (
  id TEXT PRIMARY KEY, standard_id TEXT, organisation TEXT, kind TEXT, text TEXT,
  position INTEGER, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE finding_quotes (
  id TEXT PRIMARY KEY, finding_id TEXT, quote_id TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE recommendations (
  id TEXT PRIMARY KEY, position INTEGER, addressee TEXT, text TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);

-- Full-text search over notes, comments and quotes (kept by the store's write path).
-- search_rows maps each indexed field to the FTS rowid, so a row is re-indexed by key
-- rather than by scanning the index.
CREATE TABLE search_rows (
  id     INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  row    TEXT NOT NULL,
  field  TEXT NOT NULL,
  UNIQUE (entity, row, field)
);
CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
