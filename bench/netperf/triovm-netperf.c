// SPDX-License-Identifier: GPL-2.0
/*
 * triovm-netperf: the traffic of `triovm compare`, the same program on both
 * ends. Linked statically so it runs from a busybox initramfs.
 *
 *   triovm-netperf sink PORT SECONDS          count UDP packets until idle
 *   triovm-netperf send ADDR PORT COUNT SIZE  send COUNT datagrams of SIZE
 *   triovm-netperf echo PORT SECONDS          reflect datagrams back
 *   triovm-netperf pingpong ADDR PORT COUNT SIZE
 *                                             COUNT round trips, one at a time
 *
 * Each prints one line of key=value pairs that the orchestrator parses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZE 65507

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int udp_socket(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), buf = 4 << 20;

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (port) {
		a.sin_port = htons(port);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
			perror("bind");
			exit(1);
		}
	}
	return fd;
}

static struct sockaddr_in parse_addr(const char *ip, const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
		fprintf(stderr, "netperf: bad address %s\n", ip);
		exit(2);
	}
	a.sin_port = htons(atoi(port));
	return a;
}

static long arg(const char *s, long min, long max, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v < min || v > max) {
		fprintf(stderr, "netperf: %s must be %ld..%ld\n", what, min,
			max);
		exit(2);
	}
	return v;
}

/* Receive until `idle` seconds pass without a packet (after the first). */
static int sink(int port, double idle)
{
	static char buf[MAX_SIZE];
	int fd = udp_socket(port);
	long pkts = 0, bytes = 0;
	double first = 0, last = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int timeout = pkts ? (int)(idle * 1000) : 600000;
		ssize_t n;

		if (poll(&p, 1, timeout) <= 0)
			break;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			continue;
		last = now();
		if (!pkts)
			first = last;
		pkts++;
		bytes += n;
	}
	printf("sink packets=%ld bytes=%ld seconds=%.6f\n", pkts, bytes,
	       last - first);
	return 0;
}

static int send_(const char *ip, const char *port, long count, long size)
{
	static char buf[MAX_SIZE];
	struct sockaddr_in a = parse_addr(ip, port);
	int fd = udp_socket(0);
	long sent = 0, errors = 0;
	double t0, t1;

	memset(buf, 0x5a, size);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("connect");
		return 1;
	}
	t0 = now();
	while (sent < count) {
		if (send(fd, buf, size, 0) < 0) {
			/* A full queue is back-pressure, not loss: retry. */
			if (errno == ENOBUFS || errno == EAGAIN) {
				errors++;
				usleep(50);
				continue;
			}
			perror("send");
			return 1;
		}
		sent++;
	}
	t1 = now();
	printf("send packets=%ld bytes=%ld seconds=%.6f retries=%ld\n", sent,
	       sent * size, t1 - t0, errors);
	return 0;
}

static int echo(int port, double seconds)
{
	static char buf[MAX_SIZE];
	int fd = udp_socket(port);
	double end = now() + seconds;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long n = 0;

	printf("ready\n");
	fflush(stdout);
	while (now() < end) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t len;

		if (poll(&p, 1, 200) <= 0)
			continue;
		len = recvfrom(fd, buf, sizeof(buf), 0,
			       (struct sockaddr *)&from, &fl);
		if (len >= 0 && sendto(fd, buf, len, 0,
				       (struct sockaddr *)&from, fl) == len)
			n++;
	}
	printf("echo packets=%ld\n", n);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int pingpong(const char *ip, const char *port, long count, long size)
{
	static char buf[MAX_SIZE], in[MAX_SIZE];
	struct sockaddr_in a = parse_addr(ip, port);
	double *rtt = calloc(count, sizeof(double));
	struct pollfd p;
	int fd = udp_socket(0);
	long ok = 0, lost = 0, i;

	if (!rtt || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		return 1;
	p.fd = fd;
	p.events = POLLIN;
	for (i = 0; i < count; i++) {
		double t0 = now();

		memcpy(buf, &i, sizeof(i));
		if (send(fd, buf, size, 0) < 0) {
			lost++;
			continue;
		}
		/* One second per round trip at most; a loss is counted. */
		for (;;) {
			if (poll(&p, 1, 1000) <= 0) {
				lost++;
				break;
			}
			if (recv(fd, in, sizeof(in), 0) >= (ssize_t)sizeof(i) &&
			    !memcmp(in, &i, sizeof(i))) {
				rtt[ok++] = (now() - t0) * 1e6;
				break;
			}
		}
	}
	qsort(rtt, ok, sizeof(double), cmp_double);
	if (!ok) {
		printf("pingpong ok=0 lost=%ld\n", lost);
		return 1;
	}
	printf("pingpong ok=%ld lost=%ld median_us=%.1f p99_us=%.1f max_us=%.1f min_us=%.1f\n",
	       ok, lost, rtt[ok / 2], rtt[(long)((ok - 1) * 0.99)], rtt[ok - 1],
	       rtt[0]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return sink(arg(argv[2], 1, 65535, "PORT"),
			    arg(argv[3], 1, 3600, "SECONDS"));
	if (argc == 6 && !strcmp(argv[1], "send"))
		return send_(argv[2], argv[3],
			     arg(argv[4], 1, 1L << 40, "COUNT"),
			     arg(argv[5], 1, MAX_SIZE, "SIZE"));
	if (argc == 4 && !strcmp(argv[1], "echo"))
		return echo(arg(argv[2], 1, 65535, "PORT"),
			    arg(argv[3], 1, 3600, "SECONDS"));
	if (argc == 6 && !strcmp(argv[1], "pingpong"))
		return pingpong(
			argv[2], argv[3], arg(argv[4], 1, 10000000, "COUNT"),
			arg(argv[5], (long)sizeof(long), MAX_SIZE, "SIZE"));
	fprintf(stderr,
		"usage: triovm-netperf sink PORT IDLE_SECONDS\n"
		"       triovm-netperf send ADDR PORT COUNT SIZE\n"
		"       triovm-netperf echo PORT SECONDS\n"
		"       triovm-netperf pingpong ADDR PORT COUNT SIZE\n");
	return 2;
}
