-- Schema 6: provable authors and lead-held membership (issue 12). Never edit once shipped.

-- A member's Ed25519 public key (64 hex digits): the key that signs its devices' chains.
ALTER TABLE members ADD COLUMN signing_key TEXT;
-- The Ed25519 key of a member's further laptop, beside its age key.
ALTER TABLE member_keys ADD COLUMN signing_key TEXT;

-- Ops kept but not applied: a change to the team (members, roles, keys) written by
-- someone other than the lead, or a laptop's own request to join. Same columns as
-- `changes`, so they travel on in bundles and keep each device's chain whole.
CREATE TABLE set_aside (
  op      TEXT PRIMARY KEY,
  hlc     TEXT NOT NULL,
  device  TEXT NOT NULL,
  author  TEXT NOT NULL,
  entity  TEXT NOT NULL,
  row     TEXT NOT NULL,
  field   TEXT NOT NULL,
  value   TEXT,
  prev    TEXT NOT NULL,
  reason  TEXT NOT NULL,
  bundle  TEXT,
  at      TEXT NOT NULL
);
CREATE INDEX set_aside_hlc ON set_aside(hlc, device, op);

-- Signed chain heads seen in bundles or made here: one row per device and length.
-- Local (never synced as ops): a laptop relays them in its own bundles.
CREATE TABLE chain_heads (
  device    TEXT NOT NULL,
  count     INTEGER NOT NULL,
  author    TEXT NOT NULL,
  head      TEXT NOT NULL,
  key       TEXT NOT NULL,
  signature TEXT NOT NULL,
  last_hlc  TEXT NOT NULL,
  last_op   TEXT NOT NULL,
  PRIMARY KEY (device, count)
) WITHOUT ROWID;

-- Forms a bundle carried that differ from this file's but were not signed by the lead.
CREATE TABLE set_aside_forms (
  sha256  TEXT PRIMARY KEY,
  form_id TEXT NOT NULL,
  version INTEGER,
  source  TEXT NOT NULL,
  signer  TEXT,
  bundle  TEXT,
  at      TEXT NOT NULL
);

-- What a refused bundle proved about a device: a fork (two different ops at one position
-- of its chain), a gap, or ops altered on the way. Kept although the bundle was refused.
CREATE TABLE chain_evidence (
  id      INTEGER PRIMARY KEY,
  device  TEXT NOT NULL,
  author  TEXT,
  kind    TEXT NOT NULL,
  detail  TEXT NOT NULL,
  bundle  TEXT,
  at      TEXT NOT NULL
);
