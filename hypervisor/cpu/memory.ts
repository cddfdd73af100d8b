/**
 * Machine memory and a VM's guest-physical memory.
 *
 * All VMs of a machine live in one host ArrayBuffer (HostMemory), each VM in
 * its own range [base, base + size). The typed-array views every VCPU uses
 * cover the whole host buffer and the MMU turns guest-physical addresses into
 * host addresses, bounds-checked against the VM's own range when a TLB entry
 * is filled; so nothing a guest does reaches another VM's RAM, and yet a page
 * another VM grants (GRANT_MAP) can be mapped for real: the VM's grant window
 * (guest-physical GRANT_WINDOW_PA..) is a small physical-to-machine table of
 * host page addresses, like Xen's grant mappings. Little-endian because the
 * views use host order (checked at start-up).
 */
import { PAGE_SIZE, GRANT_WINDOW_PA, GRANT_WINDOW_PAGES, MAX_VM_MEMORY } from '../../isa/memory.ts';
import { CAUSE } from '../../isa/traps.ts';

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('paravm needs a little-endian host');
}

/** Largest host memory: host addresses live in Int32 TLB slots. */
export const MAX_HOST_MEMORY = 0x8000_0000 - PAGE_SIZE;

/** What the compiling tier (codecache.ts) hangs on a host memory: told when a page with compiled code is written. */
export interface CodeOwner {
  invalidate(hostPage: number): void;
}

export class HostMemory {
  readonly buf: ArrayBuffer;
  readonly i32: Int32Array;
  readonly i16: Int16Array;
  readonly u16: Uint16Array;
  readonly i8: Int8Array;
  readonly u8: Uint8Array;

  constructor(readonly size: number) {
    if (size <= 0 || size % PAGE_SIZE !== 0 || size > MAX_HOST_MEMORY) {
      throw new RangeError(`machine memory must be a positive multiple of ${PAGE_SIZE} below 2 GiB, got ${size}`);
    }
    this.buf = new ArrayBuffer(size);
    this.i32 = new Int32Array(this.buf);
    this.i16 = new Int16Array(this.buf);
    this.u16 = new Uint16Array(this.buf);
    this.i8 = new Int8Array(this.buf);
    this.u8 = new Uint8Array(this.buf);
    this.codePages = new Uint8Array(size / PAGE_SIZE);
  }

  /**
   * Per host page, nonzero while compiled code made from it exists. Write-TLB
   * entries of such pages carry TLB_CODE_MARK (tlb.ts), so every store to them
   * takes the slow path, which calls codeWritten; the stores' fast path stays free.
   */
  readonly codePages: Uint8Array;
  /** The compiled-code cache of this memory, once a VCPU runs under the compiling tier. */
  codeOwner: CodeOwner | undefined;
  /** The TLBs of every VCPU on this memory: marked when a page gets compiled code (codecache.ts). */
  readonly tlbs: Int32Array[] = [];

  /** A page (host page number) is about to be written: drop compiled code made from it. */
  codeWritten(hostPage: number): void {
    if (this.codePages[hostPage] !== 0) this.codeOwner?.invalidate(hostPage);
  }

  /** Host writes [at, at + len) outside the MMU (loader, devices): drop compiled code of those pages. */
  hostWrite(at: number, len: number): void {
    for (let p = at >>> 12, end = (at + len - 1) >>> 12; p <= end; p++) this.codeWritten(p);
  }
}

/** Grant-window entry flag: the mapping is writable (entries are host page address | flags). */
export const P2M_WRITE = 1;
const P2M_NONE = -1;
const BUS_ERROR = -CAUSE.BUS_ERROR;
const READ_ONLY = -CAUSE.STORE_PAGE_FAULT;

export class GuestMemory {
  readonly host: HostMemory;
  readonly buf: ArrayBuffer;
  readonly i32: Int32Array;
  readonly i16: Int16Array;
  readonly u16: Uint16Array;
  readonly i8: Int8Array;
  readonly u8: Uint8Array;
  /** Grant window: host page address | P2M_WRITE per page, or -1. */
  readonly grants = new Int32Array(GRANT_WINDOW_PAGES).fill(P2M_NONE);

  /** A VM of `size` bytes: alone in its own host memory, or at `base` of a shared one. */
  constructor(readonly size: number, host?: HostMemory, readonly base = 0) {
    if (size <= 0 || size % PAGE_SIZE !== 0 || size > MAX_VM_MEMORY) {
      throw new RangeError(`memory size must be a positive multiple of ${PAGE_SIZE} up to ${MAX_VM_MEMORY / 2 ** 20} MiB, got ${size}`);
    }
    this.host = host ?? new HostMemory(size);
    if (base < 0 || base % PAGE_SIZE !== 0 || base + size > this.host.size) throw new RangeError('VM memory outside the machine memory');
    ({ buf: this.buf, i32: this.i32, i16: this.i16, u16: this.u16, i8: this.i8, u8: this.u8 } = this.host);
  }

  /**
   * Host address of the page holding guest-physical address pa (a page
   * address), or a negative trap cause: BUS_ERROR outside RAM and unmapped
   * grant pages, STORE_PAGE_FAULT for a write to a read-only grant.
   */
  hostPage(pa: number, write: boolean): number {
    if (pa + PAGE_SIZE <= this.size) return this.base + pa;
    const g = (pa - GRANT_WINDOW_PA) / PAGE_SIZE;
    if (g < 0 || g >= GRANT_WINDOW_PAGES) return BUS_ERROR;
    const e = this.grants[g]!;
    if (e === P2M_NONE) return BUS_ERROR;
    if (write && (e & P2M_WRITE) === 0) return READ_ONLY;
    return e & -PAGE_SIZE;
  }

  /** Copy bytes in at a guest-physical address; throws RangeError if they do not fit in RAM. */
  load(pa: number, bytes: Uint8Array): void {
    if (pa < 0 || pa + bytes.length > this.size) {
      throw new RangeError(`${bytes.length} bytes at physical 0x${pa.toString(16)} do not fit in ${this.size} bytes of memory`);
    }
    this.u8.set(bytes, this.base + pa);
    this.host.hostWrite(this.base + pa, bytes.length);
  }

  /** The word at guest-physical pa of RAM. */
  readWord(pa: number): number { return this.i32[(this.base + pa) >>> 2]!; }
  writeWord(pa: number, v: number): void {
    this.host.codeWritten((this.base + pa) >>> 12);
    this.i32[(this.base + pa) >>> 2] = v | 0;
  }

  /** This VM's RAM as bytes (a view, no copy). */
  ram(): Uint8Array { return this.u8.subarray(this.base, this.base + this.size); }
}
