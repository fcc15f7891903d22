-- Pre-pregnancy health checks (孕前优生健康检查, preconception/) and folic-acid supplies
-- (增补叶酸). Portable SQL as in 0001: TEXT ISO-8601 dates and timestamps, 0/1 integers for flags.
--
-- A check is the couple's: the woman is always a registry person (the row is read where she lives
-- now); the man is a registry person when found there (man_person_id), else only his name as
-- typed (man_name), never an identity number. Items done and results are kept as JSON text
-- ({"woman": [codes], "man": [codes]} and [{"partner","item","value"}]): they are read whole with
-- the check, never filtered on.
CREATE TABLE preconception_checks (
  id              TEXT PRIMARY KEY,
  person_id       TEXT NOT NULL REFERENCES persons(id),
  man_person_id   TEXT REFERENCES persons(id),
  man_name        TEXT NOT NULL DEFAULT '',
  man_examined    INTEGER NOT NULL DEFAULT 1 CHECK (man_examined IN (0, 1)),
  check_date      TEXT NOT NULL,
  clinic_code     TEXT NOT NULL REFERENCES org_units(code),
  items           TEXT NOT NULL,
  results         TEXT NOT NULL DEFAULT '[]',
  risk_factors    TEXT NOT NULL DEFAULT '',
  risk            TEXT NOT NULL CHECK (risk IN ('general', 'high_risk')),
  risk_reasons    TEXT NOT NULL DEFAULT '',
  advice          TEXT NOT NULL DEFAULT '',
  planned_pregnancy_on TEXT,
  recorded_at     TEXT NOT NULL,
  recorded_by     TEXT NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX preconception_checks_person ON preconception_checks(person_id, check_date);
CREATE INDEX preconception_checks_man ON preconception_checks(man_person_id)
  WHERE man_person_id IS NOT NULL;

CREATE TABLE folic_acid_supplies (
  id            TEXT PRIMARY KEY,
  person_id     TEXT NOT NULL REFERENCES persons(id),
  supplied_on   TEXT NOT NULL,
  quantity_days INTEGER NOT NULL CHECK (quantity_days BETWEEN 1 AND 180),
  clinic_code   TEXT NOT NULL REFERENCES org_units(code),
  recorded_at   TEXT NOT NULL,
  recorded_by   TEXT NOT NULL
);
CREATE INDEX folic_acid_supplies_person ON folic_acid_supplies(person_id, supplied_on);

-- Change events as in 0005: entity 'preconception', the woman as the person.
CREATE TRIGGER preconception_checks_insert_event AFTER INSERT ON preconception_checks
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'preconception', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER preconception_checks_update_event AFTER UPDATE ON preconception_checks
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'preconception', NEW.id, 'update', NEW.person_id);
END;

CREATE TRIGGER folic_acid_supplies_insert_event AFTER INSERT ON folic_acid_supplies
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'preconception', NEW.id, 'insert', NEW.person_id);
END;
