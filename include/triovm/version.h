/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TRIOVM_VERSION_H
#define TRIOVM_VERSION_H

/* Set by meson from project(version:). */
#ifndef TRIOVM_VERSION
#define TRIOVM_VERSION "unknown"
#endif

#endif
