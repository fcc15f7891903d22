-- Infectious-disease case reports (传染病报告卡, 传染病信息报告管理规范 2015 附件) and their
-- history of corrections (订正), deletions and merges. Portable SQL as in 0001: TEXT ISO-8601
-- dates, UTC timestamps (diagnosed_at, reported_at: the instants the card states, kept in UTC like
-- every timestamp here and shown in Asia/Shanghai), 0/1 integers for flags.
--
-- A card is read where the patient lives now (residence_path, the unit of the current address);
-- district_code is that unit's district, the county level at which early warning counts cases
-- (CIDARS). person_id links the registry person when one was found; the identity typed on the card
-- is kept as typed. work_site_key is the normalised name of the work site (construction site,
-- factory, market, dormitory) that the work-site cluster rule groups by; empty when none.
-- A corrected card keeps its id and grows its version; the card as it stood before each change is
-- kept in disease_card_revisions. A deleted card stays with status 'deleted' and its reason; a
-- duplicate merged into another has status 'merged' and merged_into. Only 'active' cards count.
CREATE TABLE disease_cards (
  id                TEXT PRIMARY KEY,
  person_id         TEXT REFERENCES persons(id),
  patient_name      TEXT NOT NULL,
  parent_name       TEXT NOT NULL DEFAULT '',
  id_number         TEXT NOT NULL DEFAULT '',
  sex               TEXT NOT NULL CHECK (sex IN ('male', 'female', 'unknown')),
  birth_date        TEXT,
  age_years         INTEGER,
  employer          TEXT NOT NULL DEFAULT '',
  phone             TEXT NOT NULL DEFAULT '',
  patient_belongs   TEXT NOT NULL CHECK (patient_belongs IN ('this_county', 'other_county',
                      'other_city', 'other_province', 'hmt', 'foreign')),
  current_address   TEXT NOT NULL,
  residence_path    TEXT NOT NULL,
  district_code     TEXT NOT NULL REFERENCES org_units(code),
  occupation        TEXT NOT NULL,
  work_site_kind    TEXT NOT NULL DEFAULT '' CHECK (work_site_kind IN ('', 'construction_site',
                      'factory', 'market', 'dormitory', 'other')),
  work_site_name    TEXT NOT NULL DEFAULT '',
  work_site_key     TEXT NOT NULL DEFAULT '',
  disease_code      TEXT NOT NULL,
  -- The type of viral hepatitis (a, b, c, d, e, unclassified) or the form of anthrax (pulmonary,
  -- cutaneous, unclassified): the catalogue lists one 病毒性肝炎 and one 炭疽 (disease/card.h).
  disease_subtype   TEXT NOT NULL DEFAULT '',
  case_class        TEXT NOT NULL CHECK (case_class IN ('suspected', 'clinical', 'confirmed',
                      'carrier')),
  chronicity        TEXT NOT NULL DEFAULT '' CHECK (chronicity IN ('', 'acute', 'chronic',
                      'unknown')),
  onset_date        TEXT NOT NULL,
  diagnosed_at      TEXT NOT NULL,
  death_date        TEXT,
  reported_at       TEXT NOT NULL,
  reporting_unit    TEXT NOT NULL REFERENCES org_units(code),
  reporting_doctor  TEXT NOT NULL,
  notes             TEXT NOT NULL DEFAULT '',
  late              INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
  status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted',
                      'merged')),
  status_reason     TEXT NOT NULL DEFAULT '',
  merged_into       TEXT REFERENCES disease_cards(id),
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  created_by        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  updated_by        TEXT NOT NULL
);
CREATE INDEX disease_cards_residence ON disease_cards(residence_path, reported_at);
CREATE INDEX disease_cards_counts ON disease_cards(disease_code, district_code, onset_date)
  WHERE status = 'active';
CREATE INDEX disease_cards_person ON disease_cards(person_id, disease_code)
  WHERE person_id IS NOT NULL;
CREATE INDEX disease_cards_id_number ON disease_cards(id_number, disease_code)
  WHERE id_number <> '';
CREATE INDEX disease_cards_site ON disease_cards(work_site_key, disease_code, onset_date)
  WHERE work_site_key <> '' AND status = 'active';

-- One row per change: the card as it stood before (JSON text, read whole), who, when, why.
CREATE TABLE disease_card_revisions (
  card_id     TEXT NOT NULL REFERENCES disease_cards(id),
  version     INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('correction', 'deletion', 'merge')),
  reason      TEXT NOT NULL,
  before      TEXT NOT NULL,
  changed_at  TEXT NOT NULL,
  changed_by  TEXT NOT NULL,
  PRIMARY KEY (card_id, version)
);

-- Change events as in 0005: the live statistics reload what a card changes.
CREATE TRIGGER disease_cards_insert_event AFTER INSERT ON disease_cards
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'disease_card', NEW.id, 'insert', NEW.person_id);
END;

CREATE TRIGGER disease_cards_update_event AFTER UPDATE ON disease_cards
BEGIN
  INSERT INTO change_events (at, entity, entity_id, op, person_id)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'disease_card', NEW.id, 'update', NEW.person_id);
END;
