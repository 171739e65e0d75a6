-- Databases made before the SQL moved into files carry the one-show batch of step 0005,
-- which no code has called since step 0006. Functions are now applied from functions/ and
-- tracked in schema_definitions, so nothing else needs to change here.
DROP FUNCTION IF EXISTS marquee_book_many(uuid, jsonb);
