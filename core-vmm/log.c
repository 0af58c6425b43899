// SPDX-License-Identifier: GPL-2.0
/* Messages on stderr, prefixed so they stand out from the guest's console. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "triovm/log.h"

static enum log_level current_level = LOG_INFO;
static pthread_mutex_t ratelimit_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOG_ERR] = "error: ",
		[LOG_WARN] = "warning: ",
		[LOG_INFO] = "",
		[LOG_DEBUG] = "debug: ",
	};
	char line[1024];
	va_list ap;
	int n;

	if (level > current_level)
		return;
	n = snprintf(line, sizeof(line), "triovm: %s", prefix[level]);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	/* One write per message: lines from vCPU threads never interleave. */
	fputs(line, stderr);
}

bool ratelimit_ok(struct ratelimit *rl)
{
	time_t now = time(NULL);
	bool ok;

	pthread_mutex_lock(&ratelimit_lock);
	if (now - rl->begin >= rl->interval_s) {
		if (rl->missed)
			log_printf(LOG_WARN, "%d similar messages suppressed\n",
				   rl->missed);
		rl->begin = now;
		rl->printed = 0;
		rl->missed = 0;
	}
	ok = rl->printed < rl->burst;
	if (ok)
		rl->printed++;
	else
		rl->missed++;
	pthread_mutex_unlock(&ratelimit_lock);
	return ok;
}
