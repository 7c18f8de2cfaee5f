-- Schema 3: inspection methods (issue 13). The method file the inspection follows, kept
-- like its forms; a case's sample (which instrument assesses it); the evidence register
-- and the team's judgements on judgement-rated standards; professional-discretion
-- overrides; the report's own texts (foreword, overall findings, background).
-- Purely additive: a file of schema 2 gains empty tables and null columns. Never edit
-- once shipped.

CREATE TABLE methods (
  id      TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  source  TEXT NOT NULL
);

ALTER TABLE inspection ADD COLUMN method_id TEXT;
ALTER TABLE cases ADD COLUMN sample TEXT;

CREATE TABLE evidence (
  id TEXT PRIMARY KEY, kind TEXT, date TEXT, title TEXT, attendees TEXT, notes TEXT,
  organisation TEXT, author TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE evidence_links (
  id TEXT PRIMARY KEY, evidence_id TEXT, target TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX evidence_links_evidence ON evidence_links(evidence_id);
CREATE TABLE kq_judgements (
  id TEXT PRIMARY KEY, organisation TEXT, key_question_id TEXT, judgement TEXT, text TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE standard_judgements (
  id TEXT PRIMARY KEY, organisation TEXT, standard_id TEXT, rating TEXT, justification TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE overrides (
  id TEXT PRIMARY KEY, organisation TEXT, standard_id TEXT, rating TEXT, reason TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE report_texts (
  id TEXT PRIMARY KEY, part TEXT, text TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
