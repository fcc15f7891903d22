-- Maternal health (maternal/): one row per pregnancy (the episode of the 母子健康手册), its
-- visits (antenatal, postpartum home visit, 42-day check) and its risk assessments. Portable SQL
-- as in 0001: TEXT ISO-8601 dates and timestamps, 0/1 integers for flags.
--
-- The schedule's status is a function of these rows and the day (maternal/antenatal.h); what the
-- due lists and the statistics filter on is kept with the pregnancy and rewritten on every write:
-- next_due_on (the earliest window start of a contact still open: due, overdue or upcoming) and
-- the risk colour of the latest assessment.
CREATE TABLE pregnancies (
  id                TEXT PRIMARY KEY,
  person_id         TEXT NOT NULL REFERENCES persons(id),
  clinic_code       TEXT NOT NULL REFERENCES org_units(code),
  lmp               TEXT NOT NULL,
  edd               TEXT NOT NULL,
  dating_method     TEXT NOT NULL CHECK (dating_method IN ('lmp', 'ultrasound')),
  ultrasound_date   TEXT,
  ultrasound_ga_days INTEGER,
  registered_on     TEXT NOT NULL,
  gravidity         INTEGER NOT NULL CHECK (gravidity >= 1),
  parity            INTEGER NOT NULL CHECK (parity >= 0),
  risk_colour       TEXT NOT NULL,
  risk_coexisting   TEXT NOT NULL DEFAULT '',
  risk_assessed_on  TEXT,
  high_risk         INTEGER NOT NULL DEFAULT 0 CHECK (high_risk IN (0, 1)),
  delivered_on      TEXT,
  discharged_on     TEXT,
  delivery_mode     TEXT CHECK (delivery_mode IN ('vaginal', 'caesarean', 'assisted')),
  delivery_place    TEXT,
  live_births       INTEGER,
  ended_on          TEXT,
  end_reason        TEXT,
  closed_on         TEXT,
  next_due_on       TEXT,
  antenatal_visits  INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  created_by        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  updated_by        TEXT NOT NULL
);
CREATE INDEX pregnancies_person ON pregnancies(person_id);
-- At most one pregnancy of a woman is open (not closed) at a time.
CREATE UNIQUE INDEX pregnancies_one_open ON pregnancies(person_id) WHERE closed_on IS NULL;
CREATE INDEX pregnancies_next_due ON pregnancies(next_due_on) WHERE closed_on IS NULL;

CREATE TABLE pregnancy_visits (
  id               TEXT PRIMARY KEY,
  pregnancy_id     TEXT NOT NULL REFERENCES pregnancies(id),
  kind             TEXT NOT NULL CHECK (kind IN ('antenatal', 'postpartum_home', 'postpartum_42d')),
  visit_date       TEXT NOT NULL,
  ga_days          INTEGER,
  clinic_code      TEXT NOT NULL REFERENCES org_units(code),
  systolic         INTEGER,
  diastolic        INTEGER,
  weight_kg        REAL,
  fundal_height_cm REAL,
  fetal_heart_rate INTEGER,
  haemoglobin_g_l  REAL,
  urine_protein    TEXT,
  advice           TEXT NOT NULL DEFAULT '',
  recorded_at      TEXT NOT NULL,
  recorded_by      TEXT NOT NULL
);
CREATE INDEX pregnancy_visits_pregnancy ON pregnancy_visits(pregnancy_id, visit_date);

-- The children of a delivery: each became a registry person (出生医学证明 as the identity), linked
-- here to the pregnancy and so to the mother.
CREATE TABLE pregnancy_newborns (
  pregnancy_id    TEXT NOT NULL REFERENCES pregnancies(id),
  seq             INTEGER NOT NULL CHECK (seq >= 1),
  person_id       TEXT NOT NULL UNIQUE REFERENCES persons(id),
  birth_weight_g  INTEGER,
  birth_length_cm REAL,
  PRIMARY KEY (pregnancy_id, seq)
);

-- Every assessment is kept (规范: re-assessed at every visit); the pregnancy holds the latest.
-- conditions: the condition codes, comma-separated; derived: those computed, not ticked.
CREATE TABLE risk_assessments (
  id            TEXT PRIMARY KEY,
  pregnancy_id  TEXT NOT NULL REFERENCES pregnancies(id),
  assessed_on   TEXT NOT NULL,
  colour        TEXT NOT NULL,
  coexisting    TEXT NOT NULL DEFAULT '',
  conditions    TEXT NOT NULL DEFAULT '',
  derived       TEXT NOT NULL DEFAULT '',
  stated_colour TEXT,
  colour_set    TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  recorded_by   TEXT NOT NULL
);
CREATE INDEX risk_assessments_pregnancy ON risk_assessments(pregnancy_id, assessed_on);

-- Change events as in 0005: the live statistics reload the woman whose pregnancy changed.
CREATE TRIGGER pregnancies_insert_event AFTER INSERT ON pregnancies
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'pregnancy', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER pregnancies_update_event AFTER UPDATE ON pregnancies
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'pregnancy', NEW.id, 'update', NEW.person_id);
END;
