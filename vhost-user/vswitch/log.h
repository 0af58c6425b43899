/* SPDX-License-Identifier: GPL-2.0 */
/* Messages on stderr, prefixed so they stand out from the EAL's own. */
#ifndef TRIOVM_VSWITCH_LOG_H
#define TRIOVM_VSWITCH_LOG_H

#include <stdio.h>

#define vsw_err(fmt, ...) \
	fprintf(stderr, "triovm-vswitch: error: " fmt "\n", ##__VA_ARGS__)
#define vsw_warn(fmt, ...) \
	fprintf(stderr, "triovm-vswitch: warning: " fmt "\n", ##__VA_ARGS__)
#define vsw_info(fmt, ...) \
	fprintf(stderr, "triovm-vswitch: " fmt "\n", ##__VA_ARGS__)

#endif
