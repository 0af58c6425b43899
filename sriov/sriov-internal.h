/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the files of sriov/. */
#ifndef TRIOVM_SRIOV_INTERNAL_H
#define TRIOVM_SRIOV_INTERNAL_H

#include "triovm/sriov.h"

int sriov_sysfs__fill(const char *sysfs, struct sriov_pf *pf);

#endif
