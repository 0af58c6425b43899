/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The main thread's epoll loop. Devices add file descriptors (a TAP device, a
 * vhost-user socket, stdin) with a callback; callbacks run on the main thread,
 * one at a time, so device state they touch needs locking only against vCPUs.
 */
#ifndef TRIOVM_EVENT_LOOP_H
#define TRIOVM_EVENT_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include "list.h"

typedef void (*event_fn)(int fd, uint32_t events, void *opaque);
typedef void (*timer_fn)(void *opaque);

struct event_handler;

struct event_loop {
	int epfd;
	int wake_fd; /* eventfd: another thread asks the loop to look at `stop` */
	volatile bool stop;
	pthread_mutex_t lock;
	struct list_head handlers;
	struct list_head timers;
	int next_timer_id;
};

int event_loop__init(struct event_loop *loop);
void event_loop__exit(struct event_loop *loop);

/* `events` are EPOLLIN/EPOLLOUT/... as for epoll_ctl. */
int event_loop__add(struct event_loop *loop, int fd, uint32_t events,
		    event_fn fn, void *opaque);
int event_loop__modify(struct event_loop *loop, int fd, uint32_t events);
void event_loop__del(struct event_loop *loop, int fd);

/*
 * A periodic (interval_ms > 0) or one-shot (interval_ms == 0) timer after
 * delay_ms, run on the loop thread. Returns an id for event_loop__cancel.
 */
int event_loop__add_timer(struct event_loop *loop, unsigned int delay_ms,
			  unsigned int interval_ms, timer_fn fn, void *opaque);
/* A one-shot timer with nanosecond resolution (device pacing). */
int event_loop__add_timer_ns(struct event_loop *loop, uint64_t delay_ns,
			     timer_fn fn, void *opaque);
void event_loop__cancel_timer(struct event_loop *loop, int id);

/* Run until event_loop__stop; returns 0 or a negative errno. */
int event_loop__run(struct event_loop *loop);
/* Safe from any thread and from a signal handler. */
void event_loop__stop(struct event_loop *loop);

#endif
