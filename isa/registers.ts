/**
 * The 16 general registers and the calling convention. Declared once: the
 * assembler, disassembler, docs and tests derive register names from here.
 *
 * r0 is hard-wired to zero (writes are discarded), which gives `mv`, `nop`,
 * `beqz` and absolute addressing for free, as on MIPS and RISC-V.
 */
import { byName } from './table.ts';
export interface RegisterInfo {
  readonly index: number;
  readonly abi: string;
  readonly role: string;
  /** Who must preserve it across a call: 'callee', 'caller', or '-' for special registers. */
  readonly saver: 'callee' | 'caller' | '-';
}

export const REGISTERS = [
  { index: 0, abi: 'zero', role: 'always zero; writes are ignored', saver: '-' },
  { index: 1, abi: 'ra', role: 'return address (jal/call write it)', saver: 'caller' },
  { index: 2, abi: 'sp', role: 'stack pointer, 4-byte aligned, grows down', saver: 'callee' },
  { index: 3, abi: 'a0', role: 'argument 0 / result 0; hcall and syscall number and result', saver: 'caller' },
  { index: 4, abi: 'a1', role: 'argument 1 / result 1', saver: 'caller' },
  { index: 5, abi: 'a2', role: 'argument 2', saver: 'caller' },
  { index: 6, abi: 'a3', role: 'argument 3', saver: 'caller' },
  { index: 7, abi: 'a4', role: 'argument 4', saver: 'caller' },
  { index: 8, abi: 'a5', role: 'argument 5', saver: 'caller' },
  { index: 9, abi: 't0', role: 'temporary', saver: 'caller' },
  { index: 10, abi: 't1', role: 'temporary', saver: 'caller' },
  { index: 11, abi: 't2', role: 'temporary', saver: 'caller' },
  { index: 12, abi: 's0', role: 'saved register / frame pointer (alias fp)', saver: 'callee' },
  { index: 13, abi: 's1', role: 'saved register', saver: 'callee' },
  { index: 14, abi: 's2', role: 'saved register', saver: 'callee' },
  { index: 15, abi: 's3', role: 'saved register', saver: 'callee' },
] as const satisfies readonly RegisterInfo[];

export const NUM_REGS = 16;

/** Extra spellings accepted by the assembler besides `rN` and the ABI name. */
export const REGISTER_ALIASES: Readonly<Record<string, number>> = { fp: 12 };

/** Name -> index for every accepted spelling (lower case). */
export const REGISTER_BY_NAME: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const r of REGISTERS) {
    m.set(`r${r.index}`, r.index);
    m.set(r.abi, r.index);
  }
  for (const [name, idx] of Object.entries(REGISTER_ALIASES)) m.set(name, idx);
  return m;
})();

/** Register numbers by ABI name, for host code that reads guest registers (REG.a0). */
export const REG = byName(REGISTERS, 'abi', 'index');

/** The name the disassembler prints. */
export function regName(i: number): string {
  return REGISTERS[i]!.abi;
}
