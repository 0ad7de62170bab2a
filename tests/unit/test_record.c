/* test_record.c - input forms, ids, times, defaults, errors. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "record.h"

/* One line per record: "ID USER GEOMETRY PROPERTIES" or "! ERROR". */
static char *
show(const struct record_vec *rv)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	for (size_t i = 0; i < rv->n; i++) {
		const struct record *r = &rv->v[i];
		char id[LOCID_JSON_MAX];
		jv g, u, p;

		if (r->error != NULL) {
			fprintf(f, "! %s\n", r->error);
			continue;
		}
		u = jv_dump_string(jv_copy(r->user), 0);
		g = jv_dump_string(jv_copy(r->geometry), 0);
		p = jv_dump_string(jv_copy(r->properties), 0);
		locid_json(&r->id, id);
		if (r->time != 0)
			fprintf(f, "@%lld ", (long long)r->time);
		fprintf(f, "%s %s %s %s\n", id, jv_string_value(u),
		    jv_string_value(g), jv_string_value(p));
		jv_free(u);
		jv_free(g);
		jv_free(p);
	}
	fclose(f);
	return text;
}

/* Parses 'json' with the defaults and compares with 'want'. */
static void
check(const struct record_defaults *d, const char *json, int bad,
    const char *want)
{
	struct record_vec rv;
	jv v = jv_parse(json);
	char *got;
	int r;

	assert_true(jv_is_valid(v));
	record_vec_init(&rv);
	r = record_parse(&rv, v, d, 7);
	got = show(&rv);
	if (strcmp(got, want) != 0 || r != bad)
		fail_msg("input %s\n got (%d):\n%s want (%d):\n%s", json, r,
		    got, bad, want);
	for (size_t i = 0; i < rv.n; i++)
		assert_int_equal(rv.v[i].line, 7);
	free(got);
	record_vec_release(&rv);
}

#define PT "{\"type\":\"Point\",\"coordinates\":[13.4,52.5]}"

static void
test_feature(void **state)
{
	struct record_defaults d;

	(void)state;
	record_defaults_init(&d);
	check(&d,
	    "{\"type\":\"Feature\",\"id\":42,\"geometry\":" PT
	    ",\"properties\":{\"name\":\"a\"}}",
	    0, "42 null " PT " {\"name\":\"a\"}\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":\"42\",\"userId\":7,"
	    "\"geometry\":" PT "}",
	    0, "42 7 " PT " {}\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":1,\"properties\":null,"
	    "\"geometry\":" PT "}",
	    0, "1 null " PT " {}\n");
	check(&d, "{\"type\":\"Feature\",\"geometry\":" PT "}", 1,
	    "! id: missing (give one in the input, or --id)\n");
	check(&d, "{\"type\":\"Feature\",\"id\":1,\"geometry\":null}", 1,
	    "! geometry: missing (a stored location needs a geometry)\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":1,\"geometry\":"
	    "{\"type\":\"Point\",\"coordinates\":[1,91]}}",
	    1,
	    "! geometry.coordinates[1]: latitude 91 out of range [-90, 90]\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":1,\"geometry\":" PT
	    ",\"properties\":[1]}",
	    1, "! properties: expected an object or null, got array\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":1,\"userId\":-3,"
	    "\"geometry\":" PT "}",
	    1,
	    "! userId: must be an integer from 1 to 9007199254740991, "
	    "got -3\n");
	record_defaults_release(&d);
}

#define ID_RULE \
	"must be an integer from 1 to 9007199254740991 or a string of 1 to " \
	"64 letters, digits and \"._:-\", got "

static void
test_ids(void **state)
{
	struct record_defaults d;

	(void)state;
	record_defaults_init(&d);
	check(&d,
	    "{\"type\":\"Feature\",\"id\":9007199254740991,"
	    "\"geometry\":" PT "}",
	    0, "9007199254740991 null " PT " {}\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":9007199254740992,"
	    "\"geometry\":" PT "}",
	    1, "! id: " ID_RULE "9007199254740992\n");
	check(&d, "{\"type\":\"Feature\",\"id\":0,\"geometry\":" PT "}", 1,
	    "! id: " ID_RULE "0\n");
	check(&d, "{\"type\":\"Feature\",\"id\":1.5,\"geometry\":" PT "}", 1,
	    "! id: " ID_RULE "1.5\n");
	/* Strings: digits name the integer, anything else itself. */
	check(&d, "{\"type\":\"Feature\",\"id\":\"42\",\"geometry\":" PT "}",
	    0, "42 null " PT " {}\n");
	check(&d, "{\"type\":\"Feature\",\"id\":\"007\",\"geometry\":" PT "}",
	    0, "\"007\" null " PT " {}\n");
	check(&d, "{\"type\":\"Feature\",\"id\":\"B-12\",\"geometry\":" PT "}",
	    0, "\"B-12\" null " PT " {}\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":\"9007199254740992\","
	    "\"geometry\":" PT "}",
	    0, "\"9007199254740992\" null " PT " {}\n");
	check(&d, "{\"type\":\"Feature\",\"id\":\"a b\",\"geometry\":" PT "}",
	    1, "! id: " ID_RULE "\"a b\"\n");
	check(&d, "{\"type\":\"Feature\",\"id\":\"\",\"geometry\":" PT "}", 1,
	    "! id: " ID_RULE "\"\"\n");
	check(&d, "{\"type\":\"Feature\",\"id\":true,\"geometry\":" PT "}", 1,
	    "! id: " ID_RULE "boolean\n");
	record_defaults_release(&d);
}

static void
test_collection(void **state)
{
	struct record_defaults d;

	(void)state;
	record_defaults_init(&d);
	check(&d,
	    "{\"type\":\"FeatureCollection\",\"features\":["
	    "{\"type\":\"Feature\",\"id\":1,\"geometry\":" PT "},"
	    "{\"type\":\"Feature\",\"id\":2,\"geometry\":{\"type\":\"Point\","
	    "\"coordinates\":[200,0]}}," PT ","
	    "{\"type\":\"Feature\",\"id\":3,\"geometry\":" PT "}]}",
	    2,
	    "1 null " PT " {}\n"
	    "! features[1].geometry.coordinates[0]: longitude 200 out of "
	    "range [-180, 180]\n"
	    "! features[2]: expected a Feature, got Point\n"
	    "3 null " PT " {}\n");
	check(&d, "{\"type\":\"FeatureCollection\",\"features\":[]}", 0, "");
	check(&d, "{\"type\":\"FeatureCollection\"}", 1,
	    "! features: missing\n");
	check(&d, "{\"type\":\"FeatureCollection\",\"features\":{}}", 1,
	    "! features: expected an array, got object\n");
	check(&d,
	    "{\"type\":\"FeatureCollection\",\"features\":["
	    "{\"type\":\"Feature\",\"geometry\":" PT "}]}",
	    1, "! features[0].id: missing (give one in the input, or --id)\n");
	record_defaults_release(&d);
}

static void
test_bare_geometry_and_defaults(void **state)
{
	struct record_defaults d;
	char err[128];

	(void)state;
	record_defaults_init(&d);
	check(&d, PT, 1, "! id: missing (a bare geometry needs --id)\n");
	assert_int_equal(locid_from_text("5", 1, &d.id, err, sizeof(err)), 0);
	jv_free(d.user);
	d.user = jv_number(9);
	assert_int_equal(record_defaults_prop(&d, "src=cron", err,
	                     sizeof(err)),
	    0);
	assert_int_equal(record_defaults_prop(&d, "n:=[1,2]", err,
	                     sizeof(err)),
	    0);
	assert_int_equal(record_defaults_prop(&d, "eq=a=b", err, sizeof(err)),
	    0);
	check(&d, PT, 0,
	    "5 9 " PT " {\"src\":\"cron\",\"n\":[1,2],\"eq\":\"a=b\"}\n");
	check(&d, "{\"type\":\"LineString\",\"coordinates\":[[1,2]]}", 1,
	    "! coordinates: needs at least 2 positions, got 1\n");
	/* The record's own values win over the defaults. */
	check(&d,
	    "{\"type\":\"Feature\",\"id\":6,\"userId\":1,\"geometry\":" PT
	    ",\"properties\":{\"src\":\"feed\"}}",
	    0, "6 1 " PT " {\"src\":\"feed\",\"n\":[1,2],\"eq\":\"a=b\"}\n");
	check(&d, "{\"type\":\"Feature\",\"geometry\":" PT "}", 0,
	    "5 9 " PT " {\"src\":\"cron\",\"n\":[1,2],\"eq\":\"a=b\"}\n");
	assert_int_equal(record_defaults_prop(&d, "=x", err, sizeof(err)), -1);
	assert_int_equal(record_defaults_prop(&d, "novalue", err, sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "expected KEY=TEXT or KEY:=JSON, got \"novalue\"");
	assert_int_equal(record_defaults_prop(&d, ":=1", err, sizeof(err)),
	    -1);
	assert_int_equal(record_defaults_prop(&d, "k:={", err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "k: bad JSON"));
	/* What libjq reads but JSON does not allow is refused too. */
	assert_int_equal(record_defaults_prop(&d, "k:=nan", err, sizeof(err)),
	    -1);
	assert_string_equal(err, "k: nan is not JSON");
	assert_int_equal(record_defaults_prop(&d, "k:={\"a\":[1e400]}", err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "k: a[0]: number 1e400 is out of range of a double");
	assert_int_equal(record_defaults_prop(&d, "k:=\"\xff\"", err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err, "k: invalid UTF-8 in a string");
	assert_int_equal(record_defaults_prop(&d, "k=caf\xe9", err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err, "k: text is not UTF-8");
	assert_int_equal(record_defaults_prop(&d, "\xe9=1", err, sizeof(err)),
	    -1);
	assert_string_equal(err, "property name is not UTF-8");
	assert_int_equal(record_defaults_prop(&d, "caf\xc3\xa9=cr\xc3\xa8me",
	                     err, sizeof(err)),
	    0);
	record_defaults_release(&d);
}

static void
test_flat(void **state)
{
	struct record_defaults d;

	(void)state;
	record_defaults_init(&d);
	check(&d, "{\"id\":3,\"lon\":13.4,\"lat\":52.5}", 0,
	    "3 null " PT " {}\n");
	check(&d,
	    "{\"id\":3,\"lon\":13.4,\"lat\":52.5,\"userId\":\"8\","
	    "\"properties\":{\"a\":1}}",
	    0, "3 8 " PT " {\"a\":1}\n");
	check(&d, "{\"id\":3,\"lon\":13.4,\"lat\":-90.5}", 1,
	    "! lat: latitude -90.5 out of range [-90, 90]\n");
	check(&d, "{\"id\":3,\"lon\":\"13.4\",\"lat\":52.5}", 1,
	    "! lon: longitude must be a number, got string\n");
	check(&d, "{\"id\":3,\"lat\":52.5}", 1, "! lon: missing\n");
	check(&d, "{\"id\":3,\"lng\":13.4,\"lat\":52.5}", 1,
	    "! unknown member \"lng\" (a flat record has id, lon, lat, "
	    "userId, properties, time; --keep-extra keeps others as "
	    "properties)\n");
	check(&d, "{\"lon\":13.4,\"lat\":52.5}", 1,
	    "! id: missing (give one in the input, or --id)\n");
	/* --keep-extra: other members are properties, under "properties". */
	d.keep_extra = 1;
	check(&d,
	    "{\"id\":3,\"lon\":13.4,\"lat\":52.5,\"speed\":12,"
	    "\"tags\":[\"a\"],\"properties\":{\"speed\":13,\"b\":1}}",
	    0, "3 null " PT " {\"speed\":13,\"b\":1,\"tags\":[\"a\"]}\n");
	check(&d, "{\"id\":3,\"lon\":13.4,\"lat\":52.5,\"speed\":12}", 0,
	    "3 null " PT " {\"speed\":12}\n");
	record_defaults_release(&d);
}

static void
test_times(void **state)
{
	struct record_defaults d;

	(void)state;
	record_defaults_init(&d);
	check(&d,
	    "{\"id\":3,\"lon\":13.4,\"lat\":52.5,"
	    "\"time\":\"2026-11-25T10:00:00Z\"}",
	    0, "@1795600800000000 3 null " PT " {}\n");
	/* A Feature's own member, else its property, which stays one. */
	check(&d,
	    "{\"type\":\"Feature\",\"id\":3,\"time\":1795600800123,"
	    "\"geometry\":" PT ",\"properties\":{\"time\":1}}",
	    0, "@1795600800123000 3 null " PT " {\"time\":1}\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":3,\"geometry\":" PT
	    ",\"properties\":{\"time\":1795600800}}",
	    0, "@1795600800000000 3 null " PT " {\"time\":1795600800}\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":3,\"time\":null,\"geometry\":" PT
	    "}",
	    0, "3 null " PT " {}\n");
	check(&d,
	    "{\"type\":\"Feature\",\"id\":3,\"time\":\"soon\",\"geometry\":" PT
	    "}",
	    1,
	    "! time: \"soon\" is not an RFC 3339 time such as "
	    "2026-11-25T10:00:00Z or 2026-11-25T11:00:00.5+01:00\n");
	check(&d,
	    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
	    "\"Feature\",\"id\":3,\"geometry\":" PT
	    ",\"properties\":{\"time\":4e9}}]}",
	    1,
	    "! features[0].properties.time: 2096-10-02T07:06:40.000000Z is "
	    "outside 1970-01-01T00:00:01Z .. 2038-01-19T03:14:07.999999Z, "
	    "the range of a TIMESTAMP\n");
	/* --time-field names another member; "time" is then unknown. */
	d.time_field = "ts";
	check(&d, "{\"id\":3,\"lon\":13.4,\"lat\":52.5,\"ts\":1795600800}", 0,
	    "@1795600800000000 3 null " PT " {}\n");
	check(&d, "{\"id\":3,\"lon\":13.4,\"lat\":52.5,\"time\":1}", 1,
	    "! unknown member \"time\" (a flat record has id, lon, lat, "
	    "userId, properties, ts; --keep-extra keeps others as "
	    "properties)\n");
	record_defaults_release(&d);
}

static void
test_not_a_record(void **state)
{
	struct record_defaults d;

	(void)state;
	record_defaults_init(&d);
	check(&d, "[1]", 1,
	    "! expected a Feature, a FeatureCollection, a "
	    "geometry or an {\"id\", \"lon\", \"lat\"} object, got array "
	    "(for a list, try --jq '.[]')\n");
	check(&d, "\"x\"", 1,
	    "! expected a Feature, a FeatureCollection, a "
	    "geometry or an {\"id\", \"lon\", \"lat\"} object, got string\n");
	check(&d, "{\"name\":1}", 1,
	    "! expected a Feature, a "
	    "FeatureCollection, a geometry or an {\"id\", \"lon\", \"lat\"} "
	    "object, got an object with neither \"type\" nor "
	    "\"lon\"/\"lat\"\n");
	check(&d, "{\"type\":\"Topology\"}", 1,
	    "! type: \"Topology\" is not "
	    "Feature, FeatureCollection or a geometry type\n");
	check(&d, "{\"type\":1}", 1,
	    "! type: expected a string, got number\n");
	record_defaults_release(&d);
}

static void
test_drop(void **state)
{
	struct record_defaults d;
	struct record_vec rv;
	static const char *const in[] = {
		"{\"id\":1,\"lon\":1,\"lat\":1}",
		"{\"id\":2,\"lon\":2,\"lat\":2}",
		"{\"id\":1,\"lon\":3,\"lat\":3}",
		"{\"id\":1,\"lon\":300,\"lat\":3}",
		"{\"id\":3,\"lon\":4,\"lat\":4}",
		"{\"id\":2,\"lon\":5,\"lat\":5}",
	};
	char *got;

	(void)state;
	record_defaults_init(&d);
	record_vec_init(&rv);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		record_parse(&rv, jv_parse(in[i]), &d, i + 1);
	assert_int_equal(rv.n, 6);
	assert_int_equal(record_vec_drop_invalid(&rv), 1);
	got = show(&rv);
	/* A repeated id stays: the store orders the updates of an id. */
	assert_string_equal(got,
	    "1 null {\"type\":\"Point\",\"coordinates\":[1,1]} {}\n"
	    "2 null {\"type\":\"Point\",\"coordinates\":[2,2]} {}\n"
	    "1 null {\"type\":\"Point\",\"coordinates\":[3,3]} {}\n"
	    "3 null {\"type\":\"Point\",\"coordinates\":[4,4]} {}\n"
	    "2 null {\"type\":\"Point\",\"coordinates\":[5,5]} {}\n");
	assert_int_equal(rv.v[2].line, 3);
	free(got);
	record_vec_release(&rv);
	record_defaults_release(&d);
}

static void
test_properties_not_finite(void **state)
{
	struct record_defaults d;

	(void)state;
	record_defaults_init(&d);
	/* As a jq filter can make them: libjq's parser reads these too. */
	check(&d,
	    "{\"type\":\"Feature\",\"id\":1,\"geometry\":" PT
	    ",\"properties\":{\"a\":[1,{\"b\":nan}]}}",
	    1, "! properties.a[1].b: not a finite number (NaN)\n");
	check(&d,
	    "{\"id\":1,\"lon\":1,\"lat\":1,\"properties\":{\"x\":-1e999}}", 1,
	    "! properties.x: not a finite number (-Infinity)\n");
	check(&d,
	    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
	    "\"Feature\",\"id\":1,\"geometry\":" PT
	    "},{\"type\":\"Feature\",\"id\":2,\"geometry\":" PT
	    ",\"properties\":{\"x\":1e999}}]}",
	    1,
	    "1 null " PT " {}\n"
	    "! features[1].properties.x: not a finite number (Infinity)\n");
	record_defaults_release(&d);
}

static void
test_properties_depth(void **state)
{
	struct record_defaults d;
	char err[RECORD_ERR_MAX], *text;

	(void)state;
	record_defaults_init(&d);
	/* Arrays and objects in turn, under "a" of the properties object. */
	for (int levels = RECORD_JSON_DEPTH_MAX; levels <= 40; levels++) {
		struct record_vec rv;
		jv a = jv_number(1);
		int r;

		for (int i = 1; i < levels; i++)
			a = i % 2 ?
			    jv_array_append(jv_array(), a) :
			    jv_object_set(jv_object(), jv_string("b"), a);
		record_vec_init(&rv);
		r = record_parse(&rv,
		    jv_object_set(jv_parse("{\"id\":1,\"lon\":1,\"lat\":1}"),
		        jv_string("properties"),
		        jv_object_set(jv_object(), jv_string("a"), a)),
		    &d, 1);
		if (levels == RECORD_JSON_DEPTH_MAX) {
			assert_int_equal(r, 0);
		} else {
			assert_int_equal(r, 1);
			assert_string_equal(rv.v[0].error,
			    "properties.a: more than 31 levels of arrays and "
			    "objects (the database refuses deeper JSON)");
		}
		record_vec_release(&rv);
	}
	/* In --prop, the value sits one level down, in the properties. */
	text = malloc(RECORD_JSON_DEPTH_MAX * 2 + 8);
	assert_non_null(text);
	for (int levels = RECORD_JSON_DEPTH_MAX - 1;
	     levels <= RECORD_JSON_DEPTH_MAX; levels++) {
		size_t n = 3;

		memcpy(text, "k:=", n);
		for (int i = 0; i < levels; i++)
			text[n++] = '[';
		for (int i = 0; i < levels; i++)
			text[n++] = ']';
		text[n] = '\0';
		assert_int_equal(record_defaults_prop(&d, text, err,
		                     sizeof(err)),
		    levels < RECORD_JSON_DEPTH_MAX ? 0 : -1);
	}
	assert_string_equal(err,
	    "k: more than 31 levels of arrays and objects (the database "
	    "refuses deeper JSON)");
	free(text);
	record_defaults_release(&d);
}

static void
test_record_user_id(void **state)
{
	char err[128];
	uint64_t id = 0;

	(void)state;
	assert_int_equal(record_user_id(jv_string("1"), &id, err, sizeof(err)),
	    0);
	assert_int_equal(id, 1);
	assert_int_equal(record_user_id(jv_number(77), &id, err, sizeof(err)),
	    0);
	assert_int_equal(id, 77);
	assert_int_equal(record_user_id(jv_string(""), &id, err, sizeof(err)),
	    -1);
	assert_int_equal(record_user_id(jv_string("12345678901234567"), &id,
	                     err, sizeof(err)),
	    -1);
	assert_int_equal(record_user_id(jv_null(), &id, err, sizeof(err)), -1);
	assert_string_equal(err,
	    "must be an integer from 1 to 9007199254740991, got null");
	/* A filter can make numbers no JSON text holds. */
	assert_int_equal(record_user_id(jv_number(INFINITY), &id, err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "must be an integer from 1 to 9007199254740991, got Infinity");
	assert_int_equal(record_user_id(jv_number(-INFINITY), &id, err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "must be an integer from 1 to 9007199254740991, got -Infinity");
	assert_int_equal(record_user_id(jv_number(NAN), &id, err, sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "must be an integer from 1 to 9007199254740991, got NaN");
	assert_int_equal(id, 77);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feature),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_collection),
		cmocka_unit_test(test_bare_geometry_and_defaults),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_not_a_record),
		cmocka_unit_test(test_drop),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_properties_not_finite),
		cmocka_unit_test(test_properties_depth),
		cmocka_unit_test(test_record_user_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
