// Command flash writes a disk image (normally build/multikernel-usb.img,
// made by "make usb") to a USB stick, after checking that the stick is
// really one. It runs on a Linux host, as root:
//
//	go build -o flash ./tools/flash
//	sudo ./flash -image build/multikernel-usb.img -device /dev/sdX [-yes]
//
// -device is the whole disk (/dev/sdb, or a /dev/disk/by-id/usb-... link to
// it), never a partition. Nothing is written unless every check passes:
//
//  1. The image is a non-empty regular file.
//  2. The device exists and is a block device. It is looked up in sysfs by
//     its major:minor number (the index is built from
//     /sys/class/block/*/dev), so a symlink to it works too.
//  3. It is a whole disk: /sys/class/block/NAME has no "partition" file and
//     /sys/block/NAME exists.
//  4. It is not the disk the host's root filesystem lives on: the block
//     device mounted at "/" (by major:minor in /proc/self/mountinfo, or by
//     its source, which is what btrfs needs) is followed down through
//     /sys/class/block/*/slaves (device-mapper, LVM, md RAID, dm-crypt)
//     to the disk and its partitions.
//  5. Neither it nor any of its partitions is mounted, followed the same
//     way through slaves, so a mounted LVM volume on the stick counts.
//  6. Neither it nor any of its partitions is used as swap (/proc/swaps).
//  7. Nothing holds it or its partitions (/sys/class/block/*/holders is
//     empty): an active LVM volume group or RAID array on it, even when
//     unmounted, must be stopped first.
//  8. It is removable (/sys/block/NAME/removable is 1), or it is attached
//     over USB: one of the ancestors of its sysfs device directory has
//     subsystem "usb". Many USB sticks do not set the SCSI removable bit
//     and report 0, so refusing them would refuse exactly the devices this
//     tool is for; such a disk is accepted with a note on standard error,
//     and the confirmation shows its model and size. A fixed SATA, NVMe or
//     virtio disk, a loop or device-mapper device, or an SD card in a
//     built-in (PCI) reader is refused.
//  9. It is not read-only (/sys/block/NAME/ro is 0).
//  10. It is big enough: /sys/block/NAME/size * 512 >= the image's size
//     (and not 0, which is what an empty card reader reports).
//
// Then it prints the device's vendor and model (sysfs device/vendor and
// device/model), its size and the image's, and asks for confirmation: the
// answer must be "yes", the device's kernel name (sdb) or the path given to
// -device. -yes skips the question. It opens the device with O_EXCL, so
// the kernel refuses it if anything mounted or claimed the device since
// the checks, and with O_SYNC, so the progress shown on standard error is
// what reached the stick; it fsyncs at the end, drops the device's buffer
// cache (the BLKFLSBUF ioctl) and reads the image back, reporting the
// first byte that differs.
//
// Every refusal is one line on standard error, "flash: refusing DEVICE:
// REASON", with exit status 1; bad usage exits with status 2.
//
// The checks read sysfs and procfs through the sysRoot and procRoot of an
// env, and stat device nodes through a function of it, so the host tests
// build fake /sys and /proc trees in a temporary directory and never touch
// a real device; the write and verify steps take their openers from the
// env too, which lets the tests write to a regular file and inject a
// faulty writer.
package main
