/**
 * A VM's guest-physical memory: one ArrayBuffer with typed-array views of
 * every width the interpreter needs. Nothing a guest does can reach outside
 * it: every physical address is bounds-checked when a TLB entry is filled.
 * Little-endian because the views use host order (checked at start-up).
 */
import { PAGE_SIZE } from '../../isa/memory.ts';

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('paravm needs a little-endian host');
}

export class GuestMemory {
  readonly buf: ArrayBuffer;
  readonly i32: Int32Array;
  readonly i16: Int16Array;
  readonly u16: Uint16Array;
  readonly i8: Int8Array;
  readonly u8: Uint8Array;

  constructor(readonly size: number) {
    if (size <= 0 || size % PAGE_SIZE !== 0 || size > 0x8000_0000) {
      throw new RangeError(`memory size must be a positive multiple of ${PAGE_SIZE} up to 2 GiB, got ${size}`);
    }
    this.buf = new ArrayBuffer(size);
    this.i32 = new Int32Array(this.buf);
    this.i16 = new Int16Array(this.buf);
    this.u16 = new Uint16Array(this.buf);
    this.i8 = new Int8Array(this.buf);
    this.u8 = new Uint8Array(this.buf);
  }

  /** Copy bytes in at a physical address; throws RangeError if they do not fit. */
  load(pa: number, bytes: Uint8Array): void {
    if (pa < 0 || pa + bytes.length > this.size) {
      throw new RangeError(`${bytes.length} bytes at physical 0x${pa.toString(16)} do not fit in ${this.size} bytes of memory`);
    }
    this.u8.set(bytes, pa);
  }

  readWord(pa: number): number { return this.i32[pa >>> 2]!; }
}
