-- Child health 0–6 (child/): one row per check-up of a child (国家基本公共卫生服务规范（第三版）
-- 0～6岁儿童健康管理服务规范 二(一)–(四)): the newborn home visit, the 满月 visit, the infant and
-- toddler check-ups and the yearly pre-school ones, or an added contact. Portable SQL as in 0001:
-- TEXT ISO-8601 dates and timestamps, 0/1 integers for flags.
--
-- The schedule's status is a function of these rows, the birth date and the day (child/checkups.h):
-- it is not stored. contact_kind is the contact the recorder named, or NULL, and the schedule then
-- assigns the record by its date. The z-scores are computed on reading (child/growth.h).
CREATE TABLE child_checkups (
  id               TEXT PRIMARY KEY,
  person_id        TEXT NOT NULL REFERENCES persons(id),
  contact_kind     TEXT CHECK (contact_kind IN ('newborn_visit', 'month_1', 'm3', 'm6', 'm8',
                                                'm12', 'm18', 'm24', 'm30', 'm36', 'y4', 'y5',
                                                'y6')),
  checkup_date     TEXT NOT NULL,
  clinic_code      TEXT NOT NULL REFERENCES org_units(code),
  weight_kg        REAL,
  length_height_cm REAL,
  measure          TEXT CHECK (measure IN ('recumbent', 'standing')),
  head_cm          REAL,
  haemoglobin_g_l  REAL,
  hearing          TEXT CHECK (hearing IN ('pass', 'refer')),
  development      TEXT CHECK (development IN ('normal', 'abnormal')),
  vision           TEXT,
  feeding_guidance INTEGER NOT NULL DEFAULT 0 CHECK (feeding_guidance IN (0, 1)),
  tcm_guidance     INTEGER NOT NULL DEFAULT 0 CHECK (tcm_guidance IN (0, 1)),
  advice           TEXT NOT NULL DEFAULT '',
  discharged_on    TEXT,
  recorded_at      TEXT NOT NULL,
  recorded_by      TEXT NOT NULL
);
CREATE INDEX child_checkups_person ON child_checkups(person_id, checkup_date);

-- Change events as in 0005: the live statistics reload the child whose check-ups changed.
CREATE TRIGGER child_checkups_insert_event AFTER INSERT ON child_checkups
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'child_checkup', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER child_checkups_update_event AFTER UPDATE ON child_checkups
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'child_checkup', NEW.id, 'update', NEW.person_id);
END;

CREATE TRIGGER child_checkups_delete_event AFTER DELETE ON child_checkups
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'child_checkup', OLD.id, 'delete', OLD.person_id);
END;
