-- Child immunisation (immunization/): the vaccination certificate (接种证) of each child, the
-- doses given, their corrections, the clinics' session capacities and the appointments. Portable
-- SQL as in 0001: TEXT ISO-8601 dates and timestamps, TEXT UUIDv7 ids, partial indexes.

-- One 接种证 per child. The registry holds no guardians: the certificate does (its cover names the
-- guardian who brings the child).
CREATE TABLE vaccination_files (
  person_id           TEXT PRIMARY KEY REFERENCES persons(id),
  certificate_no      TEXT NOT NULL UNIQUE,
  card_no             TEXT,
  issued_on           TEXT NOT NULL,
  issuing_clinic_code TEXT NOT NULL REFERENCES org_units(code),
  guardian_name       TEXT,
  guardian_relation   TEXT,
  guardian_phone      TEXT,
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  created_by          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  updated_by          TEXT NOT NULL
);
CREATE UNIQUE INDEX vaccination_files_card ON vaccination_files(card_no) WHERE card_no IS NOT NULL;

-- One row per dose. dose_number is what the certificate or the nurse wrote (the forecast counts
-- doses itself); a voided record stays, with its reason, and no longer counts.
CREATE TABLE vaccination_records (
  id            TEXT PRIMARY KEY,
  person_id     TEXT NOT NULL REFERENCES persons(id),
  vaccine       TEXT NOT NULL,
  dose_number   INTEGER,
  given_on      TEXT NOT NULL,
  lot           TEXT,
  manufacturer  TEXT,
  site          TEXT,
  route         TEXT,
  clinic_code   TEXT REFERENCES org_units(code),
  clinic_name   TEXT,
  vaccinator    TEXT,
  source        TEXT NOT NULL CHECK (source IN ('given_here', 'transcribed', 'other_region')),
  campaign_id   TEXT,
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'voided')),
  void_reason   TEXT,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  updated_by    TEXT NOT NULL
);
-- A child's doses in date order (the detail view, the forecast, the due list's per-area read).
CREATE INDEX vaccination_records_person ON vaccination_records(person_id, given_on);
-- The same vaccine twice on one day is a duplicate entry, not a second dose.
CREATE UNIQUE INDEX vaccination_records_same_day ON vaccination_records(person_id, vaccine, given_on)
  WHERE status = 'active';

-- Every version of a dose record in full (version 1 at creation), with who changed it and why.
CREATE TABLE vaccination_record_versions (
  record_id  TEXT NOT NULL REFERENCES vaccination_records(id),
  version    INTEGER NOT NULL,
  data       TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  change     TEXT NOT NULL CHECK (change IN ('created', 'corrected', 'voided')),
  reason     TEXT,
  PRIMARY KEY (record_id, version)
);

-- A clinic's capacity on one session day; a day without a row has the default capacity.
CREATE TABLE clinic_sessions (
  clinic_code  TEXT NOT NULL REFERENCES org_units(code),
  session_date TEXT NOT NULL,
  capacity     INTEGER NOT NULL CHECK (capacity >= 0),
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  PRIMARY KEY (clinic_code, session_date)
) WITHOUT ROWID;

CREATE TABLE appointments (
  id               TEXT PRIMARY KEY,
  person_id        TEXT NOT NULL REFERENCES persons(id),
  clinic_code      TEXT NOT NULL REFERENCES org_units(code),
  appointment_date TEXT NOT NULL,
  vaccines         TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'booked'
                   CHECK (status IN ('booked', 'attended', 'missed', 'rescheduled', 'cancelled')),
  rescheduled_to   TEXT REFERENCES appointments(id),
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  updated_by       TEXT NOT NULL
);
-- A clinic's day (capacity counts, the appointment list) and a child's next appointment.
CREATE INDEX appointments_clinic_date ON appointments(clinic_code, appointment_date);
CREATE INDEX appointments_person ON appointments(person_id, appointment_date);
