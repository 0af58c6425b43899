// SPDX-License-Identifier: GPL-2.0
/* The JSON writer's commas, nesting and escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/json.h"

static void test_compact(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f, false);
	json_object_begin(&j, NULL);
	json_u64(&j, "a", 1);
	json_array_begin(&j, "b");
	json_i64(&j, NULL, -2);
	json_string(&j, NULL, "q\"\\\n\x01");
	json_double(&j, NULL, NAN);
	json_double(&j, NULL, 0.5);
	json_array_end(&j);
	json_object_begin(&j, "c");
	json_object_end(&j);
	json_bool(&j, "d", true);
	json_null(&j, "e");
	json_object_end(&j);
	fclose(f);
	assert_string_equal(
		buf,
		"{\"a\":1,\"b\":[-2,\"q\\\"\\\\\\n\\u0001\",null,0.5],\"c\":{},\"d\":true,\"e\":null}");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
