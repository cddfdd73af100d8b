/**
 * Pass 1 of the directives that reach layout (the preprocessor handles
 * .include, .macro, .rept and the conditionals). Each handler checks its
 * operands, fixes the size of what the line emits and records the Body that
 * pass 2 turns into bytes. The name table is the list of directives
 * assembler/README.md documents.
 */
import type { DirStmt, Expr, Operand } from './ast.ts';
import { AsmError } from './diagnostics.ts';
import type { Item, Layout } from './layout.ts';

type Handler = (layout: Layout, item: Item, s: DirStmt) => void;

function exprAt(s: DirStmt, i: number): Expr {
  const op = s.ops[i];
  if (op === undefined) throw new AsmError(`'${s.name}' needs ${i === 0 ? 'an operand' : `at least ${i + 1} operands`}`, s.col);
  if (op.k !== 'expr') throw new AsmError(`'${s.name}' expects an expression here, got ${op.k === 'str' ? 'a string' : 'a memory operand'}`, op.col);
  return op.e;
}

function symbolAt(s: DirStmt, i: number): { name: string; col: number } {
  const e = exprAt(s, i);
  if (e.k !== 'sym') throw new AsmError(`'${s.name}' expects a symbol name here`, e.col);
  return { name: e.name, col: e.col };
}

function arity(s: DirStmt, min: number, max: number): void {
  if (s.ops.length >= min && s.ops.length <= max) return;
  const want = min === max ? `${min}` : `${min} to ${max}`;
  throw new AsmError(`'${s.name}' takes ${want} operand${max === 1 ? '' : 's'}, got ${s.ops.length}`, s.ops[max]?.col ?? s.col);
}

/** The fill byte of .space/.align/.org, if given. */
function fillByte(layout: Layout, s: DirStmt, i: number): number {
  if (s.ops.length <= i) return 0;
  const v = layout.evalNow(exprAt(s, i), 'the fill value');
  if (v < -128 || v > 255) throw new AsmError(`fill value ${v} out of range [-128, 255]`, s.ops[i]!.col);
  return v & 0xff;
}

function data(width: 1 | 2 | 4): Handler {
  return (layout, item, s) => {
    if (s.ops.length === 0) throw new AsmError(`'${s.name}' needs at least one value`, s.col);
    const exprs = s.ops.map((_op, i) => layout.bind(exprAt(s, i)));
    layout.place(item, exprs.length * width, { k: 'data', width, name: s.name, exprs });
  };
}

function strings(terminate: boolean): Handler {
  return (layout, item, s) => {
    if (s.ops.length === 0) throw new AsmError(`'${s.name}' needs at least one string`, s.col);
    const bytes: number[] = [];
    for (const op of s.ops) {
      if (op.k !== 'str') throw new AsmError(`'${s.name}' expects a string`, op.col);
      bytes.push(...op.bytes);
      if (terminate) bytes.push(0);
    }
    layout.place(item, bytes.length, { k: 'bytes', bytes });
  };
}

const space: Handler = (layout, item, s) => {
  arity(s, 1, 2);
  const n = layout.evalNow(exprAt(s, 0), `the size of '${s.name}'`);
  if (n < 0) throw new AsmError(`'${s.name}' size ${n} is negative`, s.ops[0]!.col);
  layout.place(item, n, { k: 'fill', value: fillByte(layout, s, 1), mapped: true });
};

function alignTo(layout: Layout, item: Item, s: DirStmt, bytes: number): void {
  const value = fillByte(layout, s, 1);
  layout.place(item, layout.section.padding(bytes), { k: 'fill', value, mapped: false });
}

/** `.align N`: to 2^N bytes (GNU as on RISC-V/MIPS-like targets). */
const align: Handler = (layout, item, s) => {
  arity(s, 1, 2);
  const n = layout.evalNow(exprAt(s, 0), "'.align'");
  if (n < 0 || n > 16) throw new AsmError(`'.align' exponent ${n} out of range [0, 16] (it aligns to 2^N bytes)`, s.ops[0]!.col);
  alignTo(layout, item, s, 2 ** n);
};

const balign: Handler = (layout, item, s) => {
  arity(s, 1, 2);
  const n = layout.evalNow(exprAt(s, 0), "'.balign'");
  if (n < 1 || n > 65536 || (n & (n - 1)) !== 0) throw new AsmError(`'.balign' needs a power of two in [1, 65536], got ${n}`, s.ops[0]!.col);
  alignTo(layout, item, s, n);
};

const org: Handler = (layout, item, s) => {
  arity(s, 1, 2);
  const target = layout.evalNowVal(exprAt(s, 0), "'.org'");
  const value = fillByte(layout, s, 1);
  layout.place(item, layout.section.org(target, s.ops[0]!.col), { k: 'fill', value, mapped: false });
};

const set: Handler = (layout, item, s) => {
  arity(s, 2, 2);
  const { name, col } = symbolAt(s, 0);
  layout.setConst(item, name, exprAt(s, 1), col);
};

const global: Handler = (layout, item, s) => {
  if (s.ops.length === 0) throw new AsmError(`'${s.name}' needs a symbol name`, s.col);
  s.ops.forEach((_op, i) => {
    const { name, col } = symbolAt(s, i);
    layout.markGlobal(item, name, col);
  });
};

const entry: Handler = (layout, item, s) => {
  arity(s, 1, 1);
  layout.setEntry(item, exprAt(s, 0), s.col);
};

function sectionName(op: Operand | undefined): string | undefined {
  if (op?.k === 'str') return new TextDecoder().decode(new Uint8Array(op.bytes));
  return op?.k === 'expr' && op.e.k === 'sym' ? op.e.name : undefined;
}

const section: Handler = (layout, _item, s) => {
  arity(s, 1, 1);
  const name = sectionName(s.ops[0])?.toLowerCase();
  if (name !== '.text' && name !== '.data') throw new AsmError("unknown section: only '.text' and '.data' exist", s.ops[0]!.col);
  layout.switchTo(name === '.text' ? 'text' : 'data');
};

function noOperands(h: Handler): Handler {
  return (layout, item, s) => {
    arity(s, 0, 0);
    h(layout, item, s);
  };
}

export const DIRECTIVES: Readonly<Record<string, Handler>> = {
  '.text': noOperands((layout) => layout.switchTo('text')),
  '.data': noOperands((layout) => layout.switchTo('data')),
  '.section': section,
  '.org': org,
  '.byte': data(1),
  '.half': data(2),
  '.word': data(4),
  '.ascii': strings(false),
  '.asciz': strings(true),
  '.string': strings(true),
  '.space': space,
  '.skip': space,
  '.align': align,
  '.balign': balign,
  '.equ': set,
  '.set': set,
  '.global': global,
  '.globl': global,
  '.entry': entry,
};
