-- What a person can be found by (registry/search_keys.h): parts of the name, pinyin initials, the
-- last digits of the phone, the last characters of the ID number, each as a key whose prefix is
-- searched. Written with the person (registry/person_store.cc). The residence path is in the key's
-- row so that a search filters by jurisdiction and counts its matches from this index alone.
CREATE TABLE person_search_keys (
  key            TEXT NOT NULL,
  residence_path TEXT NOT NULL,
  person_id      TEXT NOT NULL REFERENCES persons(id),
  PRIMARY KEY (key, residence_path, person_id)
) WITHOUT ROWID;
-- Work a migration leaves for start-up, where it needs code (here: the keys of the persons already
-- registered, PersonStore::BackfillSearchKeys); each row is done once and deleted.
CREATE TABLE pending_backfills (name TEXT PRIMARY KEY);
INSERT INTO pending_backfills(name) SELECT 'person_search_keys' WHERE EXISTS (SELECT 1 FROM persons);
