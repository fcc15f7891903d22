-- HIV and TB free treatment and follow-up on the person (disease/hivtb_store.h): the HIV care
-- record of a person (national free antiretroviral treatment, 四免一关怀) with its follow-ups
-- (CD4, viral load, adherence), and the TB treatment courses (国家基本公共卫生服务规范（第三版）
-- 肺结核患者健康管理) with their visits (doses taken and missed, sputum) and outcome. The schedules
-- and the phase of a course are not stored: disease/tb_course.h and disease/hivtb_art.h compute
-- them from these rows and the day. Portable SQL as in 0001: TEXT ISO-8601 dates, UTC timestamps.
-- Rows are read where the person lives now (persons.residence_path), like every person row.
CREATE TABLE hiv_care (
  id             TEXT PRIMARY KEY,
  person_id      TEXT NOT NULL UNIQUE REFERENCES persons(id),
  diagnosed_on   TEXT NOT NULL,
  art_started_on TEXT,
  regimen        TEXT NOT NULL DEFAULT '',
  treating_unit  TEXT NOT NULL REFERENCES org_units(code),
  status         TEXT NOT NULL CHECK (status IN ('not_started', 'on_art', 'stopped',
                   'transferred_out', 'died', 'lost')),
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  updated_by     TEXT NOT NULL
);

-- cd4 in cells/µL and viral_load in copies/mL, NULL when not measured at that follow-up; doses
-- as the treatment card counts them since the previous follow-up.
CREATE TABLE hiv_follow_ups (
  id            TEXT PRIMARY KEY,
  care_id       TEXT NOT NULL REFERENCES hiv_care(id),
  followed_on   TEXT NOT NULL,
  cd4           INTEGER CHECK (cd4 IS NULL OR cd4 >= 0),
  viral_load    INTEGER CHECK (viral_load IS NULL OR viral_load >= 0),
  doses_taken   INTEGER NOT NULL DEFAULT 0 CHECK (doses_taken >= 0),
  doses_missed  INTEGER NOT NULL DEFAULT 0 CHECK (doses_missed >= 0),
  notes         TEXT NOT NULL DEFAULT '',
  recorded_at   TEXT NOT NULL,
  recorded_by   TEXT NOT NULL
);
CREATE INDEX hiv_follow_ups_care ON hiv_follow_ups(care_id, followed_on);

CREATE TABLE tb_courses (
  id            TEXT PRIMARY KEY,
  person_id     TEXT NOT NULL REFERENCES persons(id),
  notified_on   TEXT NOT NULL,
  started_on    TEXT NOT NULL,
  regimen       TEXT NOT NULL CHECK (regimen IN ('new_6m', 'retreatment_8m', 'drug_resistant')),
  treating_unit TEXT NOT NULL REFERENCES org_units(code),
  outcome       TEXT CHECK (outcome IS NULL OR outcome IN ('cured', 'completed', 'failed', 'died',
                  'lost')),
  outcome_on    TEXT,
  outcome_note  TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  CHECK ((outcome IS NULL) = (outcome_on IS NULL))
);
CREATE INDEX tb_courses_person ON tb_courses(person_id, started_on);
CREATE INDEX tb_courses_open ON tb_courses(person_id) WHERE outcome IS NULL;

CREATE TABLE tb_visits (
  id            TEXT PRIMARY KEY,
  course_id     TEXT NOT NULL REFERENCES tb_courses(id),
  visited_on    TEXT NOT NULL,
  doses_taken   INTEGER NOT NULL DEFAULT 0 CHECK (doses_taken >= 0),
  doses_missed  INTEGER NOT NULL DEFAULT 0 CHECK (doses_missed >= 0),
  sputum        TEXT NOT NULL DEFAULT 'none' CHECK (sputum IN ('none', 'negative', 'positive')),
  notes         TEXT NOT NULL DEFAULT '',
  recorded_at   TEXT NOT NULL,
  recorded_by   TEXT NOT NULL
);
CREATE INDEX tb_visits_course ON tb_visits(course_id, visited_on);

-- Change events as in 0005: the live statistics reload the person.
CREATE TRIGGER hiv_care_insert_event AFTER INSERT ON hiv_care
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'hiv_care', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER hiv_care_update_event AFTER UPDATE ON hiv_care
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'hiv_care', NEW.id, 'update', NEW.person_id);
END;

CREATE TRIGGER hiv_follow_ups_insert_event AFTER INSERT ON hiv_follow_ups
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'hiv_care', NEW.id, 'insert',
          (SELECT person_id FROM hiv_care WHERE id = NEW.care_id));
END;

CREATE TRIGGER tb_courses_insert_event AFTER INSERT ON tb_courses
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'tb_course', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER tb_courses_update_event AFTER UPDATE ON tb_courses
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'tb_course', NEW.id, 'update', NEW.person_id);
END;

CREATE TRIGGER tb_visits_insert_event AFTER INSERT ON tb_visits
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'tb_course', NEW.id, 'insert',
          (SELECT person_id FROM tb_courses WHERE id = NEW.course_id));
END;
