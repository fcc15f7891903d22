-- Linked guardians (immunization/): a child's vaccination certificate names its guardian as a
-- registry person where possible. guardian_person_id is that person (NULL on rows written before
-- the link existed, and for a guardian who is not in the registry). When it is set, the guardian's
-- name and phone are read through the link from the guardian's own record (a changed phone is
-- current everywhere at once); guardian_name and guardian_phone then keep what was known when the
-- link was made, and are the only source for an unregistered guardian.
ALTER TABLE vaccination_files ADD COLUMN guardian_person_id TEXT REFERENCES persons(id);
-- A guardian's children (their record lists them).
CREATE INDEX vaccination_files_guardian ON vaccination_files(guardian_person_id)
  WHERE guardian_person_id IS NOT NULL;
