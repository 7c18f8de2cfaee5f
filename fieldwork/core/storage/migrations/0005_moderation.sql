-- Schema 5: moderation (core/moderation). Five shared entities, materialised from the
-- change log like every other: the seeded draws, the sample, the blind rounds, their
-- answers and the settled values. A file without them (release 0.1.0) gains empty tables.
-- Numbered 5, not 3: two other branches add a schema 3. Never edit once shipped.

CREATE TABLE moderation_draws (
  id TEXT PRIMARY KEY, seed INTEGER, share INTEGER, minimum INTEGER, rule TEXT, frame TEXT,
  drawn TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE moderation_cases (
  id TEXT PRIMARY KEY, case_id TEXT, kind TEXT, draw_id TEXT, second_assessor TEXT,
  reason TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE moderation_rounds (
  id TEXT PRIMARY KEY, case_id TEXT, assessor TEXT, status TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX moderation_rounds_case ON moderation_rounds(case_id);
CREATE TABLE moderation_answers (
  id TEXT PRIMARY KEY, case_id TEXT, assessor TEXT, question_id TEXT, value TEXT,
  comment TEXT, reason TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX moderation_answers_case ON moderation_answers(case_id, assessor);
CREATE TABLE moderation_settlements (
  id TEXT PRIMARY KEY, case_id TEXT, question_id TEXT, value TEXT, reason TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX moderation_settlements_case ON moderation_settlements(case_id);
