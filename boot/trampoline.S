/*
 * AP start-up trampoline (Intel SDM vol. 3, 9.4.4 and 10.6: INIT-SIPI-SIPI;
 * AMD64 APM vol. 2, 14.6: entering long mode).
 *
 * The CPU driver on the bootstrap core copies this code to TRAMP_BASE (a
 * 4 KiB page below 1 MiB; the SIPI vector is TRAMP_BASE >> 12), fills the
 * table at TR_TABLE_OFF with one entry per application processor
 * {APIC id, CR3 below 4 GiB, parameter block virtual address} and the 64-bit
 * entry at TR_ENTRY64_OFF, then starts the APs. Each AP finds its own entry
 * by its initial APIC id (CPUID leaf 1, EBX[31:24]), so cores may arrive in
 * any order and all at once; the page is only read by the APs.
 *
 * An AP whose APIC id is not in the table halts. Its page tables must map
 * this page at its physical address (identity) and the CPU driver.
 */
.include "loader.inc"


	.section .trampoline, "ax"
	.globl tramp_start, tramp_end
	.code16
tramp_start:
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl (tr_gdt_ptr - tramp_start + TRAMP_BASE)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $GDT_CODE32, $(tr_pm32 - tramp_start + TRAMP_BASE)

	.code32
tr_pm32:
	movl $GDT_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl $1, %eax
	cpuid
	shrl $24, %ebx                          /* EBX = initial APIC id */
	movl $TRAMP_BASE + TR_TABLE_OFF, %esi
	movl TRAMP_BASE + TR_COUNT_OFF, %ecx
	cmpl $TR_ENTRIES, %ecx
	jbe 1f
	movl $TR_ENTRIES, %ecx
1:	testl %ecx, %ecx
	jz tr_halt
	cmpl (%esi), %ebx
	je 2f
	addl $TR_ENTRY_SIZE, %esi
	decl %ecx
	jmp 1b
2:	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl 4(%esi), %eax
	movl %eax, %cr3
	/* NX only when the CPU has it (CPUID Fn8000_0001 EDX bit 20). */
	movl $0x80000001, %eax
	cpuid
	xorl %edi, %edi
	testl $(1 << 20), %edx
	jz 3f
	movl $EFER_NXE, %edi
3:	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	orl %edi, %eax
	wrmsr
	movl %cr0, %eax
	andl $~CR0_EM, %eax
	orl $(CR0_PG | CR0_MP | CR0_WP), %eax
	movl %eax, %cr0
	ljmp $GDT_CODE64, $(tr_lm64 - tramp_start + TRAMP_BASE)

tr_halt:
	cli
	hlt
	jmp tr_halt

	.code64
tr_lm64:
	movl $GDT_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movq 8(%rsi), %rdi                      /* parameter block */
	movq TRAMP_BASE + TR_ENTRY64_OFF, %rax
	xorl %ebp, %ebp
	jmp *%rax

	.align 8
tr_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff
	.quad 0x00cf92000000ffff
	.quad 0x00af9a000000ffff
tr_gdt_end:
tr_gdt_ptr:
	.word tr_gdt_end - tr_gdt - 1
	.long (tr_gdt - tramp_start + TRAMP_BASE)
tramp_end:

	.data
	.globl tramp_size
tramp_size:
	.long tramp_end - tramp_start
