// SPDX-License-Identifier: GPL-2.0
/* `triovm sriov`: placeholder until the SR-IOV command lands. */
#include "triovm/commands.h"
#include "triovm/exit-status.h"
#include "triovm/log.h"

int cmd_sriov(int argc, char **argv)
{
	pr_err("triovm sriov: not implemented yet");
	return EXIT_BAD_INPUT;
}
