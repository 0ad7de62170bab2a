-- schema.sql - the tables geoput writes and reads, as `geoput --init-db`
-- creates them: the locations, their history (geoput --history), the
-- geofences (geofence(1)) and geoput's batch markers.
--
-- This is the MariaDB flavour.  MySQL 8 declares the SRID with its own
-- column attribute (which MariaDB lacks); there the geom line reads:
--
--   `geom` GEOMETRY NOT NULL SRID 4326,
--
-- On MariaDB, REF_SYSTEM_ID=4326 records the SRID in
-- information_schema.GEOMETRY_COLUMNS; the server does not enforce it, but
-- geoput writes every value with SRID 4326.  An id is its text: an
-- integer in decimal ("42") or a string of 1 to 64 letters, digits and
-- "._:-" ("B-12"), compared byte for byte as room names are; updated_at is
-- UTC to the microsecond.  A table made by geoput before string ids keys by
-- BIGINT UNSIGNED: geoput still writes it (integer ids only), and
-- examples/migrate-string-ids.sql turns it into this one.
--
--   mariadb georoom < examples/schema.sql
--
-- tests/unit/test_dbsql.c checks that these statements are the ones geoput
-- sends; tests/prog/20-geoput-db.t that both make the same tables.

CREATE TABLE IF NOT EXISTS `location` (
  `id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `user_id` BIGINT UNSIGNED NULL,
  `geom` GEOMETRY REF_SYSTEM_ID=4326 NOT NULL,
  `properties` JSON NULL,
  `updated_at` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  SPATIAL INDEX `geom` (`geom`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every position stored with geoput --history, keyed by id and time, as
-- geoget trail reads it; examples/cron/georoom-history-prune trims it.
CREATE TABLE IF NOT EXISTS `location_history` (
  `id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `time` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  `user_id` BIGINT UNSIGNED NULL,
  `geom` GEOMETRY REF_SYSTEM_ID=4326 NOT NULL,
  `properties` JSON NULL,
  PRIMARY KEY (`id`, `time`),
  KEY `time` (`time`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The geofences that geofence(1) keeps and geoput looks positions up in,
-- through the spatial index.
CREATE TABLE IF NOT EXISTS `location_fence` (
  `id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `name` VARCHAR(255) NULL,
  `geom` GEOMETRY REF_SYSTEM_ID=4326 NOT NULL,
  `created_at` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  SPATIAL INDEX `geom` (`geom`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- geoput's batch markers: each transaction writes one row here, so that a
-- batch whose COMMIT got no answer can be found stored or not (geoput(1),
-- "A lost COMMIT").  geoput deletes each marker once its outcome is known.
CREATE TABLE IF NOT EXISTS `geoput_batch` (
  `token` CHAR(32) CHARACTER SET ascii NOT NULL,
  `created_at` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`token`),
  KEY `created_at` (`created_at`)
) ENGINE=InnoDB;
