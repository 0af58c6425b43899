// SPDX-License-Identifier: GPL-2.0
/* `triovm vfio`: placeholder until the bind/unbind command lands. */
#include "triovm/commands.h"
#include "triovm/exit-status.h"
#include "triovm/log.h"

int cmd_vfio(int argc, char **argv)
{
	pr_err("triovm vfio: not implemented yet");
	return EXIT_BAD_INPUT;
}
