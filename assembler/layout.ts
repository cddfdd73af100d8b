/**
 * Pass 1: gives every line its place. It receives lines from the
 * preprocessor in order, defines labels (as section offsets, see expr.ts),
 * names local labels, plans instructions and sizes data, and records one
 * Item per line for pass 2 (encode.ts) and the listing. Nothing is encoded
 * here; what pass 1 cannot know yet (forward references, the .data base) is
 * left in expressions for pass 2.
 */
import type { Expr, InstrStmt, Label, Operand, ParsedLine, Stmt } from './ast.ts';
import { AsmError, type Diagnostics, type SrcLine } from './diagnostics.ts';
import { DIRECTIVES } from './directives.ts';
import { evaluate, type Env, type SectionName, type Val } from './expr.ts';
import { planInstruction, type Plan } from './plan.ts';
import { newSections, type Section } from './sections.ts';
import { isRegisterName, LocalNames, type SymbolTable } from './symbols.ts';
import type { Pass1Sink } from './preprocess.ts';

export type Body =
  | { readonly k: 'none' }
  | { readonly k: 'instr'; readonly plan: Plan }
  | { readonly k: 'data'; readonly width: 1 | 2 | 4; readonly name: string; readonly exprs: readonly Expr[] }
  | { readonly k: 'bytes'; readonly bytes: readonly number[] }
  /** .space (mapped: it gets a line entry) or .align/.org padding (not mapped). */
  | { readonly k: 'fill'; readonly value: number; readonly mapped: boolean }
  | { readonly k: 'set'; readonly name: string; readonly e: Expr }
  | { readonly k: 'entry'; readonly e: Expr }
  /** A statement pass 1 rejected; pass 2 skips it. */
  | { readonly k: 'failed' };

export interface Item {
  readonly src: SrcLine;
  /** The line's place in reading order (Diagnostics.seq), so pass-2 errors sort among pass-1 errors. */
  readonly seq: number;
  readonly labels: readonly Label[];
  section: SectionName;
  /** Where the line's labels point and its bytes start. */
  offset: number;
  size: number;
  body: Body;
}

const NONE: Body = { k: 'none' };

export class Layout implements Pass1Sink {
  readonly items: Item[] = [];
  readonly sections = newSections();
  private cur: Section = this.sections.text;
  private readonly locals = new LocalNames();
  /** While set, evaluating an undefined symbol is an error rather than "not known yet". */
  private strict = false;
  private entrySeen = false;

  constructor(readonly symbols: SymbolTable, private readonly diags: Diagnostics) {}

  line(src: SrcLine, parsed: ParsedLine): void {
    const item: Item = { src, seq: this.diags.seq, labels: parsed.labels, section: this.cur.name, offset: this.cur.offset, size: 0, body: NONE };
    for (const l of parsed.labels) this.diags.guard(src, () => this.defineLabel(l, src));
    const stmt = parsed.stmt;
    if (stmt && !this.diags.guard(src, () => this.statement(item, stmt)) && item.body === NONE) item.body = { k: 'failed' };
    this.items.push(item);
  }

  private defineLabel(l: Label, src: SrcLine): void {
    const name = this.locals.define(l.name, l.numeric);
    this.symbols.defineLabel(name, { v: this.cur.offset, sec: this.cur.name }, src, l.col);
  }

  private statement(item: Item, s: Stmt): void {
    switch (s.k) {
      case 'instr': return this.instruction(item, s);
      case 'assign': return this.setConst(item, s.name, s.e, s.col);
      case 'dir': {
        const handler = DIRECTIVES[s.name];
        if (!handler) throw new AsmError(`unknown directive '${s.name}'`, s.col);
        return handler(this, item, s);
      }
      case 'macro': throw new AsmError('.macro reached pass 1', s.col);
    }
  }

  private instruction(item: Item, s: InstrStmt): void {
    let plan: Plan;
    try {
      plan = planInstruction(s.name, s.col, s.ops.map((o) => this.bindOperand(o)), { known: (e) => this.known(e), col: s.col });
    } catch (e) {
      // Keep the word a real instruction would take, so later addresses do not shift.
      this.place(item, 4, { k: 'failed' });
      throw e;
    }
    this.place(item, plan.words.length * 4, { k: 'instr', plan });
  }

  // ---- used by directives.ts ----

  /** Reserves size bytes in the current section for the item. */
  place(item: Item, size: number, body: Body): void {
    item.section = this.cur.name;
    item.offset = this.cur.advance(size);
    item.size = size;
    item.body = body;
  }

  get section(): Section {
    return this.cur;
  }

  switchTo(name: SectionName): void {
    this.cur = this.sections[name];
  }

  setConst(item: Item, rawName: string, e: Expr, col: number): void {
    const name = this.locals.resolve(rawName);
    const bound = this.locals.bind(e);
    this.symbols.setConst(name, this.lenient(bound), item.src, col);
    item.body = { k: 'set', name, e: bound };
  }

  setEntry(item: Item, e: Expr, col: number): void {
    if (this.entrySeen) throw new AsmError("a second '.entry': the entry point is already set", col);
    this.entrySeen = true;
    item.body = { k: 'entry', e: this.locals.bind(e) };
  }

  markGlobal(item: Item, rawName: string, col: number): void {
    this.symbols.markGlobal(this.locals.resolve(rawName), item.src, col);
  }

  bind(e: Expr): Expr {
    return this.locals.bind(e);
  }

  bindOperand(op: Operand): Operand {
    if (op.k === 'expr') {
      const e = this.locals.bind(op.e);
      return e === op.e ? op : { ...op, e };
    }
    if (op.k === 'mem' && op.disp) {
      const disp = this.locals.bind(op.disp);
      return disp === op.disp ? op : { ...op, disp };
    }
    return op;
  }

  /** A value that must be known here, absolute or relative to a section (for .org). */
  evalNowVal(e: Expr, what: string): Val {
    this.strict = true;
    try {
      const v = evaluate(this.locals.bind(e), this.env);
      if (v === undefined) throw new AsmError(`${what} must be a constant known at this point (addresses are fixed only after pass 1)`, e.col);
      return v;
    } finally {
      this.strict = false;
    }
  }

  evalNow(e: Expr, what: string): number {
    const v = this.evalNowVal(e, what);
    if (v.sec !== undefined) throw new AsmError(`${what} must be a constant, not an address`, e.col);
    return v.v;
  }

  isDefined(name: string): boolean {
    return this.symbols.get(this.locals.resolve(name)) !== undefined;
  }

  /** Pass 1's view of a value: known constant, else undefined (errors are left for pass 2 to report). */
  private known(e: Expr): number | undefined {
    const v = this.lenient(e);
    return v && v.sec === undefined ? v.v : undefined;
  }

  private lenient(e: Expr): Val | undefined {
    try {
      return evaluate(e, this.env);
    } catch (err) {
      if (err instanceof AsmError) return undefined;
      throw err;
    }
  }

  private readonly env: Env = {
    symbol: (name, col) => {
      if (isRegisterName(name)) throw new AsmError(`register '${name}' cannot be used in an expression`, col);
      const v = this.symbols.get(name)?.val;
      if (v === undefined && this.strict) throw new AsmError(`'${name}' is not defined at this point`, col);
      return v;
    },
    dot: () => ({ v: this.cur.offset, sec: this.cur.name }),
  };
}
