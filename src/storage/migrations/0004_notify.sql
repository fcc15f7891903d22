-- Reminders (notify/): the outbox of notices to children's guardians, their opt-outs, and the
-- clinic contacts the messages quote. Portable SQL as in 0001 (INSERT … ON CONFLICT DO NOTHING is
-- in SQLite ≥ 3.24 and PostgreSQL).

-- Address and phone of a clinic (接种单位, an org unit), quoted in every reminder.
CREATE TABLE clinic_contacts (
  org_code   TEXT PRIMARY KEY REFERENCES org_units(code),
  address    TEXT NOT NULL,
  phone      TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

-- One row per notice. idempotency_key is what makes sending idempotent: a notice about an
-- appointment is "appt:<appointment id>:<channel>", so planning twice adds nothing, and the
-- gateway sees the same key on every retry. A drainer claims a queued row by setting claim_token
-- and claimed_until in one write transaction; a claim that outlives claimed_until (a crashed
-- drainer) may be taken again.
CREATE TABLE notices (
  id                 TEXT PRIMARY KEY,
  person_id          TEXT NOT NULL REFERENCES persons(id),
  appointment_id     TEXT REFERENCES appointments(id),
  channel            TEXT NOT NULL CHECK (channel IN ('sms', 'phone', 'slip', 'web')),
  recipient          TEXT,
  template_code      TEXT NOT NULL,
  rendered_text      TEXT NOT NULL,
  payload            TEXT NOT NULL,
  clinic_code        TEXT,
  appointment_date   TEXT,
  status             TEXT NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'cancelled')),
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at    TEXT NOT NULL,
  claim_token        TEXT,
  claimed_until      TEXT,
  last_error         TEXT,
  gateway_message_id TEXT,
  idempotency_key    TEXT NOT NULL UNIQUE,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  sent_at            TEXT,
  finished_at        TEXT
);
CREATE INDEX notices_due ON notices(next_attempt_at) WHERE status = 'queued';
CREATE INDEX notices_person ON notices(person_id, created_at);
CREATE INDEX notices_clinic_date ON notices(clinic_code, appointment_date);
CREATE INDEX notices_appointment ON notices(appointment_id) WHERE appointment_id IS NOT NULL;
CREATE INDEX notices_gateway_id ON notices(gateway_message_id) WHERE gateway_message_id IS NOT NULL;

-- A guardian who asked not to be reminded on a channel (opt-in deletes the row; the audit log
-- keeps the history).
CREATE TABLE notify_opt_outs (
  person_id   TEXT NOT NULL REFERENCES persons(id),
  channel     TEXT NOT NULL CHECK (channel IN ('sms', 'phone', 'slip', 'web')),
  reason      TEXT NOT NULL,
  at          TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (person_id, channel)
);
