-- Free family-planning services for migrants (family_planning/store.h): the contraception method a
-- person uses, free contraceptives handed out (to a known person or anonymously by a self-service
-- machine), basic contraceptive procedures, 孕情环情 and reproductive-health checks, guidance and
-- counselling, and the facts of the reward and hardship-support rules per person and year with
-- their payments. Rules: family_planning/{rules,supplies,rewards}.h (南宁市流动人口基本公共卫生计生
-- 服务均等化实施办法 (2017) 四(七)). Portable SQL as in 0001: TEXT ISO-8601 dates, UTC timestamps.
--
-- org_path: the person's residence path when the row was recorded, or for an anonymous
-- distribution the point's path; reads of a person's rows are scoped by the person's current
-- residence (persons.residence_path), anonymous rows by the point's org_path. A correction voids a
-- row (voided_at, voided_by, void_reason, audited); rows are never deleted.

CREATE TABLE fp_methods (
  id          TEXT PRIMARY KEY,
  person_id   TEXT NOT NULL REFERENCES persons(id),
  method      TEXT NOT NULL,
  started_on  TEXT NOT NULL,
  ended_on    TEXT,
  note        TEXT NOT NULL DEFAULT '',
  voided_at   TEXT,
  voided_by   TEXT,
  void_reason TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  org_path    TEXT NOT NULL
);
CREATE INDEX fp_methods_person ON fp_methods(person_id, started_on);
CREATE INDEX fp_methods_path ON fp_methods(org_path);

-- point_id is NULL for a distribution by staff outside any stored service point.
CREATE TABLE fp_distributions (
  id           TEXT PRIMARY KEY,
  point_id     TEXT REFERENCES service_points(id),
  person_id    TEXT REFERENCES persons(id),
  item         TEXT NOT NULL,
  quantity     INTEGER NOT NULL CHECK (quantity > 0),
  dispensed_on TEXT NOT NULL,
  voided_at    TEXT,
  voided_by    TEXT,
  void_reason  TEXT,
  recorded_at  TEXT NOT NULL,
  recorded_by  TEXT NOT NULL,
  org_path     TEXT NOT NULL
);
CREATE INDEX fp_distributions_person ON fp_distributions(person_id, dispensed_on);
CREATE INDEX fp_distributions_point ON fp_distributions(point_id, dispensed_on);
CREATE INDEX fp_distributions_path ON fp_distributions(org_path, dispensed_on);

CREATE TABLE fp_procedures (
  id          TEXT PRIMARY KEY,
  person_id   TEXT NOT NULL REFERENCES persons(id),
  procedure   TEXT NOT NULL,
  done_on     TEXT NOT NULL,
  point_id    TEXT REFERENCES service_points(id),
  note        TEXT NOT NULL DEFAULT '',
  voided_at   TEXT,
  voided_by   TEXT,
  void_reason TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  org_path    TEXT NOT NULL
);
CREATE INDEX fp_procedures_person ON fp_procedures(person_id, done_on);
CREATE INDEX fp_procedures_path ON fp_procedures(org_path, done_on);

-- result: normal, abnormal, pregnant, iud_in_place, iud_missing (family_planning/store.h).
CREATE TABLE fp_checks (
  id          TEXT PRIMARY KEY,
  person_id   TEXT NOT NULL REFERENCES persons(id),
  kind        TEXT NOT NULL CHECK (kind IN ('pregnancy_iud', 'reproductive_health')),
  checked_on  TEXT NOT NULL,
  result      TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  voided_at   TEXT,
  voided_by   TEXT,
  void_reason TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  org_path    TEXT NOT NULL
);
CREATE INDEX fp_checks_person ON fp_checks(person_id, checked_on);
CREATE INDEX fp_checks_path ON fp_checks(org_path, checked_on);

CREATE TABLE fp_guidance (
  id          TEXT PRIMARY KEY,
  person_id   TEXT NOT NULL REFERENCES persons(id),
  given_on    TEXT NOT NULL,
  topic       TEXT NOT NULL,
  voided_at   TEXT,
  voided_by   TEXT,
  void_reason TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  org_path    TEXT NOT NULL
);
CREATE INDEX fp_guidance_person ON fp_guidance(person_id, given_on);
CREATE INDEX fp_guidance_path ON fp_guidance(org_path, given_on);

-- The facts of the reward and hardship-support rules (family_planning/rewards.h RewardFacts) of a
-- person for a calendar year; a later record replaces the year's facts.
CREATE TABLE fp_reward_facts (
  person_id                 TEXT NOT NULL REFERENCES persons(id),
  year                      INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
  floating                  INTEGER NOT NULL CHECK (floating IN (0, 1)),
  practises_family_planning INTEGER NOT NULL CHECK (practises_family_planning IN (0, 1)),
  hardship                  INTEGER NOT NULL CHECK (hardship IN (0, 1)),
  only_child_certificate    INTEGER NOT NULL CHECK (only_child_certificate IN (0, 1)),
  children_born             INTEGER NOT NULL CHECK (children_born BETWEEN 0 AND 20),
  living_children           INTEGER NOT NULL CHECK (living_children BETWEEN 0 AND 20),
  child_disabled_grade_3    INTEGER NOT NULL CHECK (child_disabled_grade_3 IN (0, 1)),
  woman_age                 INTEGER NOT NULL CHECK (woman_age BETWEEN 0 AND 120),
  recorded_at               TEXT NOT NULL,
  recorded_by               TEXT NOT NULL,
  org_path                  TEXT NOT NULL,
  PRIMARY KEY (person_id, year)
);
CREATE INDEX fp_reward_facts_path ON fp_reward_facts(org_path, year);

-- A payment of an eligible rule (rewards.json id) to a person for a year, once marked paid.
CREATE TABLE fp_reward_payments (
  person_id TEXT NOT NULL REFERENCES persons(id),
  year      INTEGER NOT NULL,
  rule_id   TEXT NOT NULL,
  paid_on   TEXT NOT NULL,
  paid_at   TEXT NOT NULL,
  paid_by   TEXT NOT NULL,
  PRIMARY KEY (person_id, year, rule_id)
);

-- Change events as in 0005: the live statistics reload the person (none for an anonymous
-- distribution).
CREATE TRIGGER fp_methods_insert_event AFTER INSERT ON fp_methods
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'insert', NEW.person_id);
END;
CREATE TRIGGER fp_methods_update_event AFTER UPDATE ON fp_methods
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'update', NEW.person_id);
END;
CREATE TRIGGER fp_distributions_insert_event AFTER INSERT ON fp_distributions
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'insert', NEW.person_id);
END;
CREATE TRIGGER fp_distributions_update_event AFTER UPDATE ON fp_distributions
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'update', NEW.person_id);
END;
CREATE TRIGGER fp_procedures_insert_event AFTER INSERT ON fp_procedures
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'insert', NEW.person_id);
END;
CREATE TRIGGER fp_procedures_update_event AFTER UPDATE ON fp_procedures
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'update', NEW.person_id);
END;
CREATE TRIGGER fp_checks_insert_event AFTER INSERT ON fp_checks
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'insert', NEW.person_id);
END;
CREATE TRIGGER fp_checks_update_event AFTER UPDATE ON fp_checks
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'update', NEW.person_id);
END;
CREATE TRIGGER fp_guidance_insert_event AFTER INSERT ON fp_guidance
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'insert', NEW.person_id);
END;
CREATE TRIGGER fp_guidance_update_event AFTER UPDATE ON fp_guidance
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'fp', NEW.id, 'update', NEW.person_id);
END;
