/**
 * Trap causes and interrupt lines, and what taking a trap does (TRAP_ENTRY,
 * INTERRUPTS: shown verbatim in docs/isa.md).
 */
import { byName } from './table.ts';
export const TRAP_ENTRY = 'On a trap the VCPU saves pc in EPC, the cause in CAUSE and a faulting address in BADADDR, '
  + 'pushes mode and IE into STATUS.PKERNEL/PIE, enters kernel mode with interrupts off, and jumps to TVEC. '
  + 'With TVEC = 0, or when the instruction at TVEC itself traps (a double fault), no guest handler can take it: '
  + 'the VCPU stops and the hypervisor sees a fault.';

export const INTERRUPTS = 'Interrupts have CAUSE = INTERRUPT_FLAG | line; they are taken only when STATUS.IE is set and '
  + 'the line is set in IMASK, at instruction boundaries, lowest line first; taking one clears its IPEND bit. '
  + 'EPC is the instruction that has not run yet.';

export interface CauseInfo {
  readonly name: string;
  readonly code: number;
  /** What EPC holds on entry: the faulting instruction, or the next one. */
  readonly epc: 'this' | 'next';
  readonly badaddr: string;
  readonly summary: string;
}

export const CAUSES = [
  { name: 'SYSCALL', code: 1, epc: 'this', badaddr: '0', summary: 'syscall instruction (the handler adds 4 to EPC to return past it)' },
  { name: 'BREAKPOINT', code: 2, epc: 'this', badaddr: '0', summary: 'break instruction' },
  { name: 'ILLEGAL_INSTRUCTION', code: 3, epc: 'this', badaddr: 'the instruction word', summary: 'unassigned opcode or unknown CSR' },
  { name: 'PRIVILEGED_INSTRUCTION', code: 4, epc: 'this', badaddr: 'the instruction word', summary: 'privileged instruction in user mode' },
  { name: 'MISALIGNED_FETCH', code: 5, epc: 'this', badaddr: 'the target address', summary: 'jalr or eret to an address not 4-aligned' },
  { name: 'MISALIGNED_LOAD', code: 6, epc: 'this', badaddr: 'the address', summary: 'load at an address not aligned to its size' },
  { name: 'MISALIGNED_STORE', code: 7, epc: 'this', badaddr: 'the address', summary: 'store or atomic at an address not aligned to its size' },
  { name: 'FETCH_PAGE_FAULT', code: 8, epc: 'this', badaddr: 'the address', summary: 'fetch from an unmapped or non-executable page, or a kernel address in user mode' },
  { name: 'LOAD_PAGE_FAULT', code: 9, epc: 'this', badaddr: 'the address', summary: 'load from an unmapped or unreadable page, or a kernel address in user mode' },
  { name: 'STORE_PAGE_FAULT', code: 10, epc: 'this', badaddr: 'the address', summary: 'store or atomic to an unmapped or read-only page, or a kernel address in user mode' },
  { name: 'BUS_ERROR', code: 11, epc: 'this', badaddr: 'the virtual address', summary: 'access to a physical address beyond the VM\'s memory' },
  { name: 'DIVIDE_BY_ZERO', code: 12, epc: 'this', badaddr: '0', summary: 'div, divu, rem or remu with a zero divisor' },
] as const satisfies readonly CauseInfo[];

export const INTERRUPT_FLAG = 0x8000_0000;

export interface IrqLineInfo {
  readonly name: string;
  readonly line: number;
  readonly summary: string;
}

export const IRQ_LINES = [
  { name: 'TIMER', line: 0, summary: 'the one-shot virtual timer expired' },
  { name: 'IPI', line: 1, summary: 'another VCPU of the same VM sent an inter-processor interrupt' },
  { name: 'HV', line: 2, summary: 'the hypervisor changed something in the shared info page (e.g. balloon target)' },
  { name: 'CONSOLE', line: 3, summary: 'console input arrived' },
  { name: 'NET', line: 4, summary: 'the paravirtual network device has work' },
] as const satisfies readonly IrqLineInfo[];

export const CAUSE = byName(CAUSES, 'name', 'code');
export const IRQ = byName(IRQ_LINES, 'name', 'line');

/** Human name of a CAUSE register value, e.g. "LOAD_PAGE_FAULT" or "interrupt TIMER". */
export function causeName(cause: number): string {
  if ((cause & INTERRUPT_FLAG) !== 0) {
    const line = cause & 0x7fff_ffff;
    return `interrupt ${IRQ_LINES.find((l) => l.line === line)?.name ?? line}`;
  }
  return CAUSES.find((c) => c.code === cause)?.name ?? `cause ${cause}`;
}
