-- migrate-string-ids.sql - lets a location table made before string ids
-- hold them: its integer key becomes the id's text, 42 becoming '42',
-- which is the same id (geoput(1), Migrating).
--
--   mariadb georoom < examples/migrate-string-ids.sql
--
-- The server copies the table to change the column's type, and holds a
-- lock on it meanwhile: run it when no geoput writes.  For another table
-- than `location`, change the name below.  Then `geoput --init-db` creates
-- the history table beside it.  tests/prog/28-geoput-ids.t runs this file.

ALTER TABLE `location`
  MODIFY `id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;
