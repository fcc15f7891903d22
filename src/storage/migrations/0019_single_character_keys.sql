-- Each Chinese character of a name is now a search key of its own ("c:", registry/search_keys.h),
-- so that a one-character search in a street reads only that street's matches. The keys of the
-- persons already registered are written again at start-up (INSERT OR IGNORE keeps those there).
INSERT OR IGNORE INTO pending_backfills(name) SELECT 'person_search_keys' WHERE EXISTS (SELECT 1 FROM persons);
