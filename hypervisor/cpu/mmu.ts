/**
 * Address translation slow path: called by the interpreter on a TLB miss (or
 * an unaligned access). Checks alignment, walks the page table or applies the
 * kernel direct map, bounds-checks the physical page, fills the TLB, and
 * returns the physical address (the caller charges TLB_MISS_COST). On a fault it enters the guest's trap
 * handler (or requests a FAULT exit) and returns -1.
 */
import { CAUSE } from '../../isa/traps.ts';
import { STATUS_BITS } from '../../isa/csrs.ts';
import { KERNEL_BASE, PTE, PTE_ADDR_MASK } from '../../isa/memory.ts';
import { TLB_MISS_COST } from '../../isa/clock.ts';
import { ACCESS_EXEC, ACCESS_READ, ACCESS_WRITE, TLB_CODE_MARK, tlbSlot, tlbTable, type Access } from './tlb.ts';
import { S, type CpuState } from './state.ts';
import { takeTrap } from './trap.ts';

const FAULT_CAUSE = [CAUSE.LOAD_PAGE_FAULT, CAUSE.STORE_PAGE_FAULT, CAUSE.FETCH_PAGE_FAULT];
const MISALIGNED_CAUSE = [CAUSE.MISALIGNED_LOAD, CAUSE.MISALIGNED_STORE, CAUSE.MISALIGNED_FETCH];
const NEEDED = [PTE.R, PTE.W, PTE.X];

/**
 * Host page address for va (see memory.ts), or a negative cause code. No side effects, so
 * the reference interpreter and debuggers use it too.
 */
export function walk(cpu: CpuState, va: number, access: Access, kernel: boolean): number {
  const page = va & PTE_ADDR_MASK;
  if ((va >>> 0) >= KERNEL_BASE) {
    if (!kernel) return -FAULT_CAUSE[access]!;
    return cpu.mem.hostPage((page - KERNEL_BASE) >>> 0, access === ACCESS_WRITE);
  }
  const root = cpu.st[S.PTBR]! & PTE_ADDR_MASK;
  if (root === 0) return -FAULT_CAUSE[access]!;
  const l1 = readPte(cpu, root + (va >>> 22) * 4);
  if (l1 === undefined) return -CAUSE.BUS_ERROR;
  if ((l1 & PTE.V) === 0 || (l1 & (PTE.R | PTE.W | PTE.X)) !== 0) return -FAULT_CAUSE[access]!;
  const l2 = readPte(cpu, (l1 & PTE_ADDR_MASK) + ((va >>> 12) & 1023) * 4);
  if (l2 === undefined) return -CAUSE.BUS_ERROR;
  if ((l2 & PTE.V) === 0 || (l2 & NEEDED[access]!) === 0) return -FAULT_CAUSE[access]!;
  if (!kernel && (l2 & PTE.U) === 0) return -FAULT_CAUSE[access]!;
  return cpu.mem.hostPage((l2 & PTE_ADDR_MASK) >>> 0, access === ACCESS_WRITE);
}

/** Page tables must live in the VM's own RAM (not in granted pages). */
function readPte(cpu: CpuState, pa: number): number | undefined {
  return pa >= 0 && pa + 4 <= cpu.mem.size ? cpu.mem.readWord(pa) : undefined;
}

/**
 * Translate for an access of `size` bytes at va by the instruction at pc.
 * Returns the physical address, or -1 after a trap was taken. A write to a
 * page with compiled code drops that code; a write entry marked as mapping
 * such a page (tlb.ts) is an architectural hit: the mark is cleared, and
 * cpu.missCost says no miss was charged.
 */
export function translateSlow(cpu: CpuState, va: number, size: number, access: Access, pc: number): number {
  if ((va & (size - 1)) !== 0) {
    takeTrap(cpu, pc, MISALIGNED_CAUSE[access]!, va);
    return -1;
  }
  const kernel = (cpu.st[S.STATUS]! & STATUS_BITS.KERNEL) !== 0;
  const t = tlbTable(kernel, access) + tlbSlot(va);
  const host = cpu.mem.host;
  if (access === ACCESS_WRITE && cpu.tlb[t] === ((va & -4096) | TLB_CODE_MARK)) {
    const hit = cpu.tlb[t + 1]!;
    host.codeWritten(hit >>> 12);
    cpu.tlb[t] = va & -4096;
    cpu.missCost = 0;
    return hit | (va & 4095);
  }
  const page = walk(cpu, va, access, kernel);
  if (page < 0) {
    takeTrap(cpu, pc, -page, va);
    return -1;
  }
  // The store follows at once: code made from the page is stale from here on.
  if (access === ACCESS_WRITE) host.codeWritten(page >>> 12);
  cpu.tlb[t] = va & -4096;
  cpu.tlb[t + 1] = page;
  cpu.missCost = TLB_MISS_COST;
  return page | (va & 4095);
}

export const loadSlow = (cpu: CpuState, va: number, size: number, pc: number): number => translateSlow(cpu, va, size, ACCESS_READ, pc);
export const storeSlow = (cpu: CpuState, va: number, size: number, pc: number): number => translateSlow(cpu, va, size, ACCESS_WRITE, pc);
export const fetchSlow = (cpu: CpuState, pc: number): number => translateSlow(cpu, pc, 4, ACCESS_EXEC, pc);
