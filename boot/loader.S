/*
 * Multiboot v1 loader for the multikernel CPU driver.
 *
 * Runs on the bootstrap core only, in 32-bit protected mode as a Multiboot
 * loader (QEMU -kernel or GRUB) leaves it (Multiboot Specification 0.6.96,
 * section 3.2: EAX = 0x2BADB002, EBX = boot information, paging off).
 *
 * What it does, in order:
 *   1. checks the Multiboot magic and that the CPU has long mode;
 *   2. takes module 0 as the CPU driver, an ELF64 static executable linked in
 *      the top 2 GiB of the address space, and checks its headers;
 *   3. copies its PT_LOAD segments to physical memory above everything the
 *      boot loader handed over (modules, their strings, the info block),
 *      2 MiB aligned, and zeroes their .bss parts;
 *   4. builds page tables: identity map and direct map (at
 *      0xffff800000000000) of physical memory with 2 MiB pages, and the
 *      CPU driver's virtual range mapped onto the copy;
 *   5. enters long mode and jumps to the CPU driver's entry with RDI pointing
 *      (physically) at the handoff block below.
 *
 * Every failure prints "loader: <reason>" on COM1 and the VGA text screen,
 * reports failure through QEMU's isa-debug-exit port, and halts: a loader
 * error never turns into a triple fault.
 *
 * The AP start-up trampoline (trampoline.S) is assembled into this image; the
 * CPU driver copies it below 1 MiB and fills in its table.
 */

.include "loader.inc"

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.code32
	.globl _start
_start:
	cli
	cld
	movl $stack_top, %esp
	movl %eax, mb_magic
	movl %ebx, mb_info
	call serial_init
	call vga_clear

	cmpl $MB_BOOT_MAGIC, mb_magic
	je 1f
	movl $msg_magic, %esi
	jmp fail
1:
	call check_cpu
	call find_kernel
	call plan_kernel
	call choose_base
	call copy_kernel
	call build_tables
	jmp enter_long_mode

/* fail prints "loader: " and the string at ESI, then halts for good. */
fail:
	pushl %esi
	movl $msg_prefix, %esi
	call puts
	popl %esi
	call puts
	movl $msg_nl, %esi
	call puts
	/* Under QEMU, isa-debug-exit ends the run with a failure status; on
	 * real machines nothing answers at that port. */
	movw $EXIT_PORT, %dx
	movb $EXIT_FAILURE, %al
	outb %al, %dx
2:	cli
	hlt
	jmp 2b

/*
 * check_cpu refuses a CPU without long mode (AMD64 APM vol. 3, CPUID
 * Fn8000_0001 EDX bit 29) or without a feature the CPU driver relies on
 * (Fn0000_0001 EDX: the table need_bits), naming every one that is missing.
 * NX (Fn8000_0001 EDX bit 20) is used when present.
 */
check_cpu:
	xorl %eax, %eax
	cpuid
	cmpl $1, %eax
	jb 1f
	movl $1, %eax
	cpuid
	movl %edx, %ebx                         /* EBX = leaf 1 EDX */
	xorl %ebp, %ebp                         /* EBP = features missing */
	movl $need_bits, %edi
3:	movl (%edi), %ecx
	cmpl $-1, %ecx
	je 4f
	btl %ecx, %ebx
	jc 5f
	testl %ebp, %ebp
	jnz 6f
	movl $msg_prefix, %esi
	call puts
	movl $msg_nofeat, %esi
	call puts
6:	movl 4(%edi), %esi
	call puts
	incl %ebp
5:	addl $8, %edi
	jmp 3b
4:	testl %ebp, %ebp
	jz 7f
	movl $msg_nl, %esi
	call puts
	movl $msg_needs, %esi
	jmp fail
7:	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb 1f
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz 1f
	testl $(1 << 20), %edx
	jz 2f
	movl $1, has_nx
2:	ret
1:	movl $msg_nolm, %esi
	jmp fail

/* find_kernel sets kmod_start/kmod_end from module 0. */
find_kernel:
	movl mb_info, %ebx
	testl $MBI_FLAG_MODS, MBI_FLAGS(%ebx)
	jz 1f
	cmpl $0, MBI_MODS_COUNT(%ebx)
	je 1f
	movl MBI_MODS_ADDR(%ebx), %edi
	movl MOD_START(%edi), %eax
	movl MOD_END(%edi), %edx
	cmpl %eax, %edx
	jbe 2f
	movl %eax, kmod_start
	movl %edx, kmod_end
	ret
1:	movl $msg_nomod, %esi
	jmp fail
2:	movl $msg_emptymod, %esi
	jmp fail

/*
 * plan_kernel checks the ELF64 header of module 0 (ELF-64 Object File Format
 * 1.5) and computes the virtual extent [kvbase, kvend) of its PT_LOAD
 * segments. Segments must lie in the first GiB of the top 2 GiB
 * (0xffffffff80000000..0xffffffffc0000000) and within the module's bytes.
 */
plan_kernel:
	movl kmod_start, %esi
	movl kmod_end, %ecx
	subl %esi, %ecx                         /* ECX = module size */
	cmpl $64, %ecx
	jb bad_elf
	cmpl $0x464c457f, (%esi)                /* "\x7fELF" */
	jne bad_elf
	cmpw $0x0102, 4(%esi)                   /* ELFCLASS64, little endian */
	jne bad_elf
	cmpw $2, 16(%esi)                       /* ET_EXEC */
	jne bad_elf
	cmpw $0x3e, 18(%esi)                    /* EM_X86_64 */
	jne bad_elf
	cmpl $0xffffffff, 28(%esi)              /* entry in the top 2 GiB */
	jne bad_range
	movl 24(%esi), %eax
	movl %eax, kentry_lo
	cmpl $0, 36(%esi)                       /* e_phoff < 4 GiB */
	jne bad_elf
	movzwl 54(%esi), %eax
	cmpl $56, %eax                          /* e_phentsize */
	jne bad_elf
	movzwl 56(%esi), %eax                   /* e_phnum */
	movl %eax, kphnum
	imull $56, %eax
	addl 32(%esi), %eax                     /* end of phdr table */
	jc bad_elf
	cmpl %ecx, %eax
	ja bad_elf
	movl $0xffffffff, kvbase
	movl $0, kvend
	xorl %ebp, %ebp                         /* EBP = phdr index */
1:	cmpl kphnum, %ebp
	jae 3f
	call phdr_addr                          /* EDI = phdr */
	cmpl $1, (%edi)                         /* PT_LOAD */
	jne 2f
	cmpl $0xffffffff, 20(%edi)              /* vaddr high word */
	jne bad_range
	cmpl $0, 12(%edi)                       /* offset high word */
	jne bad_elf
	cmpl $0, 36(%edi)                       /* filesz high word */
	jne bad_elf
	cmpl $0, 44(%edi)                       /* memsz high word */
	jne bad_elf
	movl 32(%edi), %eax                     /* filesz */
	cmpl 40(%edi), %eax                     /* <= memsz */
	ja bad_elf
	addl 8(%edi), %eax                      /* offset + filesz */
	jc bad_elf
	cmpl %ecx, %eax
	ja bad_elf
	movl 16(%edi), %eax                     /* vaddr low word */
	cmpl $KERNEL_VMIN, %eax
	jb bad_range
	cmpl kvbase, %eax
	jae 4f
	movl %eax, kvbase
4:	addl 40(%edi), %eax                     /* + memsz */
	jc bad_range
	cmpl $KERNEL_VMAX, %eax
	ja bad_range
	cmpl kvend, %eax
	jbe 2f
	movl %eax, kvend
2:	incl %ebp
	jmp 1b
3:	movl kvend, %eax
	cmpl kvbase, %eax
	jbe bad_elf                             /* no PT_LOAD segment */
	andl $~(PAGE2M - 1), kvbase
	movl kentry_lo, %eax
	cmpl kvbase, %eax
	jb bad_range
	cmpl kvend, %eax
	jae bad_range
	movl kvend, %eax
	subl kvbase, %eax
	addl $(PAGE2M - 1), %eax
	andl $~(PAGE2M - 1), %eax
	cmpl $KERNEL_MAXSIZE, %eax
	ja bad_size
	movl %eax, ksize
	ret
bad_elf:
	movl $msg_badelf, %esi
	jmp fail
bad_range:
	movl $msg_badrange, %esi
	jmp fail
bad_size:
	movl $msg_badsize, %esi
	jmp fail

/* phdr_addr returns in EDI the address of program header EBP of module 0. */
phdr_addr:
	movl %ebp, %edi
	imull $56, %edi
	addl 32(%esi), %edi
	addl kmod_start, %edi
	ret

/*
 * choose_base picks the physical address of the CPU driver's image: the first
 * 2 MiB boundary above the loader, every module, every module string, the
 * command line and the info block, and checks that the whole image lies in
 * one available region of the memory map, below 4 GiB.
 */
choose_base:
	movl $loader_end, %eax
	movl mb_info, %ebx
	movl %ebx, %edx
	addl $MBI_SIZE, %edx
	call raise_eax
	testl $MBI_FLAG_CMDLINE, MBI_FLAGS(%ebx)
	jz 1f
	movl MBI_CMDLINE(%ebx), %edx
	call raise_eax_str
1:	testl $MBI_FLAG_MODS, MBI_FLAGS(%ebx)
	jz 3f
	movl MBI_MODS_ADDR(%ebx), %edi
	movl MBI_MODS_COUNT(%ebx), %ecx
	cmpl $MAX_MODULES, %ecx
	jbe 2f
	movl $msg_manymods, %esi
	jmp fail
2:	testl %ecx, %ecx
	jz 3f
	movl %edi, %edx
	addl $16, %edx
	call raise_eax
	movl MOD_END(%edi), %edx
	call raise_eax
	movl MOD_STRING(%edi), %edx
	call raise_eax_str
	addl $16, %edi
	decl %ecx
	jmp 2b
3:	testl $MBI_FLAG_MMAP, MBI_FLAGS(%ebx)
	jnz 4f
	movl $msg_nommap, %esi
	jmp fail
4:	movl MBI_MMAP_ADDR(%ebx), %edx
	addl MBI_MMAP_LENGTH(%ebx), %edx
	call raise_eax
	addl $(PAGE2M - 1), %eax
	jc no_room
	andl $~(PAGE2M - 1), %eax
	movl %eax, kpbase
	/* EAX..EAX+ksize must be inside one available region. */
	movl MBI_MMAP_ADDR(%ebx), %edi
	movl %edi, %ebp
	addl MBI_MMAP_LENGTH(%ebx), %ebp        /* EBP = end of the map */
5:	cmpl %ebp, %edi
	jae no_room
	cmpl $1, 20(%edi)                       /* type: available */
	jne 6f
	cmpl $0, 8(%edi)                        /* base below 4 GiB */
	jne 6f
	movl 4(%edi), %ecx                      /* region base */
	cmpl %ecx, kpbase
	jb 6f
	movl kpbase, %edx
	subl %ecx, %edx                         /* offset of image in region */
	addl ksize, %edx
	jc 6f
	cmpl $0, 16(%edi)                       /* length >= 4 GiB: fits */
	jne 7f
	cmpl 12(%edi), %edx
	jbe 7f
6:	addl (%edi), %edi                       /* entry size field */
	addl $4, %edi
	jmp 5b
7:	ret
no_room:
	movl $msg_noroom, %esi
	jmp fail

/* raise_eax sets EAX = max(EAX, EDX). */
raise_eax:
	cmpl %edx, %eax
	jae 1f
	movl %edx, %eax
1:	ret

/* raise_eax_str raises EAX past the NUL-terminated string at EDX. */
raise_eax_str:
	testl %edx, %edx
	jz 2f
1:	cmpb $0, (%edx)
	je 3f
	incl %edx
	jmp 1b
3:	incl %edx
	call raise_eax
2:	ret

/*
 * copy_kernel copies each PT_LOAD segment's file bytes to
 * kpbase + (vaddr - kvbase) and zeroes the rest of its memory size.
 */
copy_kernel:
	movl kmod_start, %esi
	xorl %ebp, %ebp
1:	cmpl kphnum, %ebp
	jae 3f
	call phdr_addr
	cmpl $1, (%edi)
	jne 2f
	pushl %esi
	pushl %edi
	movl %edi, %ebx                         /* EBX = phdr */
	movl 16(%ebx), %edi
	subl kvbase, %edi
	addl kpbase, %edi                       /* EDI = destination */
	movl 8(%ebx), %esi
	addl kmod_start, %esi                   /* ESI = file bytes */
	movl 32(%ebx), %ecx
	rep movsb
	movl 40(%ebx), %ecx
	subl 32(%ebx), %ecx
	xorl %eax, %eax
	rep stosb
	popl %edi
	popl %esi
2:	incl %ebp
	jmp 1b
3:	ret

/*
 * build_tables fills the loader's page tables (AMD64 APM vol. 2, 5.3):
 *   PML4[0] and PML4[256] -> pdpt_low: 2 MiB pages over [0, nphys GiB),
 *   PML4[511] -> pdpt_high, whose entry 510 -> pd_kernel: the CPU driver's
 *   virtual range onto its physical copy.
 */
build_tables:
	call count_phys_gib                     /* EAX = GiB to map */
	movl %eax, phys_gib
	/* pd_phys: entry i of GiB g maps (g << 30) + (i << 21). */
	xorl %ecx, %ecx                         /* ECX = GiB index */
1:	cmpl phys_gib, %ecx
	jae 3f
	movl %ecx, %edi
	shll $12, %edi
	addl $pd_phys, %edi                     /* EDI = that GiB's PD */
	leal (%edi), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, pdpt_low(,%ecx,8)
	movl $0, pdpt_low+4(,%ecx,8)
	xorl %edx, %edx                         /* EDX = entry */
2:	movl %ecx, %eax
	shll $30, %eax
	movl %edx, %ebx
	shll $21, %ebx
	orl %ebx, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, (%edi,%edx,8)
	movl %ecx, %eax
	shrl $2, %eax
	movl %eax, 4(%edi,%edx,8)
	incl %edx
	cmpl $512, %edx
	jb 2b
	incl %ecx
	jmp 1b
3:	movl $pdpt_low, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, pml4
	movl %eax, pml4 + 256*8
	movl $pdpt_high, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, pml4 + 511*8
	movl $pd_kernel, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, pdpt_high + 510*8
	/* pd_kernel[(kvbase - 0x80000000) >> 21 + i] = kpbase + i*2M */
	movl kvbase, %edi
	subl $KERNEL_VMIN, %edi
	shrl $21, %edi
	leal pd_kernel(,%edi,8), %edi
	movl kpbase, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl ksize, %ecx
	shrl $21, %ecx
4:	movl %eax, (%edi)
	movl $0, 4(%edi)
	addl $8, %edi
	addl $PAGE2M, %eax
	decl %ecx
	jnz 4b
	ret

/*
 * count_phys_gib returns in EAX the number of GiB the direct map must cover:
 * the end of the highest available region, rounded up, at least 4 (for the
 * local and I/O APICs) and at most MAX_PHYS_GIB.
 */
count_phys_gib:
	movl mb_info, %ebx
	movl MBI_MMAP_ADDR(%ebx), %edi
	movl %edi, %ebp
	addl MBI_MMAP_LENGTH(%ebx), %ebp
	movl $4, %eax
1:	cmpl %ebp, %edi
	jae 4f
	cmpl $1, 20(%edi)
	jne 3f
	movl 4(%edi), %ecx                      /* end = base + length (64-bit) */
	movl 8(%edi), %edx
	addl 12(%edi), %ecx
	adcl 16(%edi), %edx
	addl $0x3fffffff, %ecx                  /* round up to a GiB */
	adcl $0, %edx
	shrdl $30, %edx, %ecx
	shrl $30, %edx
	testl %edx, %edx
	jnz 2f
	cmpl $MAX_PHYS_GIB, %ecx
	ja 2f
	cmpl %ecx, %eax
	jae 3f
	movl %ecx, %eax
	jmp 3f
2:	movl $MAX_PHYS_GIB, %eax
3:	addl (%edi), %edi
	addl $4, %edi
	jmp 1b
4:	ret

/*
 * enter_long_mode: PAE, EFER.LME (and NXE when present), paging, then a far
 * jump into 64-bit code (AMD64 APM vol. 2, 14.6.1).
 */
enter_long_mode:
	call fill_handoff
	lgdt gdt_ptr
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl $pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	cmpl $0, has_nx
	je 1f
	orl $EFER_NXE, %eax
1:	wrmsr
	movl %cr0, %eax
	andl $~CR0_EM, %eax
	orl $(CR0_PG | CR0_PE | CR0_MP | CR0_WP), %eax
	movl %eax, %cr0
	movl $handoff, %edi                     /* RDI for the CPU driver */
	movl kentry_lo, %esi
	ljmp $GDT_CODE64, $long_mode

	.code64
long_mode:
	movl $GDT_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movl %esi, %eax                         /* entry, low word */
	movl $0xffffffff, %edx
	shlq $32, %rdx
	orq %rdx, %rax
	xorl %ebp, %ebp
	jmp *%rax

	.code32
/* fill_handoff records what the CPU driver needs to know (loader.inc HO_*). */
fill_handoff:
	movl mb_info, %eax
	movl %eax, handoff + HO_MBI
	movl kpbase, %eax
	movl %eax, handoff + HO_KPBASE
	movl kvbase, %eax
	movl %eax, handoff + HO_KVBASE
	movl $0xffffffff, handoff + HO_KVBASE + 4
	movl ksize, %eax
	movl %eax, handoff + HO_KSIZE
	movl $tramp_start, handoff + HO_TRAMP
	movl tramp_size, %eax
	movl %eax, handoff + HO_TRAMPSIZE
	movl phys_gib, %eax
	movl %eax, handoff + HO_PHYSGIB
	movl $_start, handoff + HO_LOADER
	movl $loader_end, handoff + HO_LOADEREND
	movl $pml4, handoff + HO_PML4
	movl has_nx, %eax
	movl %eax, handoff + HO_NX
	ret

/* serial_init programs COM1 for 115200 8N1 (16550 datasheet). */
serial_init:
	movw $COM1 + 1, %dx
	xorb %al, %al
	outb %al, %dx                           /* no interrupts */
	movw $COM1 + 3, %dx
	movb $0x80, %al
	outb %al, %dx                           /* DLAB */
	movw $COM1, %dx
	movb $1, %al
	outb %al, %dx                           /* divisor 1: 115200 */
	movw $COM1 + 1, %dx
	xorb %al, %al
	outb %al, %dx
	movw $COM1 + 3, %dx
	movb $3, %al
	outb %al, %dx                           /* 8N1 */
	movw $COM1 + 2, %dx
	movb $0xc7, %al
	outb %al, %dx                           /* FIFO on, cleared */
	ret

/* vga_clear blanks the 80x25 text screen. */
vga_clear:
	movl $0xb8000, %edi
	movl $(80 * 25), %ecx
	movw $0x0720, %ax
	rep stosw
	ret

/* puts writes the NUL-terminated string at ESI to COM1 and VGA. */
puts:
	pushl %eax
	pushl %edx
1:	movb (%esi), %al
	testb %al, %al
	jz 2f
	call putc
	incl %esi
	jmp 1b
2:	popl %edx
	popl %eax
	ret

/* putc writes AL to COM1 (waiting for THR empty) and to the VGA screen. */
putc:
	pushl %eax
	movw $COM1 + 5, %dx
3:	inb %dx, %al
	testb $0x20, %al
	jz 3b
	movl (%esp), %eax
	movw $COM1, %dx
	outb %al, %dx
	cmpb $'\n', %al
	jne 4f
	movl vga_pos, %eax
	addl $80, %eax
	xorl %edx, %edx
	pushl %ecx
	movl $80, %ecx
	divl %ecx
	mull %ecx
	popl %ecx
	movl %eax, vga_pos
	jmp 5f
4:	movl vga_pos, %edx
	movb $0x0c, %ah                         /* light red on black */
	movw %ax, 0xb8000(,%edx,2)
	incl vga_pos
5:	popl %eax
	ret

	.section .rodata
msg_prefix:	.asciz "loader: "
msg_nl:		.asciz "\r\n"
msg_magic:	.asciz "not started by a Multiboot boot loader (bad magic in EAX)"
msg_nolm:	.asciz "this CPU has no long mode (64-bit): the multikernel needs an x86-64 CPU"
msg_nofeat:	.asciz "this CPU lacks:"
msg_needs:	.asciz "the CPU driver needs FPU TSC MSR PAE CX8 APIC CMOV FXSR SSE SSE2 (CPUID 1 EDX)"
f_fpu:		.asciz " FPU"
f_tsc:		.asciz " TSC"
f_msr:		.asciz " MSR"
f_pae:		.asciz " PAE"
f_cx8:		.asciz " CX8"
f_apic:		.asciz " APIC"
f_cmov:		.asciz " CMOV"
f_fxsr:		.asciz " FXSR"
f_sse:		.asciz " SSE"
f_sse2:		.asciz " SSE2"
	.align 4
/* need_bits: {CPUID 1 EDX bit, name}, ended by -1. */
need_bits:
	.long 0, f_fpu
	.long 4, f_tsc
	.long 5, f_msr
	.long 6, f_pae
	.long 8, f_cx8
	.long 9, f_apic
	.long 15, f_cmov
	.long 24, f_fxsr
	.long 25, f_sse
	.long 26, f_sse2
	.long -1, 0
msg_nomod:	.asciz "no boot module: the CPU driver ELF must be module 0"
msg_emptymod:	.asciz "module 0 is empty"
msg_badelf:	.asciz "module 0 is not a valid ELF64 x86-64 executable"
msg_badrange:	.asciz "module 0 must be linked between 0xffffffff80000000 and 0xffffffffc0000000"
msg_badsize:	.asciz "module 0 image is larger than 64 MiB"
msg_manymods:	.asciz "too many boot modules (at most 64)"
msg_nommap:	.asciz "the boot loader passed no memory map"
msg_noroom:	.asciz "no available memory below 4 GiB above the modules for the CPU driver image"

	.data
	.align 8
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff                /* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff                /* 0x10: data */
	.quad 0x00af9a000000ffff                /* 0x18: 64-bit code */
gdt_end:
gdt_ptr:
	.word gdt_end - gdt - 1
	.long gdt

	.align 8
	.globl handoff
handoff:
	.quad HANDOFF_MAGIC
	.fill HANDOFF_SIZE - 8, 1, 0

	.align 4
mb_magic:	.long 0
mb_info:	.long 0
has_nx:		.long 0
kmod_start:	.long 0
kmod_end:	.long 0
kentry_lo:	.long 0
kphnum:		.long 0
kvbase:		.long 0
kvend:		.long 0
ksize:		.long 0
kpbase:		.long 0
phys_gib:	.long 0
vga_pos:	.long 0

	.bss
	.align 4096
pml4:		.skip 4096
pdpt_low:	.skip 4096
pdpt_high:	.skip 4096
pd_kernel:	.skip 4096
pd_phys:	.skip 4096 * MAX_PHYS_GIB
stack:		.skip 16384
stack_top:
