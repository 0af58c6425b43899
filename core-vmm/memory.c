// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM: one shared file (memfd, or memfd on hugetlbfs) mapped once, cut
 * into regions around the PCI hole. The file is what a vhost-user backend maps
 * and what VFIO pins; EPT does the GPA->HPA translation.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "triovm/layout.h"
#include "triovm/log.h"
#include "triovm/memory.h"

#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif

static int add_region(struct guest_mem *mem, uint64_t gpa, uint64_t size,
		      uint64_t offset)
{
	struct guest_mem_region *r = &mem->regions[mem->nr_regions];

	r->gpa = gpa;
	r->size = size;
	r->hva = (uint8_t *)mem->base + offset;
	r->fd = mem->fd;
	r->fd_offset = offset;
	r->slot = mem->nr_regions;
	mem->nr_regions++;
	return 0;
}

int guest_mem__init(struct guest_mem *mem, uint64_t ram_size, bool hugepages)
{
	uint64_t low;
	int fd;

	memset(mem, 0, sizeof(*mem));
	mem->fd = -1;
	mem->ram_size = ram_size;
	mem->hugepages = hugepages;
	mem->page_size = hugepages ? SZ_2M : (uint64_t)sysconf(_SC_PAGESIZE);

	fd = memfd_create("triovm-ram",
			  MFD_CLOEXEC | (hugepages ? MFD_HUGETLB : 0));
	if (fd < 0) {
		int err = errno;

		pr_err("cannot create guest RAM%s: %s",
		       hugepages ? " on huge pages (memfd_create MFD_HUGETLB)" :
				   "",
		       strerror(err));
		return -err;
	}
	if (ftruncate(fd, ram_size) < 0) {
		int err = errno;

		pr_err("cannot size guest RAM to %llu MiB: %s",
		       (unsigned long long)(ram_size >> 20), strerror(err));
		close(fd);
		return -err;
	}
	mem->base =
		mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem->base == MAP_FAILED) {
		int err = errno;

		mem->base = NULL;
		close(fd);
		if (hugepages && err == ENOMEM)
			pr_err("not enough free huge pages for %llu MiB (see /proc/sys/vm/nr_hugepages)",
			       (unsigned long long)(ram_size >> 20));
		else
			pr_err("cannot map %llu MiB of guest RAM: %s",
			       (unsigned long long)(ram_size >> 20),
			       strerror(err));
		return -err;
	}
	mem->fd = fd;
	/* Backing pages are only allocated when touched; THP helps EPT. */
	if (!hugepages)
		madvise(mem->base, ram_size, MADV_HUGEPAGE);

	low = min(ram_size, MEM_32BIT_GAP_START);
	add_region(mem, 0, low, 0);
	if (ram_size > low)
		add_region(mem, MEM_HIGH_START, ram_size - low, low);
	return 0;
}

void guest_mem__exit(struct guest_mem *mem)
{
	if (mem->base)
		munmap(mem->base, mem->ram_size);
	if (mem->fd >= 0)
		close(mem->fd);
	mem->base = NULL;
	mem->fd = -1;
	mem->nr_regions = 0;
}

int guest_mem__register(struct guest_mem *mem, int vm_fd)
{
	int i;

	for (i = 0; i < mem->nr_regions; i++) {
		struct guest_mem_region *r = &mem->regions[i];
		struct kvm_userspace_memory_region kr = {
			.slot = r->slot,
			.guest_phys_addr = r->gpa,
			.memory_size = r->size,
			.userspace_addr = (uint64_t)(uintptr_t)r->hva,
		};

		if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &kr) < 0) {
			int err = errno;

			pr_err("KVM_SET_USER_MEMORY_REGION (slot %u, %llu MiB at 0x%llx): %s",
			       r->slot, (unsigned long long)(r->size >> 20),
			       (unsigned long long)r->gpa, strerror(err));
			return -err;
		}
	}
	return 0;
}

void *guest_mem__ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	int i;

	for (i = 0; i < mem->nr_regions; i++) {
		const struct guest_mem_region *r = &mem->regions[i];

		if (range_within(gpa, len, r->gpa, r->size))
			return (uint8_t *)r->hva + (gpa - r->gpa);
	}
	return NULL;
}

int guest_mem__read(const struct guest_mem *mem, uint64_t gpa, void *buf,
		    size_t len)
{
	void *p = guest_mem__ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

int guest_mem__write(const struct guest_mem *mem, uint64_t gpa, const void *buf,
		     size_t len)
{
	void *p = guest_mem__ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

uint64_t guest_mem__low_end(const struct guest_mem *mem)
{
	return mem->nr_regions ? mem->regions[0].gpa + mem->regions[0].size : 0;
}

uint64_t guest_mem__end(const struct guest_mem *mem)
{
	const struct guest_mem_region *r;

	if (!mem->nr_regions)
		return 0;
	r = &mem->regions[mem->nr_regions - 1];
	return r->gpa + r->size;
}
