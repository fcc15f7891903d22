-- The immunisation programme's work over many children (immunization/programme_*): catch-up rounds
-- (查漏补种) with the list they produced, supplementary and emergency campaigns (补充免疫, 应急
-- 接种), and kindergarten/school entry checks (入托入学查验) with their rows. Portable SQL as in
-- 0001: TEXT ISO-8601 dates and timestamps, TEXT UUIDv7 ids, partial indexes.

-- One 查漏补种 round: the children of an area with missing or overdue doses as of a date. The
-- list is kept as it was made (catch_up_items); what got done later is read from the dose records.
CREATE TABLE catch_up_rounds (
  id            TEXT PRIMARY KEY,
  area_code     TEXT NOT NULL REFERENCES org_units(code),
  area_path     TEXT NOT NULL,
  as_of         TEXT NOT NULL,
  children      INTEGER NOT NULL,
  doses         INTEGER NOT NULL,
  note          TEXT,
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL
);
CREATE INDEX catch_up_rounds_area ON catch_up_rounds(area_path, as_of);

-- One planned dose of one child of a round, in the child's plan order (position).
CREATE TABLE catch_up_items (
  round_id      TEXT NOT NULL REFERENCES catch_up_rounds(id),
  person_id     TEXT NOT NULL REFERENCES persons(id),
  position      INTEGER NOT NULL,
  series        TEXT NOT NULL,
  vaccine       TEXT NOT NULL,
  dose          INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('due', 'overdue', 'needs_test')),
  earliest      TEXT NOT NULL,
  timely_by     TEXT,
  planned_on    TEXT NOT NULL,
  PRIMARY KEY (round_id, person_id, position)
) WITHOUT ROWID;
CREATE INDEX catch_up_items_person ON catch_up_items(person_id);

-- A supplementary or emergency campaign: one vaccine for the children of an area whose age on
-- the start date lies in [age_from_months, age_to_months] (completed months).
CREATE TABLE campaigns (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('supplementary', 'emergency')),
  vaccine         TEXT NOT NULL,
  age_from_months INTEGER NOT NULL CHECK (age_from_months >= 0),
  age_to_months   INTEGER NOT NULL CHECK (age_to_months >= age_from_months),
  area_code       TEXT NOT NULL REFERENCES org_units(code),
  area_path       TEXT NOT NULL,
  start_date      TEXT NOT NULL,
  end_date        TEXT NOT NULL CHECK (end_date >= start_date),
  note            TEXT,
  created_at      TEXT NOT NULL,
  created_by      TEXT NOT NULL
);
CREATE INDEX campaigns_area ON campaigns(area_path, start_date);
-- The doses recorded against a campaign (vaccination_records.campaign_id, 0002).
CREATE INDEX vaccination_records_campaign ON vaccination_records(campaign_id)
  WHERE campaign_id IS NOT NULL;

-- One 入托入学查验: a roster imported for a kindergarten or school, checked on a date by a unit.
CREATE TABLE entry_checks (
  id              TEXT PRIMARY KEY,
  school          TEXT NOT NULL,
  check_date      TEXT NOT NULL,
  org_code        TEXT NOT NULL REFERENCES org_units(code),
  org_path        TEXT NOT NULL,
  file_name       TEXT,
  rows_total      INTEGER NOT NULL,
  rows_invalid    INTEGER NOT NULL,
  complete        INTEGER NOT NULL,
  needs_catch_up  INTEGER NOT NULL,
  not_found       INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  created_by      TEXT NOT NULL
);
CREATE INDEX entry_checks_org ON entry_checks(org_path, check_date);

-- A good roster row and its result; doses is a JSON array of the doses to catch up.
CREATE TABLE entry_check_rows (
  check_id        TEXT NOT NULL REFERENCES entry_checks(id),
  row_no          INTEGER NOT NULL,
  child_name      TEXT NOT NULL,
  sex             TEXT,
  birth_date      TEXT NOT NULL,
  id_number       TEXT,
  guardian_name   TEXT,
  guardian_phone  TEXT,
  school          TEXT,
  class_name      TEXT,
  result          TEXT NOT NULL CHECK (result IN ('complete', 'needs_catch_up', 'not_found')),
  match_method    TEXT CHECK (match_method IN ('id_number', 'name_birth_phone')),
  not_found_reason TEXT,
  person_id       TEXT REFERENCES persons(id),
  has_file        INTEGER NOT NULL DEFAULT 0,
  doses           TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (check_id, row_no)
) WITHOUT ROWID;

-- A rejected roster row: one line per problem (row, column, code, messages).
CREATE TABLE entry_check_errors (
  check_id    TEXT NOT NULL REFERENCES entry_checks(id),
  seq         INTEGER NOT NULL,
  row_no      INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  code        TEXT NOT NULL,
  message_zh  TEXT NOT NULL,
  message_en  TEXT NOT NULL,
  PRIMARY KEY (check_id, seq)
) WITHOUT ROWID;
