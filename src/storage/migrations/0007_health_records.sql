-- Resident health records (居民健康档案, records/): one record per person, with the number it is
-- filed under, the day it was established, the clinic that keeps it and whether it is kept as an
-- electronic record (电子健康档案). The statistics read person_id, established_on and electronic
-- (kpi/live_view.cc: 建档率 and 电子健康档案建档率). Portable SQL as in 0001: TEXT ISO-8601
-- dates and timestamps, 0/1 integers for flags.
--
-- record_no: 17 digits = GB/T 2260 county code (6) + township (3) + village (3) + serial (5), as
-- REFERENCE.md "Resident health records" gives it (marked unconfirmed there). Its UNIQUE index
-- also serves the "highest number in this village" read that hands out the next serial.
CREATE TABLE health_records (
  person_id      TEXT PRIMARY KEY REFERENCES persons(id),
  record_no      TEXT NOT NULL UNIQUE,
  established_on TEXT NOT NULL,
  clinic_code    TEXT NOT NULL REFERENCES org_units(code),
  electronic     INTEGER NOT NULL CHECK (electronic IN (0, 1)),
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  updated_by     TEXT NOT NULL
);

-- Change events as in 0005: every write, whatever its path, tells the live statistics view which
-- person to reload.
CREATE TRIGGER health_records_insert_event AFTER INSERT ON health_records
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'health_record', NEW.person_id, 'insert', NEW.person_id);
END;

CREATE TRIGGER health_records_update_event AFTER UPDATE ON health_records
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'health_record', NEW.person_id, 'update', NEW.person_id);
END;
