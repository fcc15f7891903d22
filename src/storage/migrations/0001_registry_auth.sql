-- Registry, users, sessions and the audit log. Portable SQL: TEXT ISO-8601 dates and timestamps,
-- TEXT UUIDv7 ids, partial indexes (SQLite ≥ 3.8 and PostgreSQL both have them).

CREATE TABLE org_units (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  level       TEXT NOT NULL CHECK (level IN ('city', 'district', 'street', 'community')),
  parent_code TEXT REFERENCES org_units(code),
  path        TEXT NOT NULL UNIQUE
);
CREATE INDEX org_units_parent ON org_units(parent_code);

CREATE TABLE import_batches (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  rows_total  INTEGER NOT NULL DEFAULT 0,
  rows_ok     INTEGER NOT NULL DEFAULT 0,
  rows_failed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE persons (
  id                  TEXT PRIMARY KEY,
  name                TEXT NOT NULL,
  sex                 TEXT NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date          TEXT NOT NULL,
  id_type             TEXT NOT NULL,
  id_number           TEXT NOT NULL,
  ethnicity           TEXT,
  phone               TEXT,
  hukou_division      TEXT NOT NULL,
  hukou_address       TEXT,
  residence_org       TEXT NOT NULL REFERENCES org_units(code),
  residence_path      TEXT NOT NULL,
  residence_address   TEXT,
  left_hukou_on       TEXT,
  arrived_on          TEXT NOT NULL,
  move_reason         TEXT NOT NULL,
  occupation          TEXT,
  employer            TEXT,
  marital_status      TEXT NOT NULL DEFAULT 'unknown',
  residence_permit_no TEXT,
  residence_permit_valid_until TEXT,
  health_card_no      TEXT,
  status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'moved_out', 'died')),
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  created_by          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  updated_by          TEXT NOT NULL,
  import_batch        TEXT REFERENCES import_batches(id)
);
-- One person per identity document: duplicates are refused with a pointer to the existing record.
CREATE UNIQUE INDEX persons_identity ON persons(id_number, id_type);
-- Name and phone search within a jurisdiction (prefix of residence_path).
CREATE INDEX persons_name ON persons(name, residence_path);
CREATE INDEX persons_phone ON persons(phone) WHERE phone IS NOT NULL;
CREATE INDEX persons_residence ON persons(residence_path);

-- Every earlier version of a person, so that an update overwrites nothing without a trace.
CREATE TABLE person_versions (
  person_id   TEXT NOT NULL REFERENCES persons(id),
  version     INTEGER NOT NULL,
  data        TEXT NOT NULL,
  replaced_at TEXT NOT NULL,
  replaced_by TEXT NOT NULL,
  PRIMARY KEY (person_id, version)
);

-- Clustered by person and date (WITHOUT ROWID): a person's history is one range read, and an
-- event costs one B-tree insert instead of three (table, id index, person index). The id stays
-- unique by construction (UUIDv7) and is part of the key. (PostgreSQL: a plain table with the
-- same primary key.)
CREATE TABLE residence_events (
  person_id   TEXT NOT NULL REFERENCES persons(id),
  event_date  TEXT NOT NULL,
  id          TEXT NOT NULL,
  type        TEXT NOT NULL CHECK (type IN ('arrived', 'moved_within_city', 'moved_out', 'returned', 'died')),
  org_code    TEXT REFERENCES org_units(code),
  address     TEXT,
  note        TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (person_id, event_date, id)
) WITHOUT ROWID;

CREATE TABLE documents (
  id            TEXT PRIMARY KEY,
  person_id     TEXT NOT NULL REFERENCES persons(id),
  type          TEXT NOT NULL,
  number        TEXT,
  issued_by     TEXT,
  issued_on     TEXT,
  valid_until   TEXT,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  submitted_at  TEXT NOT NULL,
  submitted_by  TEXT NOT NULL,
  reviewed_at   TEXT,
  reviewed_by   TEXT,
  review_reason TEXT
);
CREATE INDEX documents_person ON documents(person_id);
CREATE INDEX documents_pending ON documents(status, submitted_at) WHERE status = 'pending';

CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  display_name    TEXT NOT NULL,
  role            TEXT NOT NULL,
  org_code        TEXT NOT NULL REFERENCES org_units(code),
  password_hash   TEXT NOT NULL,
  failed_logins   INTEGER NOT NULL DEFAULT 0,
  locked_until    TEXT,
  active          INTEGER NOT NULL DEFAULT 1,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users(id),
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ended_at     TEXT,
  client       TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Append-only audit log (等保 2.0 安全审计). Each row's hmac chains the previous row's, under a key
-- kept outside the database; `jundeng audit verify` finds edited or deleted rows.
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  username    TEXT NOT NULL,
  role        TEXT NOT NULL,
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id   TEXT NOT NULL,
  person_id   TEXT NOT NULL,
  result      TEXT NOT NULL,
  client      TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  detail      TEXT NOT NULL,
  hmac        TEXT NOT NULL
);
CREATE INDEX audit_log_person ON audit_log(person_id) WHERE person_id <> '';
CREATE INDEX audit_log_user ON audit_log(user_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Transactional outbox of committed changes, for in-process subscribers (live statistics,
-- reminders) and later federation; replayable after a crash.
CREATE TABLE change_events (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  op          TEXT NOT NULL,
  person_id   TEXT
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
