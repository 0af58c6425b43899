/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TRIOVM_MEMORY_H
#define TRIOVM_MEMORY_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define GUEST_MEM_MAX_REGIONS 8

/*
 * One contiguous piece of guest RAM, backed by a shared file (memfd or a
 * hugetlbfs file) so that another process (a vhost-user backend) can map the
 * same pages and VFIO can pin them.
 */
struct guest_mem_region {
	uint64_t gpa;
	uint64_t size;
	void *hva;
	int fd;
	uint64_t fd_offset;
	uint32_t slot;
};

struct guest_mem {
	struct guest_mem_region regions[GUEST_MEM_MAX_REGIONS];
	int nr_regions;
	uint64_t ram_size;
	bool hugepages;
	uint64_t page_size;
	int fd;
	void *base; /* the whole mapping: regions are slices of it */
};

struct kvm;

/*
 * Split `ram_size` bytes around the PCI hole and back them with one file.
 * Returns 0 or a negative errno after printing why.
 */
int guest_mem__init(struct guest_mem *mem, uint64_t ram_size, bool hugepages);
void guest_mem__exit(struct guest_mem *mem);

/* Register every region with KVM as a memory slot. */
int guest_mem__register(struct guest_mem *mem, int vm_fd);

/*
 * The host address of [gpa, gpa + len), or NULL unless the whole range is RAM
 * inside a single region. Every guest-supplied address goes through this.
 */
void *guest_mem__ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len);

/* Copy to/from guest RAM; -EFAULT if any byte is outside RAM. */
int guest_mem__read(const struct guest_mem *mem, uint64_t gpa, void *buf,
		    size_t len);
int guest_mem__write(const struct guest_mem *mem, uint64_t gpa, const void *buf,
		     size_t len);

/* End of RAM below 4 GiB and total RAM end (highest GPA + 1). */
uint64_t guest_mem__low_end(const struct guest_mem *mem);
uint64_t guest_mem__end(const struct guest_mem *mem);

#endif
