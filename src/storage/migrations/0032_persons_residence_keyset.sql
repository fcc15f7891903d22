-- Walking everyone of a jurisdiction page by page (exports, the FHIR bulk export) resumes after
-- the last row read, (residence_path, birth_date, id) > (…), instead of skipping OFFSET rows: the
-- id at the end of the residence index makes that cursor an index range, so the walk's time grows
-- with the city and not with its square. It replaces the residence index (no extra index to
-- write); the index keeps serving the area-and-age lists of migration 0008.
DROP INDEX persons_residence;
CREATE INDEX persons_residence ON persons(residence_path, birth_date, id);
