/**
 * Control and status registers (CSRs), accessed with csrr/csrw/csrrw in
 * kernel mode. The assembler predefines CSR_<NAME> for each, and STATUS_<BIT>
 * for the STATUS bits. A CSR number not listed here traps as illegal.
 */
import { byName } from './table.ts';

export interface CsrInfo {
  readonly name: string;
  readonly number: number;
  readonly access: 'rw' | 'ro' | 'w1c';
  readonly summary: string;
  /** The bits a write keeps (the others read as zero): the alignment of TVEC and PTBR, the STATUS bits that exist. */
  readonly keep: number;
}

/** STATUS bits; STATUS_BIT_SUMMARY says what each means, STATUS_ON_TRAP how traps and eret change them. */
export const STATUS_BITS = {
  IE: 1 << 0,
  KERNEL: 1 << 1,
  PIE: 1 << 2,
  PKERNEL: 1 << 3,
} as const;

/** Only these STATUS bits exist; the rest read as zero. */
export const STATUS_WRITABLE = STATUS_BITS.IE | STATUS_BITS.KERNEL | STATUS_BITS.PIE | STATUS_BITS.PKERNEL;

export const CSRS = [
  { name: 'STATUS', number: 0, access: 'rw', summary: 'mode and interrupt-enable bits (see STATUS bits)', keep: STATUS_WRITABLE },
  { name: 'EPC', number: 1, access: 'rw', summary: 'pc saved on trap entry; eret returns to it', keep: -1 },
  { name: 'CAUSE', number: 2, access: 'rw', summary: 'cause of the last trap (bit 31 set for interrupts)', keep: -1 },
  { name: 'BADADDR', number: 3, access: 'rw', summary: 'faulting address of the last memory trap', keep: -1 },
  { name: 'TVEC', number: 4, access: 'rw', summary: 'trap vector (kernel address, 4-aligned); 0 = none installed: traps go to the hypervisor as faults', keep: ~3 },
  { name: 'SCRATCH', number: 5, access: 'rw', summary: 'free for the kernel (e.g. swap with sp on trap entry)', keep: -1 },
  { name: 'PTBR', number: 6, access: 'rw', summary: 'physical address of the root page table (4 KiB aligned); 0 = no user mappings. Writing flushes the TLB', keep: ~0xfff },
  { name: 'IMASK', number: 7, access: 'rw', summary: 'interrupt lines enabled (bit n = line n)', keep: -1 },
  { name: 'IPEND', number: 8, access: 'w1c', summary: 'interrupt lines pending; writing 1 to a bit clears it', keep: -1 },
  { name: 'VCPUID', number: 9, access: 'ro', summary: "this VCPU's index within its VM", keep: -1 },
] as const satisfies readonly CsrInfo[];

export const STATUS_BIT_SUMMARY: Readonly<Record<keyof typeof STATUS_BITS, string>> = {
  IE: 'interrupts enabled',
  KERNEL: 'kernel mode (clear: user mode)',
  PIE: 'IE before the last trap',
  PKERNEL: 'KERNEL before the last trap',
};

export const STATUS_ON_TRAP = 'On a trap: PIE = IE, PKERNEL = KERNEL, IE = 0, KERNEL = 1. '
  + 'eret undoes it: IE = PIE, KERNEL = PKERNEL, then PIE = 1 and PKERNEL = 0.';

export const CSR = byName(CSRS, 'name', 'number');
export const NUM_CSRS = CSRS.length;
/** Each CSR's `keep`, by number. */
export const CSR_WRITE_MASK: Readonly<Int32Array> = Int32Array.from(CSRS, (c) => c.keep);
