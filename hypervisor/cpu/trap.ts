/**
 * Trap and interrupt entry, eret, and the CSR slow paths. Called out of the
 * interpreter loop (and by the reference interpreter), so both share one
 * definition of what a trap does to the state.
 */
import { STATUS_BITS, NUM_CSRS, CSR, CSR_WRITE_MASK } from '../../isa/csrs.ts';
import { CAUSE, INTERRUPT_FLAG } from '../../isa/traps.ts';
import { TRAP_ENTRY_COST } from '../../isa/clock.ts';
import { Exit } from './exits.ts';
import { S, type CpuState } from './state.ts';
import { tlbFlushAll, tlbFlushPage } from './tlb.ts';

const { IE, KERNEL, PIE, PKERNEL } = STATUS_BITS;

/**
 * Enter the guest's trap handler for a trap raised by the instruction at pc
 * (or, for interrupts, before it). Nobody can take it when no handler is
 * installed (TVEC = 0), or when the handler itself cannot run: a trap raised
 * in kernel mode by the instruction at TVEC (say, TVEC is not fetchable).
 * Then the VCPU stops with Exit.FAULT, the state left as it was at the trap.
 * A user-mode trap at TVEC (a user jump to the handler's address) is an
 * ordinary fetch fault for the kernel; an interrupt at TVEC is not raised by
 * the instruction there, which has not run.
 */
export function takeTrap(cpu: CpuState, pc: number, cause: number, badaddr: number): void {
  const st = cpu.st;
  const tvec = st[S.TVEC]!;
  st[S.EXTRA_CYCLES] += TRAP_ENTRY_COST;
  st[S.TRAPS]! += 1;
  const handlerFaults = pc === tvec && (cause & INTERRUPT_FLAG) === 0 && (st[S.STATUS]! & KERNEL) !== 0;
  if (tvec === 0 || handlerFaults) {
    st[S.PC] = pc;
    st[S.FAULT_CAUSE] = cause;
    st[S.FAULT_ADDR] = badaddr;
    st[S.FAULT_PC] = pc;
    st[S.EXIT] = Exit.FAULT;
    return;
  }
  const s = st[S.STATUS]!;
  st[S.STATUS] = KERNEL | ((s & IE) !== 0 ? PIE : 0) | ((s & KERNEL) !== 0 ? PKERNEL : 0);
  st[S.EPC] = pc;
  st[S.CAUSE] = cause;
  st[S.BADADDR] = badaddr;
  st[S.PC] = tvec;
}

/** If an enabled interrupt is pending and IE is set, take the lowest line. True if taken. */
export function checkInterrupts(cpu: CpuState): boolean {
  const st = cpu.st;
  const ready = st[S.IPEND]! & st[S.IMASK]!;
  if ((st[S.STATUS]! & IE) === 0 || ready === 0) return false;
  const line = 31 - Math.clz32(ready & -ready);
  st[S.IPEND] = st[S.IPEND]! & ~(1 << line);
  takeTrap(cpu, st[S.PC]!, (INTERRUPT_FLAG | line) | 0, 0);
  return true;
}

/** eret: restore mode and IE from STATUS, return to EPC. */
export function doEret(cpu: CpuState, pc: number): void {
  const st = cpu.st;
  const s = st[S.STATUS]!;
  const epc = st[S.EPC]!;
  if ((epc & 3) !== 0) {
    takeTrap(cpu, pc, CAUSE.MISALIGNED_FETCH, epc);
    return;
  }
  st[S.STATUS] = ((s & PIE) !== 0 ? IE : 0) | PIE | ((s & PKERNEL) !== 0 ? KERNEL : 0);
  st[S.PC] = epc;
}

/** Read CSR n, or undefined if it does not exist. */
export function csrRead(cpu: CpuState, n: number): number | undefined {
  return n < NUM_CSRS ? cpu.st[S.CSR_BASE + n]! : undefined;
}

/**
 * Execute csrr/csrw/csrrw (word w at pc) in kernel mode: rd = old value,
 * csr = new value. Leaves the next pc in S.PC, or takes an illegal-
 * instruction trap for an unknown CSR.
 */
export function csrInstruction(cpu: CpuState, w: number, pc: number, read: boolean, write: boolean): void {
  const st = cpu.st;
  const n = w >>> 16;
  const old = csrRead(cpu, n);
  if (old === undefined) {
    takeTrap(cpu, pc, CAUSE.ILLEGAL_INSTRUCTION, w);
    return;
  }
  const v = st[(w >>> 12) & 15]!;
  if (write) csrWrite(cpu, n, v);
  const rd = (w >>> 8) & 15;
  if (read && rd !== 0) st[rd] = old;
  st[S.PC] = (pc + 4) | 0;
}

/**
 * CSRs whose write is only the masked store below, and changes nothing the
 * interpreter's loop or compiled code depends on (mode, interrupt enables,
 * page tables): compiled kernel code writes them itself (region.ts, emit.ts).
 */
export const PLAIN_CSR_WRITES: ReadonlySet<number> = new Set<number>([CSR.EPC, CSR.CAUSE, CSR.BADADDR, CSR.TVEC, CSR.SCRATCH]);

function csrWrite(cpu: CpuState, n: number, v: number): void {
  const st = cpu.st;
  const slot = S.CSR_BASE + n;
  switch (n) {
    case CSR.PTBR: st[slot] = v & CSR_WRITE_MASK[n]!; tlbFlushAll(cpu.tlb); break;
    case CSR.IPEND: st[slot] = st[slot]! & ~v; break;
    case CSR.VCPUID: break;
    default: st[slot] = v & CSR_WRITE_MASK[n]!;
  }
}

/** tlbflush: the page of rs1's value, or everything when the operand is r0. */
export function doTlbFlush(cpu: CpuState, w: number): void {
  const rs = (w >>> 12) & 15;
  if (rs === 0) tlbFlushAll(cpu.tlb);
  else tlbFlushPage(cpu.tlb, cpu.st[rs]!);
}
