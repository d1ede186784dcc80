package ring0

import "multikernel/cpudriver/pci"

// PCI configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2): a dword
// address written to CONFIG_ADDRESS selects the dword that CONFIG_DATA
// then reads.
const (
	pciConfigAddress = 0xCF8
	pciConfigData    = 0xCFC
	pciEnable        = 1 << 31
)

// PCIConfig is PCI configuration space through configuration mechanism #1
// on I/O ports 0xCF8 and 0xCFC. It implements pci.Config.
//
// The address write and the data read are two instructions with nothing
// between them that could switch threads (the CPU driver's threads switch
// only in system calls), but nothing serialises them with another core:
// only the bootstrap core may use it, at boot. Ordinary Go, runtime up.
type PCIConfig struct{}

var _ pci.Config = PCIConfig{}

// Read32 returns the configuration dword at offset off&0xFC of function
// fn&7 of device dev&31 on bus bus; all ones where nothing answers.
func (PCIConfig) Read32(bus, dev, fn uint8, off uint8) uint32 {
	outl(pciConfigAddress, pciEnable|uint32(bus)<<16|uint32(dev&31)<<11|uint32(fn&7)<<8|uint32(off&0xFC))
	return inl(pciConfigData)
}

// Present reports whether the machine decodes configuration mechanism #1:
// CONFIG_ADDRESS holds a written enable bit, as Linux's pci_check_type1
// tests. The register is restored afterwards.
func (PCIConfig) Present() bool {
	old := inl(pciConfigAddress)
	outl(pciConfigAddress, pciEnable)
	ok := inl(pciConfigAddress) == pciEnable
	outl(pciConfigAddress, old)
	return ok
}
