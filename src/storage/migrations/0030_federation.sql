-- Federation of city nodes (exchange/federation.h): the nodes this node exchanges records with,
-- and the ledger of record transfers both ways.

-- A peer's public keys as handed over when it joined (jundeng federation join): X25519 to seal
-- bundles to it, Ed25519 to check the bundles it signs. Base64.
CREATE TABLE federation_peers (
  node_id      TEXT PRIMARY KEY,
  box_public   TEXT NOT NULL,
  sign_public  TEXT NOT NULL,
  joined_at    TEXT NOT NULL,
  joined_by    TEXT NOT NULL
);

-- One row per transfer id (made by the sender, UUIDv7), so a bundle delivered twice is ingested
-- once. Outgoing rows keep the sealed envelope until the message engine has acknowledged it
-- ('queued' → 'sent'), so a node that stops in between sends the same bytes again; incoming rows
-- are written when the bundle is ingested ('ingested') or refused ('refused', with the reason).
-- No personal data beyond the person's id here: the bundle itself is in the records it made.
CREATE TABLE federation_transfers (
  id            TEXT PRIMARY KEY,
  direction     TEXT NOT NULL CHECK (direction IN ('out', 'in')),
  peer          TEXT NOT NULL,
  person_id     TEXT NOT NULL,
  to_division   TEXT NOT NULL,
  legal_basis   TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'ingested', 'refused')),
  envelope      TEXT,
  bundle_sha256 TEXT NOT NULL,
  resources     INTEGER NOT NULL DEFAULT 0,
  detail        TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX federation_transfers_state ON federation_transfers(direction, state, created_at);
CREATE INDEX federation_transfers_person ON federation_transfers(person_id);
