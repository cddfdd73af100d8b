/**
 * Operands against the operand kinds of isa/formats.ts: the shape (register,
 * immediate, memory) is checked in pass 1, so each mistake is reported once
 * and sizes never depend on it; values and ranges are checked in pass 2,
 * when every symbol is known.
 */
import { immRange, type OperandKind, type OperandSpec } from '../isa/formats.ts';
import type { OperandValue } from '../isa/encoding.ts';
import { REGISTER_BY_NAME } from '../isa/registers.ts';
import type { Expr, Operand } from './ast.ts';
import { AsmError } from './diagnostics.ts';
import { evaluate, type Env } from './expr.ts';

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** The register an operand names, if it is a bare register name. */
export function registerOf(op: Operand): number | undefined {
  return op.k === 'expr' && op.e.k === 'sym' ? REGISTER_BY_NAME.get(op.e.name.toLowerCase()) : undefined;
}

function describe(op: Operand): string {
  if (op.k === 'str') return 'a string';
  if (op.k === 'mem') return 'a memory operand';
  const r = registerOf(op);
  return r === undefined ? 'an expression' : `register '${(op.e as { name: string }).name}'`;
}

function baseRegister(op: Extract<Operand, { k: 'mem' }>): number {
  const r = REGISTER_BY_NAME.get(op.base.toLowerCase());
  if (r === undefined) throw new AsmError(`expected a base register, got '${op.base}'`, op.baseCol);
  return r;
}

const EXPECTED: Readonly<Record<OperandKind, string>> = {
  reg: 'a register', simm16: 'an immediate', uimm16: 'an immediate', shamt: 'a shift amount', csr: 'a CSR number',
  mem: "a memory operand 'imm(reg)'", amem: "a memory operand '(reg)'", br16: 'a branch target', br20: 'a jump target',
};

function wrongKind(kind: OperandKind, op: Operand): AsmError {
  return new AsmError(`expected ${EXPECTED[kind]}, got ${describe(op)}`, op.col);
}

/** Pass 1: the operand has the right shape for its kind. */
export function checkShape(kind: OperandKind, op: Operand): void {
  switch (kind) {
    case 'reg':
      if (registerOf(op) === undefined) throw wrongKind(kind, op);
      return;
    case 'mem':
      if (op.k === 'mem') baseRegister(op);
      else if (op.k !== 'expr' || registerOf(op) !== undefined) throw wrongKind(kind, op);
      return;
    case 'amem':
      if (op.k !== 'mem') throw wrongKind(kind, op);
      if (op.disp) throw new AsmError("atomic memory operands take no displacement: write '(reg)'", op.col);
      baseRegister(op);
      return;
    default:
      if (op.k !== 'expr' || registerOf(op) !== undefined) throw wrongKind(kind, op);
  }
}

/** Pass 2: an expression's absolute value; names the symbol if one is undefined. */
export function valueOf(e: Expr, env: Env): number {
  const v = evaluate(e, env);
  if (v === undefined || v.sec !== undefined) throw new AsmError('expression is not a constant or an address', e.col);
  return v.v;
}

const RANGE_NAME: Partial<Record<OperandKind, string>> = { shamt: 'shift amount', csr: 'CSR number', mem: 'displacement' };

export function checkRange(v: number, kind: OperandKind, col: number): number {
  const [lo, hi] = immRange(kind);
  if (v < lo || v > hi) throw new AsmError(`${RANGE_NAME[kind] ?? 'immediate'} ${v} out of range [${lo}, ${hi}]`, col);
  return v;
}

/** Word offset from pc to a branch or jump target, checked for alignment and reach. */
function branchOffset(kind: OperandKind, op: Extract<Operand, { k: 'expr' }>, pc: number, env: Env): number {
  const target = valueOf(op.e, env) >>> 0;
  const bytes = (target - pc) | 0;
  if (bytes & 3) throw new AsmError(`branch target ${hex(target)} is not 4-byte aligned`, op.col);
  const words = bytes >> 2;
  const [lo, hi] = immRange(kind);
  if (words < lo || words > hi) throw new AsmError(`branch target ${hex(target)} out of range: ${words} words away, allowed [${lo}, ${hi}]`, op.col);
  return words;
}

/** Pass 2: the encoder's value for an operand whose shape checkShape accepted. */
export function operandValue(spec: OperandSpec, op: Operand, pc: number, env: Env): OperandValue {
  switch (spec.kind) {
    case 'reg': return { reg: registerOf(op)! };
    case 'amem': return { reg: baseRegister(op as Extract<Operand, { k: 'mem' }>) };
    case 'mem': {
      if (op.k === 'expr') return { reg: 0, imm: checkRange(valueOf(op.e, env), 'mem', op.col) };
      const m = op as Extract<Operand, { k: 'mem' }>;
      return { reg: baseRegister(m), imm: m.disp ? checkRange(valueOf(m.disp, env), 'mem', m.col) : 0 };
    }
    case 'br16': case 'br20': return { imm: branchOffset(spec.kind, op as Extract<Operand, { k: 'expr' }>, pc, env) };
    default: return { imm: checkRange(valueOf((op as Extract<Operand, { k: 'expr' }>).e, env), spec.kind, op.col) };
  }
}
