/**
 * Shared by the interpreter tests: build instruction words from the ISA table
 * (no assembler), a small kernel-mode machine, a trap handler that records
 * CAUSE/EPC/BADADDR/STATUS/IPEND, and a two-level page table for user mode.
 * Every number comes from isa/; only physical placements are chosen here.
 */
import { encode, type OperandValue } from '../../isa/encoding.ts';
import { FORMATS } from '../../isa/formats.ts';
import { OPCODE_BY_MNEMONIC } from '../../isa/opcodes.ts';
import { REGISTER_BY_NAME } from '../../isa/registers.ts';
import { CSR } from '../../isa/csrs.ts';
import { causeName } from '../../isa/traps.ts';
import { KERNEL_BASE, PTE } from '../../isa/memory.ts';
import { run } from '../../hypervisor/cpu/interp.ts';
import { runReference } from '../../hypervisor/cpu/reference.ts';
import { GuestMemory } from '../../hypervisor/cpu/memory.ts';
import { S, CpuState } from '../../hypervisor/cpu/state.ts';
import type { ExitCode } from '../../hypervisor/cpu/exits.ts';

export type Runner = (cpu: CpuState, budget: number) => ExitCode;
export const RUNNERS: readonly [string, Runner][] = [['run', run], ['runReference', runReference]];

/** A register (number or name), an immediate or CSR name, or [disp, reg] for `disp(reg)`. */
export type Operand = number | string | readonly [number, number | string];

export const reg = (r: number | string): number =>
  typeof r === 'number' ? r : REGISTER_BY_NAME.get(r) ?? fail(`no register ${r}`);

function fail(msg: string): never {
  throw new Error(msg);
}

/** Encode one instruction, e.g. ins('lw', 'a0', [4, 's0']) or ins('csrr', 'a0', 'CAUSE'). */
export function ins(mnemonic: string, ...ops: Operand[]): number {
  const info = OPCODE_BY_MNEMONIC.get(mnemonic) ?? fail(`no instruction ${mnemonic}`);
  const specs = FORMATS[info.format].operands;
  if (ops.length !== specs.length) fail(`${mnemonic} takes ${specs.length} operands`);
  const values = specs.map((spec, i): OperandValue => {
    const v = ops[i]!;
    if (spec.kind === 'mem') return { imm: (v as [number, number | string])[0], reg: reg((v as [number, number | string])[1]) };
    if (spec.kind === 'reg' || spec.kind === 'amem') return { reg: reg(v as number | string) };
    return { imm: typeof v === 'string' ? CSR[v as keyof typeof CSR] ?? fail(`no CSR ${v}`) : (v as number) };
  });
  return encode(info, values);
}

export const MEM_BYTES = 64 * 1024;
export const KB = KERNEL_BASE;
/** Kernel data page (physical DATA_PA). */
export const DATA_PA = 0x4000;
export const DATA = KB + DATA_PA;
/** The recording trap handler (physical HANDLER_PA). */
export const HANDLER_PA = 0x1000;
export const HANDLER = KB + HANDLER_PA;

export function poke(cpu: CpuState, pa: number, words: readonly number[]): void {
  cpu.mem.i32.set(words.map((w) => w | 0), pa >>> 2);
}

export const peek = (cpu: CpuState, pa: number): number => cpu.mem.i32[pa >>> 2]! >>> 0;

/** A kernel-mode VCPU with `code` at physical 0 = virtual KERNEL_BASE. */
export function machine(code: readonly number[], regs: Record<string, number> = {}): CpuState {
  const cpu = new CpuState(new GuestMemory(MEM_BYTES));
  poke(cpu, 0, code);
  cpu.pc = KB;
  for (const [r, v] of Object.entries(regs)) cpu.setReg(reg(r), v);
  return cpu;
}

const HANDLER_CODE = [
  ins('csrr', 't0', 'CAUSE'), ins('csrr', 't1', 'EPC'), ins('csrr', 't2', 'BADADDR'),
  ins('csrr', 's0', 'STATUS'), ins('csrr', 's1', 'IPEND'), ins('hcall'),
];
/** pc after the handler's hcall: how a test tells "trapped" from "ran to the end". */
export const HANDLER_DONE = HANDLER + 4 * HANDLER_CODE.length;

export function installHandler(cpu: CpuState): CpuState {
  poke(cpu, HANDLER_PA, HANDLER_CODE);
  cpu.st[S.TVEC] = HANDLER;
  return cpu;
}

export interface TrapSeen {
  cause: string;
  epc: number;
  badaddr: number;
  status: number;
  ipend: number;
}

/** What the recording handler saw, or undefined if it did not run (last). */
export function trapSeen(cpu: CpuState): TrapSeen | undefined {
  if (cpu.pc !== HANDLER_DONE) return undefined;
  const r = (n: string) => cpu.reg(reg(n)) >>> 0;
  return { cause: causeName(r('t0') | 0), epc: r('t1'), badaddr: r('t2'), status: r('s0'), ipend: r('s1') };
}

/** The unhandled trap behind an Exit.FAULT. */
export function faultSeen(cpu: CpuState): { cause: string; addr: number; pc: number } {
  return { cause: causeName(cpu.st[S.FAULT_CAUSE]!), addr: cpu.st[S.FAULT_ADDR]! >>> 0, pc: cpu.st[S.FAULT_PC]! >>> 0 };
}

// User address space: root table, one leaf table, pages with assorted rights.
export const ROOT_PA = 0x8000;
export const LEAF_PA = 0x9000;
export const USER_CODE_PA = 0x2000;
export const USER = {
  CODE: 0x1000, // -> USER_CODE_PA, R X U
  DATA: 0x2000, // -> 0x3000, R W U
  RO: 0x3000, // -> 0x5000, R U
  NOU: 0x4000, // -> 0x6000, R W X, no U
  FAR: 0x5000, // -> beyond memory, R W U
  UNMAPPED: 0x6000, // leaf entry 0
  NO_ROOT: 0x40_0000, // root entry 0
  BAD_ROOT: 0x80_0000, // root entry with R set
} as const;
export const USER_DATA_PA = 0x3000;
export const USER_RO_PA = 0x5000;

/** Leaf PTE slot (physical address) of a user page in the table built by userSpace. */
export const leafPte = (va: number): number => LEAF_PA + ((va >>> 12) & 1023) * 4;

export function userSpace(cpu: CpuState): CpuState {
  const { V, R, W, X, U } = PTE;
  poke(cpu, ROOT_PA, [LEAF_PA | V]);
  poke(cpu, ROOT_PA + 8, [LEAF_PA | V | R]);
  const map = (va: number, pa: number, flags: number) => poke(cpu, leafPte(va), [pa | flags]);
  map(USER.CODE, USER_CODE_PA, V | R | X | U);
  map(USER.DATA, USER_DATA_PA, V | R | W | U);
  map(USER.RO, USER_RO_PA, V | R | U);
  map(USER.NOU, 0x6000, V | R | W | X);
  map(USER.FAR, MEM_BYTES, V | R | W | U);
  cpu.st[S.PTBR] = ROOT_PA;
  return cpu;
}

/** Switch a VCPU to user mode at USER.CODE running `code` (STATUS gets `status`, KERNEL clear). */
export function enterUser(cpu: CpuState, code: readonly number[], status = 0): CpuState {
  poke(cpu, USER_CODE_PA, code);
  cpu.st[S.STATUS] = status;
  cpu.pc = USER.CODE;
  return cpu;
}
