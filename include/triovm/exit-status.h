/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TRIOVM_EXIT_STATUS_H
#define TRIOVM_EXIT_STATUS_H

/* triovm's exit statuses, documented in `triovm --help`. */
enum {
	EXIT_GUEST_OFF =
		0, /* guest powered off or rebooted; or SIGINT/SIGTERM */
	EXIT_VMM_ERROR = 1, /* triovm or KVM failed while the guest ran */
	EXIT_BAD_INPUT = 2, /* bad command line or environment; nothing ran */
	EXIT_GUEST_PANIC = 3, /* the guest reported a panic (pvpanic) */
};

#endif
