// SPDX-License-Identifier: GPL-2.0
/* Load a Linux bzImage, its initrd and command line, and point the BSP at it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "triovm/boot.h"
#include "triovm/kvm-cpu.h"
#include "triovm/layout.h"
#include "triovm/log.h"
#include "triovm/vm.h"

/* Offset of startup_64 from the protected-mode kernel's start. */
#define STARTUP_64_OFFSET 0x200

static int map_file(const char *what, const char *path, void **data,
		    size_t *size)
{
	struct stat st;
	int fd, err;

	*data = NULL;
	*size = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		pr_err("cannot open %s '%s': %s", what, path, strerror(err));
		return -err;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pr_err("%s '%s' is not a regular file", what, path);
		close(fd);
		return -EINVAL;
	}
	if (st.st_size == 0) {
		pr_err("%s '%s' is empty", what, path);
		close(fd);
		return -EINVAL;
	}
	*data = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	err = errno;
	close(fd);
	if (*data == MAP_FAILED) {
		*data = NULL;
		pr_err("cannot read %s '%s': %s", what, path, strerror(err));
		return -err;
	}
	*size = st.st_size;
	return 0;
}

void boot__release(struct boot_files *bf)
{
	if (bf->initrd_data)
		munmap(bf->initrd_data, bf->initrd_size);
	if (bf->kernel_data)
		munmap(bf->kernel_data, bf->kernel_size);
	bf->initrd_data = bf->kernel_data = NULL;
}

int boot__prepare(struct boot_files *bf, const char *kernel, const char *initrd,
		  const char *cmdline, uint64_t ram_size)
{
	uint64_t low_end = min(ram_size, MEM_32BIT_GAP_START);
	int ret;

	memset(bf, 0, sizeof(*bf));
	bf->cmdline = cmdline;
	ret = map_file("kernel", kernel, &bf->kernel_data, &bf->kernel_size);
	if (ret)
		return ret;
	ret = bzimage__parse(&bf->bz, bf->kernel_data, bf->kernel_size, kernel);
	if (ret)
		goto err;
	if (initrd) {
		ret = map_file("initrd", initrd, &bf->initrd_data,
			       &bf->initrd_size);
		if (ret)
			goto err;
	}
	ret = boot__plan(&bf->plan, &bf->bz, low_end, bf->initrd_size, cmdline);
	if (ret)
		goto err;
	return 0;
err:
	boot__release(bf);
	return ret;
}

int boot__load_linux(struct vm *vm, const struct boot_files *bf)
{
	const struct boot_plan *plan = &bf->plan;
	struct boot_params *bp;
	int ret;

	if (guest_mem__write(&vm->mem, plan->kernel_addr, bf->bz.kernel,
			     bf->bz.kernel_len) ||
	    (bf->initrd_size &&
	     guest_mem__write(&vm->mem, plan->initrd_addr, bf->initrd_data,
			      bf->initrd_size)) ||
	    guest_mem__write(&vm->mem, plan->cmdline_addr, bf->cmdline,
			     plan->cmdline_len + 1)) {
		pr_err("cannot place the kernel in guest RAM");
		return -EFAULT;
	}
	bp = guest_mem__ptr(&vm->mem, BOOT_ZEROPAGE_ADDR, sizeof(*bp));
	if (!bp)
		return -EFAULT;
	zeropage__build(bp, &bf->bz, plan, &vm->mem, vm->rsdp_addr);

	ret = entry64__setup_tables(&vm->mem);
	if (ret)
		return ret;
	ret = entry64__setup_vcpu(vm->vcpus[0],
				  plan->kernel_addr + STARTUP_64_OFFSET,
				  BOOT_ZEROPAGE_ADDR);
	if (!ret)
		pr_debug(
			"kernel at 0x%llx (%zu bytes), initrd at 0x%llx (%llu bytes)",
			(unsigned long long)plan->kernel_addr,
			bf->bz.kernel_len,
			(unsigned long long)plan->initrd_addr,
			(unsigned long long)plan->initrd_size);
	return ret;
}
