-- Schema 4: more than one laptop per team member. A person who joins on a second laptop
-- (or joins under the name the case sample allotted cases to) is the same member; each
-- of their laptops' age keys is a row here, so the team's bundles reach all of them.
-- Purely additive. Never edit once shipped.

CREATE TABLE member_keys (
  id TEXT PRIMARY KEY, member_id TEXT, public_key TEXT, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX member_keys_member ON member_keys(member_id);
