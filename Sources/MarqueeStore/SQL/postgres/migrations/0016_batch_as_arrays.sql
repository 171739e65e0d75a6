-- marquee_book_many now takes its requests as arrays, one per field, rather than as a JSON
-- document (functions/marquee_book_many.sql). The JSON form goes: no code calls it, and a
-- database upgraded from before would otherwise keep it beside the new one. Instances of
-- the previous version batch through it, so stop them before this version migrates.
DROP FUNCTION IF EXISTS marquee_book_many(jsonb);
