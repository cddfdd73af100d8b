/**
 * Per-VCPU architectural state in one typed array at named offsets, so a
 * context switch or a snapshot is a copy, not forty hand-written saves.
 * Int32 slots hold registers, pc and CSRs; Float64 slots hold the 64-bit
 * counters (exact up to 2^53 cycles, ~1,000 days of virtual time at 100 MHz).
 */
import { CSR, NUM_CSRS, STATUS_BITS } from '../../isa/csrs.ts';
import { NUM_REGS } from '../../isa/registers.ts';
import type { GuestMemory } from './memory.ts';
import { TLB_INTS } from './tlb.ts';

/** Int32 slot offsets. */
export const S = {
  PC: NUM_REGS,
  CSR_BASE: NUM_REGS + 1,
  STATUS: NUM_REGS + 1 + CSR.STATUS,
  EPC: NUM_REGS + 1 + CSR.EPC,
  CAUSE: NUM_REGS + 1 + CSR.CAUSE,
  BADADDR: NUM_REGS + 1 + CSR.BADADDR,
  TVEC: NUM_REGS + 1 + CSR.TVEC,
  SCRATCH: NUM_REGS + 1 + CSR.SCRATCH,
  PTBR: NUM_REGS + 1 + CSR.PTBR,
  IMASK: NUM_REGS + 1 + CSR.IMASK,
  IPEND: NUM_REGS + 1 + CSR.IPEND,
  VCPUID: NUM_REGS + 1 + CSR.VCPUID,
  /** Set by a slow path when run() must return: an Exit code (0 = keep going). */
  EXIT: NUM_REGS + 1 + NUM_CSRS,
  /** For Exit.FAULT: the cause, faulting address and pc of the trap nobody handles. */
  FAULT_CAUSE: NUM_REGS + 2 + NUM_CSRS,
  FAULT_ADDR: NUM_REGS + 3 + NUM_CSRS,
  FAULT_PC: NUM_REGS + 4 + NUM_CSRS,
  /** Cycles charged by slow paths (trap entry, TLB refill), drained by run(). */
  EXTRA_CYCLES: NUM_REGS + 5 + NUM_CSRS,
  /** pause instructions executed (the hypervisor's pause-loop detector reads it). */
  PAUSES: NUM_REGS + 6 + NUM_CSRS,
  /** Traps and interrupts raised, handled or not (statistics, and how --trace sees a trap). */
  TRAPS: NUM_REGS + 7 + NUM_CSRS,
} as const;

export const INT_SLOTS = 64;

/** Float64 slot offsets (in the Float64Array view). */
export const F = {
  /** Retired cycles of this VCPU (rdcycle). */
  CYCLES: 0,
  /** Instructions executed, including ones that trapped. */
  INSTRET: 1,
  /** Global virtual time when the current run() started (rdtime = TIME + cycles so far). */
  TIME: 2,
  /** Cycles consumed by the last run(). */
  RAN: 3,
} as const;

const F64_SLOTS = 8;

export class CpuState {
  readonly buf: ArrayBuffer;
  readonly st: Int32Array;
  readonly f64: Float64Array;
  /** Software TLB, see tlb.ts. */
  readonly tlb: Int32Array;
  /** Cycles the last write translation charged: TLB_MISS_COST, or 0 for a marked hit (mmu.ts). */
  missCost = 0;

  constructor(readonly mem: GuestMemory, readonly id = 0) {
    this.buf = new ArrayBuffer(INT_SLOTS * 4 + F64_SLOTS * 8);
    this.st = new Int32Array(this.buf, 0, INT_SLOTS);
    this.f64 = new Float64Array(this.buf, INT_SLOTS * 4, F64_SLOTS);
    this.tlb = new Int32Array(TLB_INTS).fill(-1);
    mem.host.tlbs.push(this.tlb);
    this.st[S.STATUS] = STATUS_BITS.KERNEL;
    this.st[S.VCPUID] = id;
  }

  get pc(): number { return this.st[S.PC]! >>> 0; }
  set pc(v: number) { this.st[S.PC] = v | 0; }
  reg(i: number): number { return this.st[i]! | 0; }
  setReg(i: number, v: number): void { if (i !== 0) this.st[i] = v | 0; }
  get kernelMode(): boolean { return (this.st[S.STATUS]! & STATUS_BITS.KERNEL) !== 0; }
  get cycles(): number { return this.f64[F.CYCLES]!; }
  get instret(): number { return this.f64[F.INSTRET]!; }

  /** Raise interrupt line `line` (the hypervisor's and devices' entry point). */
  raiseIrq(line: number): void { this.st[S.IPEND] |= 1 << line; }

  /** True when a pending line is enabled in IMASK (wakes a VCPU blocked in wfi). */
  get wakeable(): boolean { return (this.st[S.IPEND]! & this.st[S.IMASK]!) !== 0; }
}
