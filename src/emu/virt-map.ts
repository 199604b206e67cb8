// The `virt` board's physical memory map and interrupt numbers, as QEMU's
// `qemu-system-riscv32 -M virt` lays them out (hw/riscv/virt.c). One place for every address.

export const VIRT_TEST_BASE = 0x0010_0000;
export const VIRT_TEST_SIZE = 0x1000;
export const VIRT_RTC_BASE = 0x0010_1000;
export const VIRT_RTC_SIZE = 0x1000;
export const VIRT_CLINT_BASE = 0x0200_0000;
export const VIRT_CLINT_SIZE = 0x1_0000;
export const VIRT_PLIC_BASE = 0x0c00_0000;
export const VIRT_PLIC_SIZE = 0x60_0000;
export const VIRT_UART0_BASE = 0x1000_0000;
export const VIRT_UART0_SIZE = 0x100;
export const VIRT_VIRTIO_BASE = 0x1000_1000;
export const VIRT_VIRTIO_SIZE = 0x1000;
export const VIRT_VIRTIO_COUNT = 8;
export const VIRT_DRAM_BASE = 0x8000_0000;

/** PLIC source numbers. */
export const VIRT_RTC_IRQ = 11;
export const VIRT_UART0_IRQ = 10;
/** virtio-mmio slot i uses IRQ VIRT_VIRTIO_IRQ + i. */
export const VIRT_VIRTIO_IRQ = 1;
export const VIRT_PLIC_NUM_SOURCES = 96;
export const VIRT_PLIC_NUM_PRIORITIES = 7;

/** CLINT mtime frequency: 10 MHz, one tick every 100 ns of virtual time. */
export const VIRT_TIMEBASE_FREQ = 10_000_000;
