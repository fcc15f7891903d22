-- FHIR bulk exports ($export, exchange/bulk_export.h): one row per job, readable by its requester
-- only. The files are on disk beside the database; the row says what they hold and until when.
CREATE TABLE fhir_export_jobs (
  id                TEXT PRIMARY KEY,
  requested_by      TEXT NOT NULL,  -- the user's id
  requested_at      TEXT NOT NULL,
  request_url       TEXT NOT NULL,
  types             TEXT NOT NULL,  -- resource types, comma-separated
  since             TEXT,
  state             TEXT NOT NULL
                    CHECK (state IN ('accepted', 'in_progress', 'completed', 'failed', 'cancelled')),
  transaction_time  TEXT,
  output_json       TEXT,           -- [{"type", "name", "count"}]
  error             TEXT,
  finished_at       TEXT,
  expires_at        TEXT,
  purged_at         TEXT            -- when the expired files were deleted
);
CREATE INDEX fhir_export_jobs_user ON fhir_export_jobs(requested_by, state);
