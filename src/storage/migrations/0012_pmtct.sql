-- HIV, syphilis and hepatitis B in pregnancy (maternal/pmtct_store.h): the tests of a pregnancy,
-- the PMTCT case a positive result opens (预防艾滋病、梅毒和乙肝母婴传播工作规范（2020年版）,
-- one case per infection and pregnancy) and the items of the follow-up done for the mother and each
-- baby. The schedule is not stored: maternal/pmtct.h computes it from these rows and the day.
-- Portable SQL as in 0001. Number 0011 is the child module's.
CREATE TABLE pregnancy_infection_tests (
  id           TEXT PRIMARY KEY,
  pregnancy_id TEXT NOT NULL REFERENCES pregnancies(id),
  infection    TEXT NOT NULL CHECK (infection IN ('hiv', 'syphilis', 'hbv')),
  tested_on    TEXT NOT NULL,
  result       TEXT NOT NULL CHECK (result IN ('negative', 'positive', 'indeterminate')),
  recorded_at  TEXT NOT NULL,
  recorded_by  TEXT NOT NULL
);
CREATE INDEX pregnancy_infection_tests_pregnancy
  ON pregnancy_infection_tests(pregnancy_id, tested_on);

CREATE TABLE pmtct_cases (
  id                             TEXT PRIMARY KEY,
  pregnancy_id                   TEXT NOT NULL REFERENCES pregnancies(id),
  person_id                      TEXT NOT NULL REFERENCES persons(id),  -- the mother
  infection                      TEXT NOT NULL CHECK (infection IN ('hiv', 'syphilis', 'hbv')),
  diagnosed_on                   TEXT NOT NULL,
  hiv_high_exposure_risk         INTEGER NOT NULL DEFAULT 0 CHECK (hiv_high_exposure_risk IN (0, 1)),
  hiv_12m_antibody_negative      INTEGER NOT NULL DEFAULT 0
                                 CHECK (hiv_12m_antibody_negative IN (0, 1)),
  syphilis_prophylaxis_indicated INTEGER NOT NULL DEFAULT 0
                                 CHECK (syphilis_prophylaxis_indicated IN (0, 1)),
  opened_at                      TEXT NOT NULL,
  opened_by                      TEXT NOT NULL,
  closed_on                      TEXT
);
-- One case per infection and pregnancy: a second positive test adds nothing to open.
CREATE UNIQUE INDEX pmtct_cases_one ON pmtct_cases(pregnancy_id, infection);
CREATE INDEX pmtct_cases_person ON pmtct_cases(person_id);

-- subject 'infant' names the baby (a newborn of the pregnancy); 'mother' has no infant.
CREATE TABLE pmtct_records (
  id               TEXT PRIMARY KEY,
  case_id          TEXT NOT NULL REFERENCES pmtct_cases(id),
  item             TEXT NOT NULL,
  subject          TEXT NOT NULL CHECK (subject IN ('mother', 'infant')),
  infant_person_id TEXT REFERENCES persons(id),
  done_on          TEXT NOT NULL,
  recorded_at      TEXT NOT NULL,
  recorded_by      TEXT NOT NULL,
  CHECK ((subject = 'infant') = (infant_person_id IS NOT NULL))
);
CREATE INDEX pmtct_records_case ON pmtct_records(case_id, done_on);

-- Change events as in 0005 and 0010: the live statistics reload the mother.
CREATE TRIGGER pregnancy_infection_tests_insert_event AFTER INSERT ON pregnancy_infection_tests
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'pmtct', NEW.id, 'insert',
          (SELECT person_id FROM pregnancies WHERE id = NEW.pregnancy_id));
END;

CREATE TRIGGER pmtct_cases_insert_event AFTER INSERT ON pmtct_cases
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'pmtct', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER pmtct_cases_update_event AFTER UPDATE ON pmtct_cases
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'pmtct', NEW.id, 'update', NEW.person_id);
END;

CREATE TRIGGER pmtct_records_insert_event AFTER INSERT ON pmtct_records
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'pmtct', NEW.id, 'insert',
          (SELECT person_id FROM pmtct_cases WHERE id = NEW.case_id));
END;
