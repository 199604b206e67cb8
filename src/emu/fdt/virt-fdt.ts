// The device tree handed to the guest (in a1 at boot), describing our machine the way QEMU 7.2's
// `-M virt` describes itself (dump it with `-M virt,dumpdtb=…`), minus what we do not model:
// PCI, flash, fw-cfg, the PMU node, the platform bus, cpu-map and the chosen rng-seed.
import {
  VIRT_CLINT_BASE,
  VIRT_CLINT_SIZE,
  VIRT_PLIC_BASE,
  VIRT_PLIC_NUM_SOURCES,
  VIRT_PLIC_SIZE,
  VIRT_RTC_BASE,
  VIRT_RTC_IRQ,
  VIRT_RTC_SIZE,
  VIRT_TEST_BASE,
  VIRT_TEST_SIZE,
  VIRT_UART0_BASE,
  VIRT_UART0_IRQ,
  VIRT_UART0_SIZE,
  VIRT_VIRTIO_BASE,
  VIRT_VIRTIO_COUNT,
  VIRT_VIRTIO_IRQ,
  VIRT_VIRTIO_SIZE,
} from '../virt-map.js';
import { IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT } from '../cpu/csr.js';
import { FdtBuilder } from './fdt-builder.js';

export interface VirtFdtOptions {
  ramBase: number;
  ramSize: number;
  /** e.g. 'rv32imac_zicsr_zifencei' */
  isa: string;
  /** e.g. 'riscv,sv32' */
  mmuType: string;
  /** Hz of mtime. */
  timebaseFrequency: number;
  bootargs?: string;
}

/** The UART's input clock as QEMU advertises it (3.6864 MHz). */
const UART_CLOCK_FREQUENCY = 0x384000;
/** The finisher values Linux's syscon-poweroff/-reboot drivers write. */
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

const INTC = 'cpu0-intc';
const PLIC = 'plic';
const TEST = 'test';

const hex = (n: number): string => n.toString(16);

export function buildVirtFdt(opts: VirtFdtOptions): Uint8Array {
  const b = new FdtBuilder();
  b.beginNode('')
    .propU32('#address-cells', 2)
    .propU32('#size-cells', 2)
    .propString('compatible', 'riscv-virtio')
    .propString('model', 'riscv-virtio,qemu');

  b.beginNode('chosen');
  if (opts.bootargs !== undefined) b.propString('bootargs', opts.bootargs);
  b.propString('stdout-path', `/soc/serial@${hex(VIRT_UART0_BASE)}`).endNode();

  b.beginNode(`memory@${hex(opts.ramBase)}`)
    .propString('device_type', 'memory')
    .propU64('reg', opts.ramBase, opts.ramSize)
    .endNode();

  b.beginNode('cpus')
    .propU32('#address-cells', 1)
    .propU32('#size-cells', 0)
    .propU32('timebase-frequency', opts.timebaseFrequency);
  b.beginNode('cpu@0')
    .propString('device_type', 'cpu')
    .propU32('reg', 0)
    .propString('status', 'okay')
    .propString('compatible', 'riscv')
    .propString('riscv,isa', opts.isa)
    .propString('mmu-type', opts.mmuType);
  b.beginNode('interrupt-controller')
    .propU32('#interrupt-cells', 1)
    .propEmpty('interrupt-controller')
    .propString('compatible', 'riscv,cpu-intc')
    .propPhandle(INTC)
    .endNode();
  b.endNode().endNode(); // cpu@0, cpus

  b.beginNode('soc')
    .propU32('#address-cells', 2)
    .propU32('#size-cells', 2)
    .propString('compatible', 'simple-bus')
    .propEmpty('ranges');

  const intc = b.phandle(INTC);
  b.beginNode(`clint@${hex(VIRT_CLINT_BASE)}`)
    .propU32('interrupts-extended', intc, IRQ_M_SOFT, intc, IRQ_M_TIMER)
    .propU64('reg', VIRT_CLINT_BASE, VIRT_CLINT_SIZE)
    .propStrings('compatible', 'sifive,clint0', 'riscv,clint0')
    .endNode();

  b.beginNode(`plic@${hex(VIRT_PLIC_BASE)}`)
    .propPhandle(PLIC)
    .propU32('riscv,ndev', VIRT_PLIC_NUM_SOURCES)
    .propU64('reg', VIRT_PLIC_BASE, VIRT_PLIC_SIZE)
    .propU32('interrupts-extended', intc, IRQ_M_EXT, intc, IRQ_S_EXT)
    .propEmpty('interrupt-controller')
    .propStrings('compatible', 'sifive,plic-1.0.0', 'riscv,plic0')
    .propU32('#address-cells', 0)
    .propU32('#interrupt-cells', 1)
    .endNode();
  const plic = b.phandle(PLIC);

  b.beginNode(`serial@${hex(VIRT_UART0_BASE)}`)
    .propU32('interrupts', VIRT_UART0_IRQ)
    .propU32('interrupt-parent', plic)
    .propU32('clock-frequency', UART_CLOCK_FREQUENCY)
    .propU64('reg', VIRT_UART0_BASE, VIRT_UART0_SIZE)
    .propString('compatible', 'ns16550a')
    .endNode();

  b.beginNode(`rtc@${hex(VIRT_RTC_BASE)}`)
    .propU32('interrupts', VIRT_RTC_IRQ)
    .propU32('interrupt-parent', plic)
    .propU64('reg', VIRT_RTC_BASE, VIRT_RTC_SIZE)
    .propString('compatible', 'google,goldfish-rtc')
    .endNode();

  b.beginNode(`test@${hex(VIRT_TEST_BASE)}`)
    .propPhandle(TEST)
    .propU64('reg', VIRT_TEST_BASE, VIRT_TEST_SIZE)
    .propStrings('compatible', 'sifive,test1', 'sifive,test0', 'syscon')
    .endNode();

  for (let i = 0; i < VIRT_VIRTIO_COUNT; i++) {
    const base = VIRT_VIRTIO_BASE + i * VIRT_VIRTIO_SIZE;
    b.beginNode(`virtio_mmio@${hex(base)}`)
      .propU32('interrupts', VIRT_VIRTIO_IRQ + i)
      .propU32('interrupt-parent', plic)
      .propU64('reg', base, VIRT_VIRTIO_SIZE)
      .propString('compatible', 'virtio,mmio')
      .endNode();
  }
  b.endNode(); // soc

  const test = b.phandle(TEST);
  b.beginNode('poweroff')
    .propU32('value', FINISHER_PASS)
    .propU32('offset', 0)
    .propU32('regmap', test)
    .propString('compatible', 'syscon-poweroff')
    .endNode();
  b.beginNode('reboot')
    .propU32('value', FINISHER_RESET)
    .propU32('offset', 0)
    .propU32('regmap', test)
    .propString('compatible', 'syscon-reboot')
    .endNode();

  b.endNode(); // root
  return b.build();
}
