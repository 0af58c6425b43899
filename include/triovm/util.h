/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TRIOVM_UTIL_H
#define TRIOVM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr)-offsetof(type, member)))

#define ALIGN_UP(x, a) \
	(((x) + ((__typeof__(x))(a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#define BIT(n) (1U << (n))
#define BIT_ULL(n) (1ULL << (n))

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))

#define SZ_1K 0x400ULL
#define SZ_4K 0x1000ULL
#define SZ_1M 0x100000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL
#define SZ_4G 0x100000000ULL

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define __packed __attribute__((packed))
#define __unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))

/* True when [start, start + len) lies inside [base, base + size). */
static inline bool range_within(uint64_t start, uint64_t len, uint64_t base,
				uint64_t size)
{
	return start >= base && len <= size && start - base <= size - len;
}

/* True when the two ranges share at least one byte. */
static inline bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b,
				  uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static inline bool is_power_of_2(uint64_t n)
{
	return n && !(n & (n - 1));
}

#endif
