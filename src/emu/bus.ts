// The system bus: physical address → device. RAM is not on this path (the CPU reaches it directly
// through typed arrays); the bus serves memory-mapped I/O. Physical addresses are plain numbers
// (exact to 2^53), so nothing here assumes 32-bit addresses.

export type AccessSize = 1 | 2 | 4;

/** A memory-mapped device region. Offsets are relative to the region's base. */
export interface MmioDevice {
  /** Returns the value read, zero-extended (0 … 2^(8·size) − 1). */
  read(offset: number, size: AccessSize): number;
  write(offset: number, size: AccessSize, value: number): void;
}

/** Returned by Bus.load when no device answers: the CPU raises an access fault. */
export const BUS_ERROR = -1;

export interface BusRegion {
  readonly name: string;
  readonly base: number;
  /** Half-open: the region is [base, base + size). */
  readonly size: number;
  readonly device: MmioDevice;
}

export class Bus {
  private regionList: BusRegion[] = [];
  private last: BusRegion | undefined;

  get regions(): readonly BusRegion[] {
    return this.regionList;
  }

  map(name: string, base: number, size: number, device: MmioDevice): void {
    for (const r of this.regionList) {
      if (base < r.base + r.size && r.base < base + size) {
        throw new Error(`bus: ${name} at 0x${base.toString(16)} overlaps ${r.name}`);
      }
    }
    this.regionList.push({ name, base, size, device });
    this.regionList.sort((a, b) => a.base - b.base);
  }

  find(pa: number): BusRegion | undefined {
    const last = this.last;
    if (last !== undefined && pa >= last.base && pa < last.base + last.size) return last;
    for (const r of this.regionList) {
      if (pa >= r.base && pa < r.base + r.size) {
        this.last = r;
        return r;
      }
    }
    return undefined;
  }

  /** Returns the value, or BUS_ERROR when nothing is mapped at [pa, pa + size). */
  load(pa: number, size: AccessSize): number {
    const r = this.find(pa);
    if (r === undefined || pa + size > r.base + r.size) return BUS_ERROR;
    return r.device.read(pa - r.base, size);
  }

  /** Returns false when nothing is mapped at [pa, pa + size). */
  store(pa: number, size: AccessSize, value: number): boolean {
    const r = this.find(pa);
    if (r === undefined || pa + size > r.base + r.size) return false;
    r.device.write(pa - r.base, size, value);
    return true;
  }
}
