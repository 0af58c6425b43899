// SPDX-License-Identifier: GPL-2.0
/* The main thread's epoll loop, with timers kept as timerfds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "triovm/event-loop.h"
#include "triovm/log.h"

struct event_handler {
	struct list_head list;
	int fd;
	event_fn fn;
	void *opaque;
	/* Timers only. */
	bool is_timer;
	bool oneshot;
	timer_fn tfn;
	int id;
	bool dead; /* removed while its callback may still be pending */
};

int event_loop__init(struct event_loop *loop)
{
	memset(loop, 0, sizeof(*loop));
	INIT_LIST_HEAD(&loop->handlers);
	INIT_LIST_HEAD(&loop->timers);
	pthread_mutex_init(&loop->lock, NULL);
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		pr_err("epoll_create1: %s", strerror(errno));
		return -errno;
	}
	loop->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (loop->wake_fd < 0) {
		int err = errno;

		close(loop->epfd);
		pr_err("eventfd: %s", strerror(err));
		return -err;
	}
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

		if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->wake_fd, &ev) <
		    0)
			return -errno;
	}
	return 0;
}

static void handler_free(struct event_handler *h)
{
	if (h->is_timer)
		close(h->fd);
	free(h);
}

void event_loop__exit(struct event_loop *loop)
{
	struct event_handler *h, *n;

	list_for_each_entry_safe(h, n, &loop->handlers, list) {
		list_del(&h->list);
		handler_free(h);
	}
	list_for_each_entry_safe(h, n, &loop->timers, list) {
		list_del(&h->list);
		handler_free(h);
	}
	if (loop->wake_fd >= 0)
		close(loop->wake_fd);
	if (loop->epfd >= 0)
		close(loop->epfd);
	loop->wake_fd = loop->epfd = -1;
	pthread_mutex_destroy(&loop->lock);
}

int event_loop__add(struct event_loop *loop, int fd, uint32_t events,
		    event_fn fn, void *opaque)
{
	struct event_handler *h = calloc(1, sizeof(*h));
	struct epoll_event ev = { .events = events };

	if (!h)
		return -ENOMEM;
	h->fd = fd;
	h->fn = fn;
	h->opaque = opaque;
	ev.data.ptr = h;
	pthread_mutex_lock(&loop->lock);
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = errno;

		pthread_mutex_unlock(&loop->lock);
		free(h);
		return -err;
	}
	list_add_tail(&h->list, &loop->handlers);
	pthread_mutex_unlock(&loop->lock);
	return 0;
}

static struct event_handler *find_fd(struct event_loop *loop, int fd)
{
	struct event_handler *h;

	list_for_each_entry(h, &loop->handlers, list)
		if (h->fd == fd && !h->dead)
			return h;
	return NULL;
}

int event_loop__modify(struct event_loop *loop, int fd, uint32_t events)
{
	struct event_handler *h;
	struct epoll_event ev = { .events = events };
	int ret = -ENOENT;

	pthread_mutex_lock(&loop->lock);
	h = find_fd(loop, fd);
	if (h) {
		ev.data.ptr = h;
		ret = epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ?
			      -errno :
			      0;
	}
	pthread_mutex_unlock(&loop->lock);
	return ret;
}

void event_loop__del(struct event_loop *loop, int fd)
{
	struct event_handler *h;

	pthread_mutex_lock(&loop->lock);
	h = find_fd(loop, fd);
	if (h) {
		epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
		/*
		 * Events for it may already sit in the array epoll_wait filled:
		 * mark it and free it at the end of the round.
		 */
		h->dead = true;
		h->fd = -1;
	}
	pthread_mutex_unlock(&loop->lock);
}

static int add_timer(struct event_loop *loop, struct itimerspec its,
		     timer_fn fn, void *opaque)
{
	struct event_handler *h;
	struct epoll_event ev = { .events = EPOLLIN };
	int fd, id;

	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1; /* zero would disarm it */
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd);
		return -ENOMEM;
	}
	h->fd = fd;
	h->is_timer = true;
	h->oneshot = !its.it_interval.tv_sec && !its.it_interval.tv_nsec;
	h->tfn = fn;
	h->opaque = opaque;
	ev.data.ptr = h;
	pthread_mutex_lock(&loop->lock);
	id = h->id = ++loop->next_timer_id;
	if (timerfd_settime(fd, 0, &its, NULL) < 0 ||
	    epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = errno;

		pthread_mutex_unlock(&loop->lock);
		handler_free(h);
		return -err;
	}
	list_add_tail(&h->list, &loop->timers);
	pthread_mutex_unlock(&loop->lock);
	return id;
}

int event_loop__add_timer(struct event_loop *loop, unsigned int delay_ms,
			  unsigned int interval_ms, timer_fn fn, void *opaque)
{
	struct itimerspec its = {
		.it_value = { delay_ms / 1000, (delay_ms % 1000) * 1000000L },
		.it_interval = { interval_ms / 1000,
				 (interval_ms % 1000) * 1000000L },
	};

	return add_timer(loop, its, fn, opaque);
}

int event_loop__add_timer_ns(struct event_loop *loop, uint64_t delay_ns,
			     timer_fn fn, void *opaque)
{
	struct itimerspec its = {
		.it_value = { delay_ns / 1000000000ULL,
			      delay_ns % 1000000000ULL },
	};

	return add_timer(loop, its, fn, opaque);
}

void event_loop__cancel_timer(struct event_loop *loop, int id)
{
	struct event_handler *h;

	pthread_mutex_lock(&loop->lock);
	list_for_each_entry(h, &loop->timers, list) {
		if (h->id == id && !h->dead) {
			epoll_ctl(loop->epfd, EPOLL_CTL_DEL, h->fd, NULL);
			h->dead = true;
			break;
		}
	}
	pthread_mutex_unlock(&loop->lock);
}

static void reap(struct event_loop *loop, struct list_head *list)
{
	struct event_handler *h, *n;

	list_for_each_entry_safe(h, n, list, list) {
		if (h->dead) {
			list_del(&h->list);
			handler_free(h);
		}
	}
}

int event_loop__run(struct event_loop *loop)
{
	struct epoll_event evs[32];

	while (!loop->stop) {
		int n = epoll_wait(loop->epfd, evs, ARRAY_SIZE(evs), -1);
		int i;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			pr_err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n && !loop->stop; i++) {
			struct event_handler *h = evs[i].data.ptr;
			uint64_t v;

			if (!h) {
				if (read(loop->wake_fd, &v, sizeof(v)) < 0)
					(void)0; /* already drained */
				continue;
			}
			if (h->dead)
				continue;
			if (h->is_timer) {
				if (read(h->fd, &v, sizeof(v)) != sizeof(v))
					continue;
				if (h->oneshot) {
					epoll_ctl(loop->epfd, EPOLL_CTL_DEL,
						  h->fd, NULL);
					h->dead = true;
				}
				h->tfn(h->opaque);
			} else {
				h->fn(h->fd, evs[i].events, h->opaque);
			}
		}
		pthread_mutex_lock(&loop->lock);
		reap(loop, &loop->handlers);
		reap(loop, &loop->timers);
		pthread_mutex_unlock(&loop->lock);
	}
	return 0;
}

void event_loop__stop(struct event_loop *loop)
{
	uint64_t one = 1;

	loop->stop = true;
	if (write(loop->wake_fd, &one, sizeof(one)) < 0)
		(void)0; /* the counter is full: the loop wakes anyway */
}
