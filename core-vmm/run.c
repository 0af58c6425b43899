// SPDX-License-Identifier: GPL-2.0
/* `triovm run`: boot one VM and wait for it to end. */
#include <errno.h>

#include "triovm/commands.h"
#include "triovm/exit-status.h"
#include "triovm/log.h"
#include "triovm/options.h"
#include "triovm/vm.h"

int cmd_run(int argc, char **argv)
{
	struct vm_options opts;
	struct vm vm;
	int ret, status;

	ret = vm_options__parse(&opts, argc, argv);
	if (ret == 1)
		return 0;
	if (ret)
		return EXIT_BAD_INPUT;

	/* Whatever stops the VM from being built is the caller's to fix. */
	ret = vm__create(&vm, &opts);
	if (ret) {
		vm__destroy(&vm);
		return EXIT_BAD_INPUT;
	}
	ret = vm__run(&vm);
	status = vm.exit_status;
	if (ret && status == EXIT_GUEST_OFF)
		status = EXIT_VMM_ERROR;
	pr_debug("VM stopped: %s, exit status %d",
		 vm__stop_reason_name(vm.stop_reason), status);
	vm__destroy(&vm);
	return status;
}
