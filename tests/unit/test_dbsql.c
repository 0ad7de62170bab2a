/* test_dbsql.c - DDL per flavour, statements, names, error classes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dbsql.h"

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
test_flavour(void **state)
{
	(void)state;
	assert_int_equal(dbsql_flavour("10.11.19-MariaDB-0+deb12u1", 101119),
	    DBSQL_MARIADB);
	assert_int_equal(dbsql_flavour("5.5.5-10.11.6-MariaDB", 50505),
	    DBSQL_MARIADB);
	assert_int_equal(dbsql_flavour("8.0.36", 80036), DBSQL_MYSQL8);
	assert_int_equal(dbsql_flavour("8.4.0", 80400), DBSQL_MYSQL8);
	assert_int_equal(dbsql_flavour("5.7.44-log", 50744), DBSQL_MYSQL57);
	assert_string_equal(dbsql_flavour_name(DBSQL_MYSQL8), "MySQL 8");
}

static void
test_ddl(void **state)
{
	char *m, *y, *o;

	(void)state;
	m = dbsql_create_table(DBSQL_MARIADB, "location");
	y = dbsql_create_table(DBSQL_MYSQL8, "location");
	o = dbsql_create_table(DBSQL_MYSQL57, "t2");
	assert_non_null(strstr(m, "CREATE TABLE IF NOT EXISTS `location`"));
	assert_non_null(strstr(m,
	    "`geom` GEOMETRY REF_SYSTEM_ID=4326 NOT "
	    "NULL,"));
	assert_null(strstr(m, "SRID 4326"));
	assert_non_null(strstr(y, "`geom` GEOMETRY NOT NULL SRID 4326,"));
	assert_null(strstr(y, "REF_SYSTEM_ID"));
	assert_non_null(strstr(o, "`geom` GEOMETRY NOT NULL,"));
	assert_non_null(strstr(o, "`t2`"));
	for (int i = 0; i < 3; i++) {
		const char *s = i == 0 ? m : i == 1 ? y : o;

		assert_non_null(strstr(s, "SPATIAL INDEX `geom` (`geom`)"));
		assert_non_null(strstr(s, "PRIMARY KEY (`id`)"));
		assert_non_null(strstr(s,
		    "`id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin "
		    "NOT NULL,"));
		assert_non_null(strstr(s, "TIMESTAMP(6)"));
		assert_non_null(strstr(s, "`properties` JSON NULL"));
	}
	free(m);
	free(y);
	free(o);
}

/* Collapses runs of white space to one space and trims. */
static void
squeeze(char *s)
{
	char *w = s;
	int space = 0;

	for (char *p = s; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t') {
			space = 1;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = 0;
		*w++ = *p;
	}
	*w = '\0';
}

/* examples/schema.sql holds the statement geoput sends to MariaDB. */
static void
test_schema_file_matches(void **state)
{
	const char *top = getenv("GEOROOM_TOP");
	char path[4096], *text = NULL, *stmt, *end, *m, *y;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/examples/schema.sql",
	    top ? top : ".");
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s (run from the top directory)", path);
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	assert_true(n > 0);
	/* The MySQL 8 line is given in a comment. */
	y = dbsql_create_table(DBSQL_MYSQL8, "location");
	assert_non_null(strstr(text,
	    "--   `geom` GEOMETRY NOT NULL SRID "
	    "4326,\n"));
	stmt = strstr(text, "\nCREATE TABLE");
	assert_non_null(stmt);
	end = strchr(stmt, ';');
	assert_non_null(end);
	*end = '\0';
	squeeze(stmt);
	m = dbsql_create_table(DBSQL_MARIADB, "location");
	squeeze(m);
	assert_string_equal(stmt, m);
	free(m);
	/* Then the history, the fences and the batch markers' tables. */
	for (int i = 0; i < 3; i++) {
		stmt = strstr(end + 1, "\nCREATE TABLE");
		assert_non_null(stmt);
		end = strchr(stmt, ';');
		assert_non_null(end);
		*end = '\0';
		squeeze(stmt);
		m = i == 0 ? dbsql_create_history(DBSQL_MARIADB, "location") :
		    i == 1 ? dbsql_create_fence(DBSQL_MARIADB, "location") :
		             dbsql_create_marks();
		squeeze(m);
		assert_string_equal(stmt, m);
		free(m);
	}
	assert_null(strstr(end + 1, "CREATE TABLE"));
	free(y);
	free(text);
}

static void
test_statements(void **state)
{
	static const struct locid a = { .num = 1, .len = 1, .text = "1" },
	                          b = { .num = 0, .len = 4, .text = "B-12" },
	                          c = { .num = 42, .len = 2, .text = "42" };
	const struct locid *ids[] = { &a, &b, &c };
	char *s;

	(void)state;
	s = dbsql_upsert(DBSQL_MARIADB, "location", 3, 1);
	assert_int_equal(count(s, "?"), 3 * DBSQL_UPSERT_PARAMS);
	assert_int_equal(count(s, "ST_GeomFromWKB(?, 4326)"), 3);
	assert_non_null(strstr(s,
	    "INSERT INTO `location` (`id`, `user_id`, "
	    "`geom`, `properties`, `updated_at`) VALUES (?, ?, "
	    "ST_GeomFromWKB(?, 4326), ?, ?), (?, "));
	/* Every assignment guarded by time, updated_at last. */
	assert_non_null(strstr(s,
	    " ON DUPLICATE KEY UPDATE `user_id` = IF(VALUES(`updated_at`) >= "
	    "`updated_at`, COALESCE(VALUES(`user_id`), `user_id`), "
	    "`user_id`), `geom` = IF(VALUES(`updated_at`) >= `updated_at`, "
	    "VALUES(`geom`), `geom`), `properties` = IF(VALUES(`updated_at`) "
	    ">= `updated_at`, JSON_MERGE_PATCH(COALESCE(`properties`, '{}'), "
	    "VALUES(`properties`)), `properties`), `updated_at` = "
	    "GREATEST(`updated_at`, VALUES(`updated_at`))"));
	free(s);
	s = dbsql_upsert(DBSQL_MYSQL8, "location", 1, 0);
	assert_non_null(
	    strstr(s, "ST_GeomFromWKB(?, 4326, 'axis-order=long-lat')"));
	assert_non_null(strstr(s,
	    "`user_id` = IF(VALUES(`updated_at`) >= `updated_at`, "
	    "VALUES(`user_id`), `user_id`)"));
	assert_non_null(strstr(s,
	    "`properties` = IF(VALUES(`updated_at`) >= `updated_at`, "
	    "VALUES(`properties`), `properties`)"));
	assert_null(strstr(s, "MERGE"));
	free(s);
	s = dbsql_read(DBSQL_MARIADB, "loc2", DBSQL_BEFORE, 0, ids, 3, 0, 0);
	assert_string_equal(s,
	    "SELECT `id`, `user_id`, `properties`, `updated_at`, "
	    "ST_AsWKB(`geom`) FROM `loc2` WHERE `id` IN ('1', 'B-12', '42') "
	    "FOR UPDATE");
	free(s);
	s = dbsql_read(DBSQL_MARIADB, "location", DBSQL_AFTER, 0, NULL, 0, 5,
	    9007199254740991ULL);
	assert_string_equal(s,
	    "SELECT `id`, `user_id`, ST_AsWKB(`geom`), `properties`, "
	    "`updated_at` FROM `location` WHERE `id` BETWEEN 5 AND "
	    "9007199254740991");
	free(s);
	/* MySQL 8 would write SRID 4326 latitude first. */
	s = dbsql_read(DBSQL_MYSQL8, "location", DBSQL_AFTER, 1, ids, 1, 0, 0);
	assert_string_equal(s,
	    "SELECT `id`, `user_id`, ST_AsWKB(`geom`, "
	    "'axis-order=long-lat'), `properties`, `updated_at` FROM "
	    "`location` WHERE `id` IN ('1') LOCK IN SHARE MODE");
	free(s);
	s = dbsql_history("location", ids, 2, 0, 0);
	assert_string_equal(s,
	    "INSERT INTO `location_history` (`id`, `time`, `user_id`, `geom`, "
	    "`properties`) SELECT `id`, `updated_at`, `user_id`, `geom`, "
	    "`properties` FROM `location` WHERE `id` IN ('1', 'B-12') ON "
	    "DUPLICATE KEY UPDATE `user_id` = VALUES(`user_id`), `geom` = "
	    "VALUES(`geom`), `properties` = VALUES(`properties`)");
	free(s);
	s = dbsql_create_history(DBSQL_MARIADB, "fleet");
	assert_non_null(
	    strstr(s, "CREATE TABLE IF NOT EXISTS `fleet_history`"));
	assert_non_null(strstr(s, "PRIMARY KEY (`id`, `time`)"));
	assert_non_null(strstr(s, "KEY `time` (`time`)"));
	assert_non_null(
	    strstr(s, "`geom` GEOMETRY REF_SYSTEM_ID=4326 NOT NULL"));
	free(s);
	s = dbsql_create_history(DBSQL_MYSQL8, "fleet");
	assert_non_null(strstr(s, "`geom` GEOMETRY NOT NULL SRID 4326"));
	free(s);
	s = dbsql_count("location");
	assert_string_equal(s, "SELECT COUNT(*) FROM `location`");
	free(s);
}

static void
test_fences(void **state)
{
	static const unsigned char pt[] = { 1, 0xab };
	struct dbsql_spot spots[2] = { { pt, 2 }, { pt, 1 } };
	struct locid id;
	char err[64], *m, *y, *s;

	(void)state;
	m = dbsql_create_fence(DBSQL_MARIADB, "location");
	y = dbsql_create_fence(DBSQL_MYSQL8, "location");
	assert_non_null(
	    strstr(m, "CREATE TABLE IF NOT EXISTS `location_fence`"));
	assert_non_null(
	    strstr(m, "`geom` GEOMETRY REF_SYSTEM_ID=4326 NOT NULL,"));
	assert_non_null(strstr(y, "`geom` GEOMETRY NOT NULL SRID 4326,"));
	for (int i = 0; i < 2; i++) {
		s = i ? y : m;
		assert_non_null(strstr(s, "SPATIAL INDEX `geom` (`geom`)"));
		assert_non_null(strstr(s,
		    "`id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin "
		    "NOT NULL,"));
		assert_non_null(strstr(s, "`name` VARCHAR(255) NULL,"));
	}
	free(m);
	free(y);
	s = dbsql_fence_put(DBSQL_MYSQL8, "t");
	assert_string_equal(s,
	    "INSERT INTO `t_fence` (`id`, `name`, `geom`) VALUES (?, ?, "
	    "ST_GeomFromWKB(?, 4326, 'axis-order=long-lat')) ON DUPLICATE KEY "
	    "UPDATE `name` = VALUES(`name`), `geom` = VALUES(`geom`)");
	free(s);
	s = dbsql_fence_list(DBSQL_MARIADB, "t");
	assert_string_equal(s,
	    "SELECT `id`, `name`, ST_AsWKB(`geom`), `created_at` FROM "
	    "`t_fence` ORDER BY `id`");
	free(s);
	assert_int_equal(locid_from_text("B-1", 3, &id, err, sizeof(err)), 0);
	s = dbsql_fence_delete("t", &id);
	assert_string_equal(s, "DELETE FROM `t_fence` WHERE `id` = 'B-1'");
	free(s);
	s = dbsql_fence_any("t");
	assert_string_equal(s, "SELECT 1 FROM `t_fence` LIMIT 1");
	free(s);
	s = dbsql_fence_hits(DBSQL_MARIADB, "t", spots, 2);
	assert_string_equal(s,
	    "SELECT `j`.`k`, `f`.`id`, `f`.`name` FROM "
	    "JSON_TABLE('[\"01ab\",\"01\"]', "
	    "'$[*]' COLUMNS (`k` FOR ORDINALITY, `w` LONGTEXT PATH '$')) AS "
	    "`j` JOIN `t_fence` AS `f` ON ST_Contains(`f`.`geom`, "
	    "ST_GeomFromWKB(UNHEX(`j`.`w`), 4326))");
	free(s);
	s = dbsql_fence_hits(DBSQL_MYSQL8, "t", spots, 1);
	assert_non_null(strstr(s,
	    "ST_GeomFromWKB(UNHEX(`j`.`w`), 4326, 'axis-order=long-lat'))"));
	free(s);
}

static void
test_markers(void **state)
{
	static const char tok[] = "0123456789abcdef0123456789abcdef";
	const char *two[] = { tok, "ffffffffffffffffffffffffffffffff" };
	char *s;

	(void)state;
	assert_true(dbsql_check_token(tok));
	assert_false(dbsql_check_token("0123456789ABCDEF0123456789abcdef"));
	assert_false(dbsql_check_token("0123456789abcdef0123456789abcde"));
	assert_false(dbsql_check_token("0123456789abcdef0123456789abcde'"));
	assert_false(dbsql_check_token(""));
	s = dbsql_create_marks();
	assert_non_null(
	    strstr(s, "CREATE TABLE IF NOT EXISTS `geoput_batch`"));
	assert_non_null(
	    strstr(s, "`token` CHAR(32) CHARACTER SET ascii NOT NULL"));
	assert_non_null(strstr(s, "PRIMARY KEY (`token`)"));
	assert_non_null(strstr(s, "KEY `created_at` (`created_at`)"));
	free(s);
	s = dbsql_mark(tok);
	assert_string_equal(s,
	    "INSERT INTO `geoput_batch` (`token`) VALUES "
	    "('0123456789abcdef0123456789abcdef')");
	free(s);
	s = dbsql_mark_find(tok);
	assert_string_equal(s,
	    "SELECT COUNT(*) FROM `geoput_batch` WHERE `token` = "
	    "'0123456789abcdef0123456789abcdef' LOCK IN SHARE MODE");
	free(s);
	s = dbsql_marks_stale(100);
	assert_string_equal(s,
	    "SELECT `token` FROM `geoput_batch` WHERE `created_at` < "
	    "CURRENT_TIMESTAMP(6) - INTERVAL 1 DAY LIMIT 100");
	free(s);
	s = dbsql_marks_delete(two, 2);
	assert_string_equal(s,
	    "DELETE FROM `geoput_batch` WHERE `token` IN "
	    "('0123456789abcdef0123456789abcdef', "
	    "'ffffffffffffffffffffffffffffffff')");
	free(s);
}

static void
test_table_names(void **state)
{
	char err[128];

	(void)state;
	assert_int_equal(dbsql_check_table("location", err, sizeof(err)), 0);
	assert_int_equal(dbsql_check_table("loc_2", err, sizeof(err)), 0);
	assert_int_equal(dbsql_check_table("", err, sizeof(err)), -1);
	assert_int_equal(dbsql_check_table("123", err, sizeof(err)), -1);
	assert_int_equal(dbsql_check_table("a`b", err, sizeof(err)), -1);
	assert_int_equal(dbsql_check_table("a b", err, sizeof(err)), -1);
	assert_int_equal(dbsql_check_table("db.t", err, sizeof(err)), -1);
	assert_int_equal(dbsql_check_table("a234567890123456789012345678901"
	                                   "2345678901234567890123456789012345",
	                     err, sizeof(err)),
	    -1);
	/* 56 bytes at most, so that its history's name fits in 64. */
	assert_int_equal(dbsql_check_table("a234567890123456789012345678901"
	                                   "2345678901234567890123456",
	                     err, sizeof(err)),
	    0);
	assert_int_equal(dbsql_check_table("a234567890123456789012345678901"
	                                   "23456789012345678901234567",
	                     err, sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "table name must be 1 to 56 letters, digits "
	    "or '_', not all digits");
}

static void
test_classify(void **state)
{
	(void)state;
	assert_int_equal(dbsql_classify(2002, 1), DBSQL_UNAVAILABLE);
	assert_int_equal(dbsql_classify(2005, 1), DBSQL_UNAVAILABLE);
	assert_int_equal(dbsql_classify(2013, 1), DBSQL_UNAVAILABLE);
	assert_int_equal(dbsql_classify(2013, 0), DBSQL_TEMPORARY);
	assert_int_equal(dbsql_classify(2006, 0), DBSQL_TEMPORARY);
	assert_int_equal(dbsql_classify(1045, 1), DBSQL_DENIED);
	assert_int_equal(dbsql_classify(1044, 1), DBSQL_DENIED);
	assert_int_equal(dbsql_classify(1142, 0), DBSQL_DENIED);
	assert_int_equal(dbsql_classify(1698, 1), DBSQL_DENIED);
	assert_int_equal(dbsql_classify(1146, 0), DBSQL_SCHEMA);
	assert_int_equal(dbsql_classify(1049, 1), DBSQL_SCHEMA);
	assert_int_equal(dbsql_classify(1054, 0), DBSQL_SCHEMA);
	assert_int_equal(dbsql_classify(1205, 0), DBSQL_TEMPORARY);
	assert_int_equal(dbsql_classify(1213, 0), DBSQL_TEMPORARY);
	assert_int_equal(dbsql_classify(1040, 1), DBSQL_TEMPORARY);
	assert_int_equal(dbsql_classify(1048, 0), DBSQL_DATA);
	assert_int_equal(dbsql_classify(3617, 0), DBSQL_DATA);
	assert_int_equal(dbsql_classify(3073, 0), DBSQL_DATA);
	assert_int_equal(dbsql_classify(4048, 0), DBSQL_DATA);
	assert_int_equal(dbsql_classify(1064, 0), DBSQL_OTHER);
	assert_int_equal(dbsql_classify(2014, 0), DBSQL_OTHER);
	assert_int_equal(dbsql_classify(2014, 1), DBSQL_UNAVAILABLE);
	/* A COMMIT whose answer was not read, or cut short. */
	assert_true(dbsql_commit_in_doubt(2013));
	assert_true(dbsql_commit_in_doubt(2006));
	assert_true(dbsql_commit_in_doubt(2055));
	assert_true(dbsql_commit_in_doubt(5013));
	assert_true(dbsql_commit_in_doubt(1053));
	assert_true(dbsql_commit_in_doubt(1927));
	/* The server answered: it did not commit. */
	assert_false(dbsql_commit_in_doubt(1213));
	assert_false(dbsql_commit_in_doubt(1205));
	assert_false(dbsql_commit_in_doubt(1180));
	assert_false(dbsql_commit_in_doubt(0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flavour),
		cmocka_unit_test(test_ddl),
		cmocka_unit_test(test_schema_file_matches),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_fences),
		cmocka_unit_test(test_table_names),
		cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
