// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's ACPI tables. The platform is "hardware-reduced" (ACPI 6.4,
 * section 4.1), as Cloud Hypervisor and Firecracker describe theirs: no PM
 * timer, SCI, fixed-feature registers or 8259; sleep and reset go through the
 * FADT's sleep control and reset registers (fullvirt-devs/acpi-power.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "triovm/acpi.h"
#include "triovm/aml.h"
#include "triovm/layout.h"
#include "triovm/log.h"
#include "triovm/memory.h"
#include "triovm/vm.h"

#define OEM_ID "TRIOVM"
#define OEM_TABLE_ID "TRIOVM  "
#define CREATOR_ID "TRIO"

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __packed;

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __packed;

struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __packed;

#define GAS_SYSTEM_IO 1
#define GAS_ACCESS_BYTE 1

struct acpi_fadt {
	struct acpi_header h;
	uint32_t facs;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt, pm1b_evt, pm1a_cnt, pm1b_cnt, pm2_cnt, pm_tmr;
	uint32_t gpe0, gpe1;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_len, gpe1_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_facs;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt, x_pm1b_evt, x_pm1a_cnt, x_pm1b_cnt;
	struct acpi_gas x_pm2_cnt, x_pm_tmr, x_gpe0, x_gpe1;
	struct acpi_gas sleep_control;
	struct acpi_gas sleep_status;
	uint64_t hypervisor_id;
} __packed;

#define FADT_F_PWR_BUTTON (1 << 4)
#define FADT_F_SLP_BUTTON (1 << 5)
#define FADT_F_RESET_REG_SUP (1 << 10)
#define FADT_F_HW_REDUCED_ACPI (1 << 20)
#define IAPC_VGA_NOT_PRESENT (1 << 2)
#define IAPC_CMOS_RTC_NOT_PRESENT (1 << 5)

struct madt_lapic {
	uint8_t type, length, processor_id, apic_id;
	uint32_t flags;
} __packed;

struct madt_ioapic {
	uint8_t type, length, id, reserved;
	uint32_t address;
	uint32_t gsi_base;
} __packed;

struct madt_lapic_nmi {
	uint8_t type, length, processor_id;
	uint16_t flags;
	uint8_t lint;
} __packed;

struct mcfg_entry {
	uint64_t base;
	uint16_t segment;
	uint8_t start_bus, end_bus;
	uint32_t reserved;
} __packed;

#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_LAPIC_NMI 4
#define MADT_ENABLED 1

_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT layout (ACPI 6.x)");
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout");

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return (uint8_t)(0 - sum);
}

void acpi__add_dsdt_node(struct vm *vm, struct acpi_dsdt_node *node)
{
	list_add_tail(&node->list, &vm->dsdt_nodes);
}

/* A bump allocator over the BIOS area; tables are 16-byte aligned. */
struct table_space {
	struct guest_mem *mem;
	uint64_t next;
};

static void *table_alloc(struct table_space *ts, size_t len, uint64_t *gpa)
{
	uint64_t at = ALIGN_UP(ts->next, 16ULL);
	void *p;

	if (at + len > BIOS_AREA_END)
		return NULL;
	p = guest_mem__ptr(ts->mem, at, len);
	if (!p)
		return NULL;
	memset(p, 0, len);
	ts->next = at + len;
	*gpa = at;
	return p;
}

static void header(struct acpi_header *h, const char *sig, uint32_t len,
		   uint8_t rev)
{
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, OEM_ID, 6);
	memcpy(h->oem_table_id, OEM_TABLE_ID, 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, CREATOR_ID, 4);
	h->creator_revision = 1;
}

static void finish(struct acpi_header *h)
{
	h->checksum = 0;
	h->checksum = acpi_checksum(h, h->length);
}

static int build_dsdt(struct vm *vm, struct aml *a)
{
	struct acpi_dsdt_node *node;
	struct acpi_header h;
	size_t scope, pkg;

	aml_init(a);
	memset(&h, 0, sizeof(h));
	aml_bytes(a, &h, sizeof(h));
	scope = aml_scope_begin(a, "\\_SB_");
	list_for_each_entry(node, &vm->dsdt_nodes, list)
		node->build(a, node->opaque);
	aml_scope_end(a, scope);

	/* \_S5: the SLP_TYP value the guest writes to enter soft-off. */
	aml_name(a, "\\_S5_");
	pkg = aml_package_begin(a);
	aml_integer(a, ACPI_S5_SLP_TYP);
	aml_integer(a, 0);
	aml_integer(a, 0);
	aml_integer(a, 0);
	aml_package_end(a, pkg, 4);
	if (a->failed) {
		pr_err("cannot build the DSDT");
		return -ENOMEM;
	}
	header((struct acpi_header *)a->buf, "DSDT", a->len, 6);
	finish((struct acpi_header *)a->buf);
	return 0;
}

static void gas_io(struct acpi_gas *g, uint16_t port)
{
	g->space_id = GAS_SYSTEM_IO;
	g->bit_width = 8;
	g->bit_offset = 0;
	g->access_size = GAS_ACCESS_BYTE;
	g->address = port;
}

int acpi__build_tables(struct vm *vm)
{
	struct table_space ts = { .mem = &vm->mem, .next = BIOS_AREA_START };
	uint64_t rsdp_gpa, xsdt_gpa, fadt_gpa, dsdt_gpa, madt_gpa, mcfg_gpa = 0;
	uint64_t entries[4];
	int nr_entries = 0, i;
	struct acpi_header *xsdt, *madt, *mcfg;
	struct acpi_rsdp *rsdp;
	struct acpi_fadt *fadt;
	struct aml dsdt;
	size_t madt_len;
	uint8_t *p;
	int ret;

	rsdp = table_alloc(&ts, sizeof(*rsdp), &rsdp_gpa);
	if (!rsdp)
		return -ENOMEM;

	ret = build_dsdt(vm, &dsdt);
	if (ret)
		return ret;
	p = table_alloc(&ts, dsdt.len, &dsdt_gpa);
	if (!p) {
		aml_free(&dsdt);
		pr_err("the DSDT (%zu bytes) does not fit in the BIOS area",
		       dsdt.len);
		return -ENOSPC;
	}
	memcpy(p, dsdt.buf, dsdt.len);
	aml_free(&dsdt);

	fadt = table_alloc(&ts, sizeof(*fadt), &fadt_gpa);
	if (!fadt)
		return -ENOSPC;
	header(&fadt->h, "FACP", sizeof(*fadt), 6);
	fadt->minor_version = 4;
	fadt->dsdt = (uint32_t)dsdt_gpa;
	fadt->x_dsdt = dsdt_gpa;
	fadt->flags = FADT_F_HW_REDUCED_ACPI | FADT_F_RESET_REG_SUP |
		      FADT_F_PWR_BUTTON | FADT_F_SLP_BUTTON;
	fadt->iapc_boot_arch = IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT;
	gas_io(&fadt->reset_reg, ACPI_RESET_PORT);
	fadt->reset_value = ACPI_RESET_VALUE;
	gas_io(&fadt->sleep_control, ACPI_SLEEP_CONTROL_PORT);
	gas_io(&fadt->sleep_status, ACPI_SLEEP_STATUS_PORT);
	memcpy(&fadt->hypervisor_id, "TRIOVM\0\0", 8);
	finish(&fadt->h);
	entries[nr_entries++] = fadt_gpa;

	madt_len = sizeof(struct acpi_header) + 8 +
		   vm->nr_vcpus * sizeof(struct madt_lapic) +
		   sizeof(struct madt_ioapic) + sizeof(struct madt_lapic_nmi);
	madt = table_alloc(&ts, madt_len, &madt_gpa);
	if (!madt)
		return -ENOSPC;
	header(madt, "APIC", madt_len, 5);
	p = (uint8_t *)(madt + 1);
	*(uint32_t *)p = LAPIC_ADDR;
	*(uint32_t *)(p + 4) = 0; /* no 8259 to mask: not PCAT_COMPAT */
	p += 8;
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct madt_lapic l = {
			.type = MADT_LAPIC,
			.length = sizeof(l),
			.processor_id = i,
			.apic_id = i,
			.flags = MADT_ENABLED,
		};

		memcpy(p, &l, sizeof(l));
		p += sizeof(l);
	}
	{
		struct madt_ioapic io = {
			.type = MADT_IOAPIC,
			.length = sizeof(io),
			.id = 0,
			.address = IOAPIC_ADDR,
			.gsi_base = 0,
		};
		struct madt_lapic_nmi nmi = {
			.type = MADT_LAPIC_NMI,
			.length = sizeof(nmi),
			.processor_id = 0xff, /* all processors */
			.flags = 0,
			.lint = 1,
		};

		memcpy(p, &io, sizeof(io));
		p += sizeof(io);
		memcpy(p, &nmi, sizeof(nmi));
	}
	finish(madt);
	entries[nr_entries++] = madt_gpa;

	if (vm->pci) {
		size_t len = sizeof(struct acpi_header) + 8 +
			     sizeof(struct mcfg_entry);
		struct mcfg_entry e = {
			.base = PCI_ECAM_START,
			.segment = 0,
			.start_bus = 0,
			.end_bus = PCI_LAST_BUS,
		};

		mcfg = table_alloc(&ts, len, &mcfg_gpa);
		if (!mcfg)
			return -ENOSPC;
		header(mcfg, "MCFG", len, 1);
		memcpy((uint8_t *)(mcfg + 1) + 8, &e, sizeof(e));
		finish(mcfg);
		entries[nr_entries++] = mcfg_gpa;
	}

	xsdt = table_alloc(&ts, sizeof(*xsdt) + nr_entries * 8, &xsdt_gpa);
	if (!xsdt)
		return -ENOSPC;
	header(xsdt, "XSDT", sizeof(*xsdt) + nr_entries * 8, 1);
	memcpy(xsdt + 1, entries, nr_entries * 8);
	finish(xsdt);

	memcpy(rsdp->signature, "RSD PTR ", 8);
	memcpy(rsdp->oem_id, OEM_ID, 6);
	rsdp->revision = 2;
	rsdp->length = sizeof(*rsdp);
	rsdp->xsdt_address = xsdt_gpa;
	rsdp->checksum = acpi_checksum(rsdp, 20);
	rsdp->extended_checksum = acpi_checksum(rsdp, sizeof(*rsdp));
	vm->rsdp_addr = rsdp_gpa;
	return 0;
}
