-- Health education (education/store.h): the activities held by the service points of the network
-- (0026), the materials handed out or played at them and the optional links of attendees to the
-- registry. Norms and counting: education/norms.h (国家基本公共卫生服务规范（第三版）健康教育服务
-- 规范 二(二)). Portable SQL as in 0001: TEXT ISO-8601 dates, UTC timestamps.
--
-- org_path is the point's org path when the activity was recorded, kept on the row so that a read
-- is scoped by a key range as the other stores are (a centre sees its street's activities). A
-- mistaken activity is voided (voided_at, voided_by, void_reason), never deleted: a voided
-- activity counts in no norm and no statistic.

-- kind: lecture, consultation, free_clinic, bulletin_board, material_distribution,
-- video_screening (education/norms.h ActivityKind). venue: community, enterprise, market,
-- construction_site, school, industrial_park (实施办法 四(二)). board: the bulletin board whose
-- content was changed (bulletin_board only; '' is the point's only board).
CREATE TABLE edu_activities (
  id          TEXT PRIMARY KEY,
  point_id    TEXT NOT NULL REFERENCES service_points(id),
  kind        TEXT NOT NULL CHECK (kind IN ('lecture', 'consultation', 'free_clinic',
                'bulletin_board', 'material_distribution', 'video_screening')),
  venue       TEXT NOT NULL CHECK (venue IN ('community', 'enterprise', 'market',
                'construction_site', 'school', 'industrial_park')),
  held_on     TEXT NOT NULL,
  topic       TEXT NOT NULL DEFAULT '',
  organiser   TEXT NOT NULL DEFAULT '',
  attendance  INTEGER NOT NULL DEFAULT 0 CHECK (attendance >= 0),
  board       TEXT NOT NULL DEFAULT '',
  voided_at   TEXT,
  voided_by   TEXT,
  void_reason TEXT,
  org_path    TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
);
CREATE INDEX edu_activities_path ON edu_activities(org_path, held_on);
CREATE INDEX edu_activities_point ON edu_activities(point_id, held_on);

-- One kind of material (a title) of an activity: format printed or audio_video, quantity the
-- copies handed out or the showings.
CREATE TABLE edu_materials (
  activity_id TEXT NOT NULL REFERENCES edu_activities(id),
  title       TEXT NOT NULL CHECK (title <> ''),
  format      TEXT NOT NULL CHECK (format IN ('printed', 'audio_video')),
  quantity    INTEGER NOT NULL CHECK (quantity > 0)
);
CREATE INDEX edu_materials_activity ON edu_materials(activity_id);

-- Attendees linked to the registry (optional; the attendance count includes them). Person data:
-- read and written only within the caller's person scope, audited.
CREATE TABLE edu_attendees (
  activity_id TEXT NOT NULL REFERENCES edu_activities(id),
  person_id   TEXT NOT NULL REFERENCES persons(id),
  PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX edu_attendees_person ON edu_attendees(person_id);

-- Change events as in 0005: the live statistics recount the point's year. No person.
CREATE TRIGGER edu_activities_insert_event AFTER INSERT ON edu_activities
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'education', NEW.id, 'insert', NULL);
END;

CREATE TRIGGER edu_activities_update_event AFTER UPDATE ON edu_activities
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'education', NEW.id, 'update', NULL);
END;
