-- Lists of an area's children (due lists, catch-up, coverage) filter persons by where they live
-- and when they were born. With the birth date in the residence index, SQLite picks the area's
-- children from the index alone and reads only their rows (a district of a 300,000-person city:
-- 32 ms instead of 94 ms). It replaces the residence index, so a person write costs no extra index.
DROP INDEX persons_residence;
CREATE INDEX persons_residence ON persons(residence_path, birth_date);
