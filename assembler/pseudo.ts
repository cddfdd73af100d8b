/**
 * Pseudo-instructions: the assembler's own table, one row per form, each
 * expanding into real instructions of isa/opcodes.ts (named by mnemonic; a
 * test checks every expansion assembles). A pseudo-instruction's size is
 * fixed in pass 1: only `li` chooses, and only from what pass 1 knows.
 * assembler/README.md lists the same expansions for users.
 */
import type { BinOp, Expr, Operand } from './ast.ts';
import { immRange } from '../isa/formats.ts';

export interface PseudoOperand {
  /** 'reg': a register; 'expr': any expression (an immediate or an address). */
  readonly shape: 'reg' | 'expr';
  readonly role: string;
}

export interface Step {
  readonly mnemonic: string;
  readonly ops: readonly Operand[];
}

export interface ExpandContext {
  /** The value of e if pass 1 already knows it as a constant, else undefined. */
  known(e: Expr): number | undefined;
  /** Column of the mnemonic: where operands the expansion adds point. */
  readonly col: number;
}

export interface PseudoDef {
  readonly name: string;
  readonly operands: readonly PseudoOperand[];
  /** The expansion as documented, e.g. "addi rd, rs, 0". */
  readonly expansion: string;
  /** A written immediate that must lie in [lo, hi] (checked in pass 2, with this range in the message). */
  readonly range?: { readonly index: number; readonly lo: number; readonly hi: number };
  readonly expand: (ops: readonly Operand[], ctx: ExpandContext) => Step[];
}

const reg = (name: string, col: number): Operand => ({ k: 'expr', e: { k: 'sym', name, col }, col });
const num = (v: number, col: number): Expr => ({ k: 'num', v, col });
const imm = (e: Expr): Operand => ({ k: 'expr', e, col: e.col });
const bin = (op: BinOp, l: Expr, r: Expr): Expr => ({ k: 'bin', op, l, r, col: l.col });
const mem = (disp: number, base: Operand): Operand => ({ k: 'mem', disp: num(disp, base.col), base: nameOf(base), baseCol: base.col, col: base.col });
const step = (mnemonic: string, ...ops: Operand[]): Step => ({ mnemonic, ops });

function nameOf(op: Operand): string {
  return op.k === 'expr' && op.e.k === 'sym' ? op.e.name : '?';
}

function exprOf(op: Operand): Expr {
  return (op as Extract<Operand, { k: 'expr' }>).e;
}

/** Upper and lower halves for lui + ori (ori zero-extends, so no MIPS adjustment). */
const upper = (e: Expr): Expr => bin('&', bin('>>', e, num(16, e.col)), num(0xffff, e.col));
const lower = (e: Expr): Expr => bin('&', e, num(0xffff, e.col));

const R = (role: string): PseudoOperand => ({ shape: 'reg', role });
const E = (role: string): PseudoOperand => ({ shape: 'expr', role });

const fits = (v: number, kind: 'simm16' | 'uimm16'): boolean => v >= immRange(kind)[0] && v <= immRange(kind)[1];

/** li: one instruction when pass 1 knows the value and one suffices, else lui + ori. */
function expandLi([rd, value]: readonly Operand[], ctx: ExpandContext): Step[] {
  const e = exprOf(value!);
  const v = ctx.known(e);
  const zero = reg('zero', ctx.col);
  if (v !== undefined && fits(v, 'simm16')) return [step('addi', rd!, zero, value!)];
  if (v !== undefined && fits(v, 'uimm16')) return [step('ori', rd!, zero, value!)];
  if (v !== undefined && (v & 0xffff) === 0) return [step('lui', rd!, imm(upper(e)))];
  return [step('lui', rd!, imm(upper(e))), step('ori', rd!, rd!, imm(lower(e)))];
}

function branchZero(name: string, real: string, zeroFirst: boolean): PseudoDef {
  const expansion = zeroFirst ? `${real} zero, rs, target` : `${real} rs, zero, target`;
  return {
    name, operands: [R('rs'), E('target')], expansion,
    expand: ([rs, t], ctx) => [step(real, ...(zeroFirst ? [reg('zero', ctx.col), rs!] : [rs!, reg('zero', ctx.col)]), t!)],
  };
}

function branchSwap(name: string, real: string): PseudoDef {
  return { name, operands: [R('rs'), R('rt'), E('target')], expansion: `${real} rt, rs, target`, expand: ([rs, rt, t]) => [step(real, rt!, rs!, t!)] };
}

export const PSEUDOS: readonly PseudoDef[] = [
  { name: 'li', operands: [R('rd'), E('imm')], expansion: 'addi rd, zero, imm | ori rd, zero, imm | lui rd, imm >> 16 | lui + ori', expand: expandLi },
  {
    name: 'la', operands: [R('rd'), E('symbol')], expansion: 'lui rd, (symbol >> 16) & 0xffff; ori rd, rd, symbol & 0xffff',
    expand: ([rd, s]) => [step('lui', rd!, imm(upper(exprOf(s!)))), step('ori', rd!, rd!, imm(lower(exprOf(s!))))],
  },
  { name: 'mv', operands: [R('rd'), R('rs')], expansion: 'addi rd, rs, 0', expand: ([rd, rs], c) => [step('addi', rd!, rs!, imm(num(0, c.col)))] },
  {
    name: 'not', operands: [R('rd'), R('rs')], expansion: 'sub rd, zero, rs; addi rd, rd, -1 (~x == -x - 1)',
    expand: ([rd, rs], c) => [step('sub', rd!, reg('zero', c.col), rs!), step('addi', rd!, rd!, imm(num(-1, c.col)))],
  },
  { name: 'neg', operands: [R('rd'), R('rs')], expansion: 'sub rd, zero, rs', expand: ([rd, rs], c) => [step('sub', rd!, reg('zero', c.col), rs!)] },
  {
    name: 'subi', operands: [R('rd'), R('rs'), E('imm')], expansion: 'addi rd, rs, -imm', range: { index: 2, lo: -32767, hi: 32768 },
    expand: ([rd, rs, i]) => [step('addi', rd!, rs!, imm({ k: 'un', op: '-', e: exprOf(i!), col: i!.col }))],
  },
  { name: 'nop', operands: [], expansion: 'addi zero, zero, 0', expand: (_o, c) => [step('addi', reg('zero', c.col), reg('zero', c.col), imm(num(0, c.col)))] },
  { name: 'j', operands: [E('target')], expansion: 'jal zero, target', expand: ([t], c) => [step('jal', reg('zero', c.col), t!)] },
  { name: 'jal', operands: [E('target')], expansion: 'jal ra, target', expand: ([t], c) => [step('jal', reg('ra', c.col), t!)] },
  { name: 'call', operands: [E('target')], expansion: 'jal ra, target', expand: ([t], c) => [step('jal', reg('ra', c.col), t!)] },
  { name: 'jr', operands: [R('rs')], expansion: 'jalr zero, 0(rs)', expand: ([rs], c) => [step('jalr', reg('zero', c.col), mem(0, rs!))] },
  { name: 'ret', operands: [], expansion: 'jalr zero, 0(ra)', expand: (_o, c) => [step('jalr', reg('zero', c.col), mem(0, reg('ra', c.col)))] },
  branchZero('beqz', 'beq', false),
  branchZero('bnez', 'bne', false),
  branchZero('bltz', 'blt', false),
  branchZero('bgez', 'bge', false),
  branchZero('blez', 'bge', true),
  branchZero('bgtz', 'blt', true),
  branchSwap('bgt', 'blt'),
  branchSwap('ble', 'bge'),
  branchSwap('bgtu', 'bltu'),
  branchSwap('bleu', 'bgeu'),
  { name: 'seqz', operands: [R('rd'), R('rs')], expansion: 'sltiu rd, rs, 1', expand: ([rd, rs], c) => [step('sltiu', rd!, rs!, imm(num(1, c.col)))] },
  { name: 'snez', operands: [R('rd'), R('rs')], expansion: 'sltu rd, zero, rs', expand: ([rd, rs], c) => [step('sltu', rd!, reg('zero', c.col), rs!)] },
  {
    name: 'push', operands: [R('rs')], expansion: 'addi sp, sp, -4; sw rs, 0(sp)',
    expand: ([rs], c) => [step('addi', reg('sp', c.col), reg('sp', c.col), imm(num(-4, c.col))), step('sw', rs!, mem(0, reg('sp', c.col)))],
  },
  {
    name: 'pop', operands: [R('rd')], expansion: 'lw rd, 0(sp); addi sp, sp, 4',
    expand: ([rd], c) => [step('lw', rd!, mem(0, reg('sp', c.col))), step('addi', reg('sp', c.col), reg('sp', c.col), imm(num(4, c.col)))],
  },
];

/** Forms by name (lower case); a name may have forms with different operand counts. */
export const PSEUDOS_BY_NAME: ReadonlyMap<string, readonly PseudoDef[]> = (() => {
  const m = new Map<string, PseudoDef[]>();
  for (const p of PSEUDOS) m.set(p.name, [...(m.get(p.name) ?? []), p]);
  return m;
})();
