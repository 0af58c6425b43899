/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TRIOVM_LOG_H
#define TRIOVM_LOG_H

#include <stdbool.h>
#include <time.h>
#include "util.h"

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Messages at or below this level are printed; set from -v/-q or TRIOVM_LOG. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

void log_printf(enum log_level level, const char *fmt, ...) __printf(2, 3);

#define pr_err(fmt, ...) log_printf(LOG_ERR, fmt "\n", ##__VA_ARGS__)
#define pr_warn(fmt, ...) log_printf(LOG_WARN, fmt "\n", ##__VA_ARGS__)
#define pr_info(fmt, ...) log_printf(LOG_INFO, fmt "\n", ##__VA_ARGS__)
#define pr_debug(fmt, ...) log_printf(LOG_DEBUG, fmt "\n", ##__VA_ARGS__)

/*
 * A guest can trigger a warning at the rate it exits; these keep the log
 * readable and the VMM responsive: at most `burst` lines per `interval_s`,
 * then one line saying how many were suppressed.
 */
struct ratelimit {
	time_t begin;
	int interval_s;
	int burst;
	int printed;
	int missed;
};

#define RATELIMIT_INIT         \
	{                      \
		0, 5, 10, 0, 0 \
	}

bool ratelimit_ok(struct ratelimit *rl);

#define pr_warn_ratelimited(fmt, ...)                          \
	do {                                                   \
		static struct ratelimit __rl = RATELIMIT_INIT; \
		if (ratelimit_ok(&__rl))                       \
			pr_warn(fmt, ##__VA_ARGS__);           \
	} while (0)

#endif
