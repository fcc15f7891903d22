-- Newborn disease screening (新生儿疾病筛查, child/screening.h): one row per result of a newborn's
-- blood-spot screening for phenylketonuria (pku, 苯丙酮尿症) and congenital hypothyroidism (ch,
-- 先天性甲状腺功能减低症) and of the hearing screening (初筛, 复筛 and the diagnosis after a failed
-- re-screen), as the screening centre reported it (新生儿疾病筛查技术规范（2010年版）). Portable SQL
-- as in 0001: TEXT ISO-8601 dates and timestamps.
--
-- What is due, done or to be recalled is a function of these rows, the birth date and the day: it
-- is not stored. test_date is the blood sample's or the hearing test's date. The centre is an org
-- unit of the registry (facility_code) or, for a hospital outside it, its name as written.
CREATE TABLE newborn_screenings (
  id            TEXT PRIMARY KEY,
  person_id     TEXT NOT NULL REFERENCES persons(id),
  kind          TEXT NOT NULL CHECK (kind IN ('pku', 'ch', 'hearing_initial', 'hearing_rescreen',
                                              'hearing_diagnosis')),
  test_date     TEXT NOT NULL,
  result        TEXT NOT NULL CHECK (result IN ('normal', 'positive', 'pass', 'refer',
                                                'hearing_loss')),
  diagnosis     TEXT CHECK (diagnosis IN ('confirmed', 'excluded')),
  facility_code TEXT REFERENCES org_units(code),
  facility_name TEXT NOT NULL DEFAULT '',
  recorded_at   TEXT NOT NULL,
  recorded_by   TEXT NOT NULL,
  -- A blood spot is normal or positive, a hearing screen passes or refers, a diagnosis of hearing
  -- is normal or a hearing loss; only a positive blood spot has a confirmed or excluded diagnosis.
  CHECK ((kind IN ('pku', 'ch') AND result IN ('normal', 'positive'))
         OR (kind IN ('hearing_initial', 'hearing_rescreen') AND result IN ('pass', 'refer'))
         OR (kind = 'hearing_diagnosis' AND result IN ('normal', 'hearing_loss'))),
  CHECK (diagnosis IS NULL OR (kind IN ('pku', 'ch') AND result = 'positive')),
  CHECK (facility_code IS NOT NULL OR facility_name <> '')
);
CREATE INDEX newborn_screenings_person ON newborn_screenings(person_id, test_date);

-- Change events as in 0005 and 0011: the live statistics reload the child whose results changed.
CREATE TRIGGER newborn_screenings_insert_event AFTER INSERT ON newborn_screenings
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'newborn_screening', NEW.id, 'insert',
          NEW.person_id);
END;

CREATE TRIGGER newborn_screenings_update_event AFTER UPDATE ON newborn_screenings
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'newborn_screening', NEW.id, 'update',
          NEW.person_id);
END;

CREATE TRIGGER newborn_screenings_delete_event AFTER DELETE ON newborn_screenings
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'newborn_screening', OLD.id, 'delete',
          OLD.person_id);
END;
