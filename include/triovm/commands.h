/* SPDX-License-Identifier: GPL-2.0 */
/* triovm's subcommands; each returns the process exit status. */
#ifndef TRIOVM_COMMANDS_H
#define TRIOVM_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_vfio(int argc, char **argv);
int cmd_sriov(int argc, char **argv);
int cmd_compare(int argc, char **argv);

#endif
