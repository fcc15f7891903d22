-- Severe mental disorders (严重精神障碍患者管理, mental/store.h): the registered patients, their
-- follow-ups with the danger assessment and the class it implies, the emergency handling records
-- (应急处置记录) and the danger alerts raised for the partner departments (综治/公安) of the
-- patient's area. Rules: mental/rules.h (国家基本公共卫生服务规范（第三版）严重精神障碍患者管理;
-- 严重精神障碍管理治疗工作规范（2018年版）). Portable SQL as in 0001: TEXT ISO-8601 dates, UTC
-- timestamps, 0/1 integers for flags.
--
-- A patient is read where the person lives now (persons.residence_path); managing_unit is the
-- centre that follows the patient up. next_due and class are the latest follow-up's, kept on the
-- patient for the overdue list (NULL class before the first follow-up).
CREATE TABLE mental_patients (
  id             TEXT PRIMARY KEY,
  person_id      TEXT NOT NULL REFERENCES persons(id),
  diagnosis      TEXT NOT NULL CHECK (diagnosis IN ('schizophrenia', 'schizoaffective',
                   'paranoid_psychosis', 'bipolar', 'epilepsy_psychosis',
                   'intellectual_disability_psychosis')),
  diagnosed_on   TEXT NOT NULL,
  consent        TEXT NOT NULL CHECK (consent IN ('signed', 'refused', 'not_yet')),
  consent_on     TEXT,
  managing_unit  TEXT NOT NULL REFERENCES org_units(code),
  registered_on  TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'moved', 'died',
                   'closed')),
  class          TEXT CHECK (class IS NULL OR class IN ('unstable', 'basically_stable', 'stable')),
  next_due       TEXT NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  updated_by     TEXT NOT NULL
);
-- One registration per person.
CREATE UNIQUE INDEX mental_patients_person ON mental_patients(person_id);
CREATE INDEX mental_patients_due ON mental_patients(status, next_due);

-- One row per follow-up (规范 第三版 严重精神障碍患者管理 附件 随访服务记录表).
CREATE TABLE mental_follow_ups (
  id                TEXT PRIMARY KEY,
  patient_id        TEXT NOT NULL REFERENCES mental_patients(id),
  visited_on        TEXT NOT NULL,
  danger_level      INTEGER NOT NULL CHECK (danger_level BETWEEN 0 AND 5),
  symptoms          TEXT NOT NULL CHECK (symptoms IN ('none', 'present', 'marked')),
  insight           TEXT NOT NULL CHECK (insight IN ('complete', 'partial', 'none')),
  sleep             TEXT NOT NULL CHECK (sleep IN ('good', 'fair', 'poor')),
  social_function   TEXT NOT NULL CHECK (social_function IN ('good', 'fair', 'poor')),
  adherence         TEXT NOT NULL CHECK (adherence IN ('regular', 'intermittent', 'none')),
  side_effects      TEXT NOT NULL CHECK (side_effects IN ('none', 'present', 'serious')),
  physical_illness  TEXT NOT NULL CHECK (physical_illness IN ('none', 'present', 'serious')),
  hospitalisation   TEXT NOT NULL CHECK (hospitalisation IN ('never', 'past', 'current')),
  last_discharge_on TEXT,
  lab_done          INTEGER NOT NULL DEFAULT 0 CHECK (lab_done IN (0, 1)),
  lab_note          TEXT NOT NULL DEFAULT '',
  rehabilitation    TEXT NOT NULL DEFAULT '',  -- comma-separated codes (mental/rules.h)
  improving         INTEGER NOT NULL DEFAULT 0 CHECK (improving IN (0, 1)),
  note              TEXT NOT NULL DEFAULT '',
  class             TEXT NOT NULL CHECK (class IN ('unstable', 'basically_stable', 'stable')),
  next_due          TEXT NOT NULL,
  recorded_at       TEXT NOT NULL,
  recorded_by       TEXT NOT NULL
);
CREATE INDEX mental_follow_ups_patient ON mental_follow_ups(patient_id, visited_on);

-- 应急处置记录: what happened, what was done, how it ended.
CREATE TABLE mental_emergencies (
  id          TEXT PRIMARY KEY,
  patient_id  TEXT NOT NULL REFERENCES mental_patients(id),
  occurred_on TEXT NOT NULL,
  situation   TEXT NOT NULL,
  measures    TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
);
CREATE INDEX mental_emergencies_patient ON mental_emergencies(patient_id, occurred_on);

-- A danger alert (危险性评估 3 级及以上) for the partner users whose unit covers area_path, the
-- patient's residence when it was raised. A partner reads name, address, level and time only.
CREATE TABLE mental_alerts (
  id              TEXT PRIMARY KEY,
  patient_id      TEXT NOT NULL REFERENCES mental_patients(id),
  follow_up_id    TEXT NOT NULL REFERENCES mental_follow_ups(id),
  area_path       TEXT NOT NULL,
  danger_level    INTEGER NOT NULL CHECK (danger_level BETWEEN 3 AND 5),
  raised_at       TEXT NOT NULL,
  acknowledged_at TEXT,
  acknowledged_by TEXT
);
CREATE INDEX mental_alerts_area ON mental_alerts(area_path, raised_at);

-- Change events as in 0005: the live statistics reload the person.
CREATE TRIGGER mental_patients_insert_event AFTER INSERT ON mental_patients
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'mental', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER mental_patients_update_event AFTER UPDATE ON mental_patients
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'mental', NEW.id, 'update', NEW.person_id);
END;

CREATE TRIGGER mental_follow_ups_insert_event AFTER INSERT ON mental_follow_ups
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'mental', NEW.id, 'insert',
          (SELECT person_id FROM mental_patients WHERE id = NEW.patient_id));
END;

CREATE TRIGGER mental_emergencies_insert_event AFTER INSERT ON mental_emergencies
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'mental', NEW.id, 'insert',
          (SELECT person_id FROM mental_patients WHERE id = NEW.patient_id));
END;

CREATE TRIGGER mental_alerts_insert_event AFTER INSERT ON mental_alerts
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'mental_alert', NEW.id, 'insert',
          (SELECT person_id FROM mental_patients WHERE id = NEW.patient_id));
END;

CREATE TRIGGER mental_alerts_update_event AFTER UPDATE ON mental_alerts
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'mental_alert', NEW.id, 'update',
          (SELECT person_id FROM mental_patients WHERE id = NEW.patient_id));
END;
