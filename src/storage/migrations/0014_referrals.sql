-- Referrals and the critical-case green channel (maternal/referral.h): a woman graded orange or
-- red referred to a designated hospital and followed to the outcome (孕产妇妊娠风险评估与管理工作
-- 规范 2017 二(三)), and the emergency transfer of a critically ill woman or newborn with the times
-- of its steps. Portable SQL as in 0001: TEXT ISO-8601 dates, UTC timestamps.
--
-- person_id is the woman or the newborn; pregnancy_id hers, or the newborn's mother's when the
-- delivery was recorded here. The stage and the elapsed times are computed on reading.
CREATE TABLE referrals (
  id               TEXT PRIMARY KEY,
  person_id        TEXT NOT NULL REFERENCES persons(id),
  pregnancy_id     TEXT REFERENCES pregnancies(id),
  subject          TEXT NOT NULL CHECK (subject IN ('mother', 'newborn')),
  kind             TEXT NOT NULL CHECK (kind IN ('high_risk', 'green_channel')),
  reason           TEXT NOT NULL DEFAULT '',
  risk_colour      TEXT NOT NULL DEFAULT '',
  from_clinic      TEXT NOT NULL REFERENCES org_units(code),
  to_facility      TEXT NOT NULL,
  called_at        TEXT NOT NULL,
  transferred_at   TEXT,
  admitted_at      TEXT,
  outcome          TEXT CHECK (outcome IN ('managed', 'returned', 'declined', 'lost', 'died')),
  outcome_on       TEXT,
  outcome_note     TEXT NOT NULL DEFAULT '',
  continuation     TEXT CHECK (continuation IN ('continue', 'termination_advised')),
  continuation_on  TEXT,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  updated_by       TEXT NOT NULL
);
CREATE INDEX referrals_person ON referrals(person_id, called_at);
CREATE INDEX referrals_open ON referrals(called_at) WHERE outcome IS NULL;

-- Change events as in 0005 and 0010.
CREATE TRIGGER referrals_insert_event AFTER INSERT ON referrals
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'referral', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER referrals_update_event AFTER UPDATE ON referrals
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'referral', NEW.id, 'update', NEW.person_id);
END;
