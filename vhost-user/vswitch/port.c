// SPDX-License-Identifier: GPL-2.0
/*
 * Handing ports to the data core and taking them back. This is DPDK
 * examples/vhost's "remove flag plus acknowledgement" done with librte_rcu:
 * the data core reports a quiescent state after each pass over the ports, so
 * once one is reported after `up` went false, no pass still holds the port.
 */
#include <rte_rcu_qsbr.h>

#include "switch.h"

void vsw_port__up(struct vsw_port *p)
{
	__atomic_store_n(&p->connections, p->connections + 1, __ATOMIC_RELAXED);
	/* Orders vid/eth_port before the data core can see the port up. */
	__atomic_store_n(&p->up, true, __ATOMIC_RELEASE);
}

void vsw_port__down(struct vsw_port *p)
{
	__atomic_store_n(&p->up, false, __ATOMIC_SEQ_CST);
	/*
	 * From librte_vhost's thread this blocks vhost-user message handling
	 * for at most one pass of the data core, which is what destroy_device
	 * is for: DPDK unmaps the guest's memory right after it returns.
	 */
	rte_rcu_qsbr_synchronize(p->sw->qsbr, RTE_QSBR_THRID_INVALID);
}
