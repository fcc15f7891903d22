-- Premarital medical checks (婚前医学检查, 母婴保健法 第七、八、九、十条; 婚前保健工作规范（修订）
-- 卫基妇发〔2002〕147号), kept with the pre-pregnancy checks (preconception/premarital.h). Portable
-- SQL as in 0001: TEXT ISO-8601 dates and timestamps, 0/1 integers for flags.
--
-- A check is one person's: the person checked is always a registry person (the row is read where
-- they live now); the partner is a registry person when found there (partner_person_id), else
-- only the name as typed (partner_name), never an identity number. The findings per category are
-- kept as JSON text ([{"category","state","disease","diagnosis"}]): read whole with the check,
-- never filtered on.
CREATE TABLE premarital_checks (
  id                TEXT PRIMARY KEY,
  person_id         TEXT NOT NULL REFERENCES persons(id),
  partner_person_id TEXT REFERENCES persons(id),
  partner_name      TEXT NOT NULL DEFAULT '',
  check_date        TEXT NOT NULL,
  clinic_code       TEXT NOT NULL REFERENCES org_units(code),
  findings          TEXT NOT NULL DEFAULT '[]',
  close_relatives   INTEGER NOT NULL DEFAULT 0 CHECK (close_relatives IN (0, 1)),
  opinion           TEXT NOT NULL CHECK (opinion IN ('no_contraindication',
                      'not_advisable_to_marry', 'postpone_marriage', 'not_advisable_to_bear',
                      'medical_measures_respect_wishes')),
  advice            TEXT NOT NULL DEFAULT '',
  recorded_at       TEXT NOT NULL,
  recorded_by       TEXT NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX premarital_checks_person ON premarital_checks(person_id, check_date);
CREATE INDEX premarital_checks_partner ON premarital_checks(partner_person_id)
  WHERE partner_person_id IS NOT NULL;

-- Change events as in 0005: entity 'premarital', the person checked as the person.
CREATE TRIGGER premarital_checks_insert_event AFTER INSERT ON premarital_checks
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'premarital', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER premarital_checks_update_event AFTER UPDATE ON premarital_checks
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'premarital', NEW.id, 'update', NEW.person_id);
END;
