# The multikernel's two commands: `make run` boots it in QEMU, `make test`
# runs the host tests and the QEMU integration tests. Both install what they
# need (Debian packages) when run as root, and otherwise name the packages.

SMP      ?= 16
NODES    ?= 4
MEM      ?= 4096
CPU      ?= Opteron_G3,-misalignsse
CMDLINE  ?=
TIMEOUT  ?= 0
PROGS    ?=
MENU     ?=
TRACE    ?=
TRACECLASSES ?=

GO       ?= go
BUILD    := build
KGOFLAGS := CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOAMD64=v1
# The CPU driver: entry kentry, linked in the top 2 GiB (text at
# 0xffffffff80201000), no asynchronous preemption (no signals in ring 0).
KLDFLAGS := -E multikernel/cpudriver/ring0.kentry -T -0x7FDFF000 \
	-X runtime.godebugDefault=asyncpreemptoff=1 -buildid=


.PHONY: apps stdtests all run test unit integration deps usb usbdeps clean audit

APPS     := $(notdir $(wildcard apps/*))
APPBINS  := $(addprefix $(BUILD)/apps/,$(APPS))

all: $(BUILD)/loader.elf $(BUILD)/cpudriver $(BUILD)/monitor apps

# What the Go binaries are built from: every Go, assembly and embedded
# Prolog file (tests and test data aside). make runs go build only when
# one of them, or the toolchain and flags, changed (go build then decides
# what to recompile), so that `make run` with nothing changed starts QEMU
# at once. Each binary is touched after its build: go build leaves a
# binary that is already up to date alone.
GOSRC    := $(shell find . \( -path ./build -o -path ./.git -o -name testdata \) -prune -o -type f \
	\( -name '*.go' ! -name '*_test.go' -o -name '*.s' -o -name '*.pl' -o -name go.mod -o -name go.sum \) -print)

# The toolchain and flags the binaries were built with: the file is
# rewritten (and the binaries rebuilt) only when they change.
TOOLCHAIN    := $(BUILD)/.toolchain
TOOLCHAIN_ID := $(shell $(GO) env GOVERSION) $(KGOFLAGS) $(KLDFLAGS)
$(shell mkdir -p $(BUILD) && { echo '$(TOOLCHAIN_ID)' | cmp -s - $(TOOLCHAIN) || echo '$(TOOLCHAIN_ID)' > $(TOOLCHAIN); })
$(TOOLCHAIN): # after a clean in the same make
	@mkdir -p $(BUILD) && echo '$(TOOLCHAIN_ID)' > $@

# Go's own standard-library test binaries, run unmodified by the
# integration tests (packages that need no files).
STDTESTS := sort strings container/list sync bytes sync/atomic runtime/debug
stdtests: FORCE
	@mkdir -p $(BUILD)/stdtests
	for p in $(STDTESTS); do $(KGOFLAGS) $(GO) test -c -trimpath -o $(BUILD)/stdtests/$$(echo $$p | tr / _).test $$p || exit 1; done

# The monitor: a ring-3 program the CPU driver starts on every core.
$(BUILD)/monitor: $(GOSRC) $(TOOLCHAIN)
	@mkdir -p $(BUILD)
	$(KGOFLAGS) $(GO) build -trimpath -ldflags=-buildid= -o $@ ./monitor
	@touch $@

# Programs for the Go personality: static GOAMD64=v1 binaries in build/apps.
apps: $(APPBINS)

$(APPBINS) &: $(GOSRC) $(TOOLCHAIN)
	@mkdir -p $(BUILD)/apps
	$(KGOFLAGS) $(GO) build -trimpath -ldflags=-buildid= -o $(BUILD)/apps/ $(addprefix ./apps/,$(APPS))
	@touch $(APPBINS)

deps:
	@./tools/deps.sh qemu-system-x86_64:qemu-system-x86 as:binutils ld:binutils

$(BUILD)/%.o: boot/%.S boot/loader.inc
	@mkdir -p $(BUILD)
	as --32 -I boot -o $@ $<

$(BUILD)/loader.elf: $(BUILD)/loader.o $(BUILD)/trampoline.o boot/loader.ld
	ld -m elf_i386 --no-warn-rwx-segments -T boot/loader.ld -o $@ $(BUILD)/loader.o $(BUILD)/trampoline.o

$(BUILD)/cpudriver: $(GOSRC) $(TOOLCHAIN)
	@mkdir -p $(BUILD)
	$(KGOFLAGS) $(GO) build -trimpath -ldflags='$(KLDFLAGS)' -o $@ ./cpudriver
	@touch $@

# The host's QEMU launcher that `make run` calls (tools/qemu).
$(BUILD)/qemu: $(GOSRC) $(TOOLCHAIN)
	@mkdir -p $(BUILD)
	$(GO) build -o $@ ./tools/qemu
	@touch $@

FORCE:

# The USB stick image: a BIOS-bootable hybrid image made by grub-mkrescue
# whose menu boots the same loader and modules as `make run`.
usb: $(BUILD)/multikernel-usb.img

usbdeps:
	@./tools/deps.sh grub-mkrescue:grub-common /usr/lib/grub/i386-pc/modinfo.sh:grub-pc-bin \
		xorriso:xorriso mformat:mtools

$(BUILD)/multikernel-usb.img: usbdeps $(BUILD)/loader.elf $(BUILD)/cpudriver $(BUILD)/monitor boot/grub/grub.cfg
	rm -rf $(BUILD)/usb && mkdir -p $(BUILD)/usb/boot/grub
	cp $(BUILD)/loader.elf $(BUILD)/cpudriver $(BUILD)/monitor $(BUILD)/usb/boot/
	cp boot/grub/grub.cfg $(BUILD)/usb/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/usb 2>$(BUILD)/grub-mkrescue.log || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

run: deps all $(BUILD)/qemu
	$(BUILD)/qemu -smp $(SMP) -nodes $(NODES) -mem $(MEM) -cpu '$(CPU)' \
		-cmdline '$(CMDLINE)' -timeout $(TIMEOUT)s -progs '$(PROGS)' -menu '$(MENU)' \
		-trace '$(TRACE)' -trace-classes '$(TRACECLASSES)'

test: deps all audit usb stdtests unit integration

# Fails if a Go binary in the image holds an instruction an AMD family 10h
# CPU cannot execute (outside runtime code guarded by CPUID).
audit: $(BUILD)/cpudriver $(BUILD)/monitor apps
	$(GO) run ./tools/cpuaudit $(BUILD)/cpudriver $(BUILD)/monitor $(addprefix $(BUILD)/apps/,$(APPS))

unit:
	$(GO) vet ./...
	$(GO) test ./...
	$(GO) test -race -short ./urpc/... ./cap/... ./cpudriver/proc/ ./cpudriver/fds/ ./cpudriver/futex/ \
		./cpudriver/capsys/ ./cpudriver/memory/ ./cpudriver/native/ ./cpudriver/linux/ \
		./cpudriver/shootdown/ ./cpudriver/kmesh/ ./libos/shares/ ./libos/kcore/

# The integration suite, with a line as each test starts and ends
# (tools/testprogress: a failing test's whole output, the rest's not).
integration:
	GO=$(GO) $(GO) run ./tools/testprogress -name integration -tags integration -timeout 40m ./test/...

clean:
	rm -rf $(BUILD)
