/**
 * Pass 1 for one instruction line: find the mnemonic in isa/opcodes.ts or
 * the pseudo table (a name may have a real form and pseudo forms with other
 * operand counts, like `jal rd, target` and `jal target`), check operand
 * shapes against isa/formats.ts, and fix the real instructions it becomes.
 */
import { FORMATS } from '../isa/formats.ts';
import { OPCODE_BY_MNEMONIC, type OpInfo } from '../isa/opcodes.ts';
import type { Expr, Operand } from './ast.ts';
import { AsmError } from './diagnostics.ts';
import { checkShape } from './operands.ts';
import { PSEUDOS_BY_NAME, type ExpandContext, type PseudoDef, type Step } from './pseudo.ts';

export interface PlannedInstr {
  readonly info: OpInfo;
  readonly ops: readonly Operand[];
}

/** A range the written value must satisfy before encoding (for pseudo forms like subi). */
export interface RangeCheck {
  readonly e: Expr;
  /** The operand's column, where the error points. */
  readonly col: number;
  readonly lo: number;
  readonly hi: number;
}

export interface Plan {
  readonly words: readonly PlannedInstr[];
  readonly checks: readonly RangeCheck[];
}

function plural(n: number): string {
  return n === 0 ? 'no operands' : `${n} operand${n === 1 ? '' : 's'}`;
}

function formText(roles: readonly string[]): string {
  return roles.length ? `${plural(roles.length)} (${roles.join(', ')})` : 'no operands';
}

function countError(name: string, col: number, real: OpInfo | undefined, pseudos: readonly PseudoDef[], got: number): AsmError {
  const forms = [
    ...(real ? [formText(FORMATS[real.format].operands.map((o) => o.role))] : []),
    ...pseudos.map((p) => formText(p.operands.map((o) => o.role))),
  ];
  return new AsmError(`'${name}' takes ${forms.join(' or ')}, got ${got}`, col);
}

/** A real instruction the pseudo table names; a missing one is a bug in the table. */
function realStep(s: Step): PlannedInstr {
  const info = OPCODE_BY_MNEMONIC.get(s.mnemonic);
  if (!info) throw new Error(`pseudo-instruction expands to unknown mnemonic '${s.mnemonic}'`);
  return checkedInstr(info, s.ops);
}

function checkedInstr(info: OpInfo, ops: readonly Operand[]): PlannedInstr {
  FORMATS[info.format].operands.forEach((spec, i) => checkShape(spec.kind, ops[i]!));
  return { info, ops };
}

function expandPseudo(p: PseudoDef, ops: readonly Operand[], ctx: ExpandContext): Plan {
  p.operands.forEach((o, i) => checkShape(o.shape === 'reg' ? 'reg' : 'simm16', ops[i]!));
  const checked = ops[p.range?.index ?? 0] as Extract<Operand, { k: 'expr' }>;
  const checks = p.range ? [{ e: checked.e, col: checked.col, lo: p.range.lo, hi: p.range.hi }] : [];
  return { words: p.expand(ops, ctx).map(realStep), checks };
}

export function planInstruction(name: string, col: number, ops: readonly Operand[], ctx: ExpandContext): Plan {
  const key = name.toLowerCase();
  const real = OPCODE_BY_MNEMONIC.get(key);
  const pseudos = PSEUDOS_BY_NAME.get(key) ?? [];
  if (real && FORMATS[real.format].operands.length === ops.length) return { words: [checkedInstr(real, ops)], checks: [] };
  const pseudo = pseudos.find((p) => p.operands.length === ops.length);
  if (pseudo) return expandPseudo(pseudo, ops, ctx);
  if (!real && pseudos.length === 0) throw new AsmError(`unknown mnemonic '${name}'`, col);
  throw countError(name, col, real, pseudos, ops.length);
}
