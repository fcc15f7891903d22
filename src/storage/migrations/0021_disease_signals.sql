-- Early-warning signals (预警信号) and the events opened on them (disease/signal_service.h).
-- Portable SQL as in 0001: TEXT ISO-8601 dates, UTC timestamps, 0/1 integers for flags.
--
-- A signal is raised by a rule (disease/signal_rules.h) for one disease in one district (the
-- county level at which CIDARS counts): fixed_threshold and work_site_cluster as each card is
-- saved, moving_percentile and ears_c1/c2/c3 by the daily run. period_key names what the signal
-- is about (the card for the fixed threshold, the work site and the cluster's last onset day for a
-- cluster, the day for the daily methods): the unique index makes the on-save path and the daily
-- run raise each signal once, whichever comes first. district_path is the district's org path, so
-- a scope reads a signal by key range. card_ids is a JSON array of card ids (read whole).
-- status: open → excluded | verified | event_opened; verify_due_at is raised_at + the limit.
CREATE TABLE disease_signals (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('fixed_threshold', 'moving_percentile', 'ears_c1',
                    'ears_c2', 'ears_c3', 'work_site_cluster')),
  disease_code    TEXT NOT NULL,
  district_code   TEXT NOT NULL REFERENCES org_units(code),
  district_path   TEXT NOT NULL,
  period_key      TEXT NOT NULL,
  period_start    TEXT NOT NULL,
  period_end      TEXT NOT NULL,
  observed        INTEGER NOT NULL,
  threshold       REAL,
  card_ids        TEXT NOT NULL DEFAULT '[]',
  work_site_key   TEXT NOT NULL DEFAULT '',
  work_site_kind  TEXT NOT NULL DEFAULT '',
  raised_at       TEXT NOT NULL,
  raised_by       TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'verified', 'excluded',
                    'event_opened')),
  verify_due_at   TEXT NOT NULL,
  verified_at     TEXT,
  verified_by     TEXT,
  note            TEXT NOT NULL DEFAULT '',
  event_id        TEXT,
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX disease_signals_once
  ON disease_signals(kind, disease_code, district_code, period_key);
CREATE INDEX disease_signals_scope ON disease_signals(district_path, status, raised_at);
CREATE INDEX disease_signals_event ON disease_signals(event_id) WHERE event_id IS NOT NULL;

-- An event (聚集性疫情 cluster / 暴发疫情 outbreak) opened on one or more signals (their event_id).
-- Each step is timed against opened_at; handled_to_standard is set when the event is closed
-- (disease/signal_rules.h HandledToStandard) and is what DIS_EPIDEMIC_HANDLED counts.
CREATE TABLE disease_events (
  id                   TEXT PRIMARY KEY,
  signal_id            TEXT NOT NULL REFERENCES disease_signals(id),
  kind                 TEXT NOT NULL CHECK (kind IN ('cluster', 'outbreak')),
  disease_code         TEXT NOT NULL,
  district_code        TEXT NOT NULL REFERENCES org_units(code),
  district_path        TEXT NOT NULL,
  opened_at            TEXT NOT NULL,
  opened_by            TEXT NOT NULL,
  investigation        TEXT NOT NULL DEFAULT '',
  investigated_at      TEXT,
  measures             TEXT NOT NULL DEFAULT '',
  measures_at          TEXT,
  closed_at            TEXT,
  closed_by            TEXT,
  closure_note         TEXT NOT NULL DEFAULT '',
  handled_to_standard  INTEGER CHECK (handled_to_standard IN (0, 1)),
  version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX disease_events_scope ON disease_events(district_path, opened_at);

-- Change events as in 0005: the live statistics reload what a signal or an event changes.
CREATE TRIGGER disease_signals_insert_event AFTER INSERT ON disease_signals
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'disease_signal', NEW.id, 'insert', NULL);
END;

CREATE TRIGGER disease_signals_update_event AFTER UPDATE ON disease_signals
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'disease_signal', NEW.id, 'update', NULL);
END;

CREATE TRIGGER disease_events_insert_event AFTER INSERT ON disease_events
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'disease_event', NEW.id, 'insert', NULL);
END;

CREATE TRIGGER disease_events_update_event AFTER UPDATE ON disease_events
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'disease_event', NEW.id, 'update', NULL);
END;
