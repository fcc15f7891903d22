-- City reports taken in by an aggregator node (exchange/federation.h SendReport, Ingest): each
-- city node's dataValueSets document of a period (kpi/dhis2.h), as that node signed and sealed
-- it. Aggregate figures only, nothing about a person. A city that reports a period again adds a
-- row; the pilot board reads the newest of each city (kpi/pilot_board.h).
CREATE TABLE aggregate_reports (
  id              TEXT PRIMARY KEY,  -- the report's id (the sender's UUIDv7): taken in once
  city            TEXT NOT NULL,     -- GB/T 2260 code of the reporting city
  period          TEXT NOT NULL,     -- "2026-11", "2026Q4", "2026"
  node            TEXT NOT NULL,     -- the sending node
  document        TEXT NOT NULL,
  document_sha256 TEXT NOT NULL,
  sent_at         TEXT NOT NULL,
  received_at     TEXT NOT NULL
);
CREATE INDEX aggregate_reports_period ON aggregate_reports(period, city, received_at);
