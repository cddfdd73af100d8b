/**
 * Constant expressions. Values are 32-bit: every operation wraps to a signed
 * 32-bit integer, so 0xffffffff and -1 are the same value.
 *
 * In pass 1 a label is known only as an offset into its section (the base of
 * .data is fixed when pass 1 ends), so a value is either absolute or
 * section-relative. `label + 4` stays relative; `label2 - label1` in the same
 * section is absolute, which is what lets sizes depend on label differences
 * before any base is known. Whatever cannot be represented that way (a
 * forward reference, `label * 2`) evaluates to undefined: "not known yet".
 * In pass 2 every symbol is absolute.
 */
import type { BinOp, Expr, UnOp } from './ast.ts';
import { AsmError } from './diagnostics.ts';

export type SectionName = 'text' | 'data';

export interface Val {
  readonly v: number;
  /** The section the value is an offset into; undefined for an absolute value. */
  readonly sec: SectionName | undefined;
}

export interface Env {
  /** The value of a symbol, undefined if not known (yet); throws AsmError when that is an error. */
  symbol(name: string, col: number): Val | undefined;
  /** `.`: the address of the statement or data item being assembled. */
  dot(): Val;
}

export const abs = (v: number): Val => ({ v: v | 0, sec: undefined });

/** MIPS-style split: (hi << 16) + lo == value, lo sign-extended, so `lui` + signed offset works. */
export function lo16(v: number): number {
  return (v << 16) >> 16;
}

export function hi16(v: number): number {
  return ((v - lo16(v)) >>> 16) & 0xffff;
}

function shift(op: '<<' | '>>', a: number, n: number, col: number): number {
  if (n < 0) throw new AsmError(`negative shift count ${n}`, col);
  if (n > 31) return op === '<<' || a >= 0 ? 0 : -1;
  return op === '<<' ? a << n : a >> n;
}

function divide(op: '/' | '%', a: number, b: number, col: number): number {
  if (b === 0) throw new AsmError(op === '/' ? 'division by zero' : 'remainder by zero', col);
  return op === '/' ? Math.trunc(a / b) | 0 : a % b | 0;
}

/** Both operands absolute: the C meaning of the operator, wrapped to 32 bits. */
function binaryAbs(op: BinOp, a: number, b: number, col: number): number {
  switch (op) {
    case '+': return (a + b) | 0;
    case '-': return (a - b) | 0;
    case '*': return Math.imul(a, b);
    case '/': case '%': return divide(op, a, b, col);
    case '<<': case '>>': return shift(op, a, b, col);
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&&': return a && b ? 1 : 0;
    case '||': return a || b ? 1 : 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
  }
}

/** Section arithmetic: relative +/- absolute stays relative; same-section differences are absolute. */
function binary(op: BinOp, a: Val, b: Val, col: number): Val | undefined {
  if (a.sec === undefined && b.sec === undefined) return abs(binaryAbs(op, a.v, b.v, col));
  if (op === '+' && (a.sec === undefined || b.sec === undefined)) return { v: (a.v + b.v) | 0, sec: a.sec ?? b.sec };
  if (op === '-' && b.sec === undefined) return { v: (a.v - b.v) | 0, sec: a.sec };
  if (op === '-' && a.sec === b.sec) return abs(a.v - b.v);
  return undefined;
}

function unary(op: UnOp, a: Val): Val | undefined {
  if (op === '+') return a;
  if (a.sec !== undefined) return undefined;
  if (op === '-') return abs(-a.v);
  return abs(op === '~' ? ~a.v : a.v === 0 ? 1 : 0);
}

/** Evaluates e; undefined when some part is not known yet (see the file header). */
export function evaluate(e: Expr, env: Env): Val | undefined {
  switch (e.k) {
    case 'num': return abs(e.v);
    case 'sym': return env.symbol(e.name, e.col);
    case 'dot': return env.dot();
    case 'local': throw new AsmError(`local label reference '${e.label}${e.dir}' was not bound`, e.col);
    case 'un': {
      const a = evaluate(e.e, env);
      return a && unary(e.op, a);
    }
    case 'bin': {
      const a = evaluate(e.l, env);
      const b = evaluate(e.r, env);
      return a && b && binary(e.op, a, b, e.col);
    }
    case 'reloc': {
      const a = evaluate(e.e, env);
      if (!a || a.sec !== undefined) return undefined;
      return abs(e.fn === 'hi' ? hi16(a.v) : lo16(a.v));
    }
  }
}
