/**
 * The streaming first stage: reads files, follows .include, collects and
 * expands .macro and .rept bodies, and drops the untaken branches of
 * .if/.ifdef/.ifndef/.elseif/.else/.endif. Every line that survives goes, in
 * order, to the pass-1 sink (layout.ts). Because pass 1 runs in step, `.if`
 * and `.rept` see every symbol defined above them.
 *
 * A "unit" is a run of lines processed with one block state: a file, one
 * macro expansion, one .rept iteration. Blocks must close in the unit that
 * opened them. While a block is being collected or skipped, lines are not
 * parsed, only scanned for the directives that nest (headDirective), so a
 * macro body may hold text that only parses after substitution.
 */
import type { DirStmt, Expr, InstrStmt, MacroStmt, ParsedLine, Stmt } from './ast.ts';
import { AsmError, type Diagnostics, type Expansion, type SrcLine } from './diagnostics.ts';
import { ExpansionBudget, checkLine } from './limits.ts';
import { bindArgs, splitArgs, substitute, type MacroDef } from './macro.ts';
import type { LineParser } from './parse.ts';
import { SourceFiles } from './sources.ts';

export interface Pass1Sink {
  /** A line for layout: labels and/or a statement the preprocessor does not handle itself. */
  line(src: SrcLine, parsed: ParsedLine): void;
  /** The value of a `.if` / `.rept` expression, which must be known at this point. */
  evalNow(e: Expr, what: string): number;
  /** `.ifdef`: is the symbol defined at this point? */
  isDefined(name: string): boolean;
}

export interface PreprocessOptions {
  readonly readFile: (path: string) => string;
  readonly includeDirs: readonly string[];
}

const MAX_DEPTH = 64;

const HEAD = /^\s*(?:(?:[A-Za-z_$.][\w.$]*|\d+)\s*:\s*)*(\.[A-Za-z_][\w.$]*)/;

/** The directive a line starts with (after any labels), lower case; how blocks find their ends. */
export function headDirective(text: string): string | undefined {
  return HEAD.exec(text)?.[1]?.toLowerCase();
}

interface Collecting {
  readonly kind: '.macro' | '.rept';
  readonly src: SrcLine;
  /** Diagnostics.seq of the opening line, where "unterminated" sorts. */
  readonly seq: number;
  readonly col: number;
  readonly body: SrcLine[];
  depth: number;
  readonly finish: (body: SrcLine[]) => void;
}

interface Cond {
  readonly src: SrcLine;
  readonly seq: number;
  readonly col: number;
  /** The current branch is being assembled. */
  active: boolean;
  /** Some branch has been taken (so later .elseif/.else are not). */
  taken: boolean;
  sawElse: boolean;
  /** The whole .if sits in skipped text: no branch is ever active. */
  readonly dead: boolean;
}

const OPENERS: Readonly<Record<string, '.macro' | '.rept'>> = { '.macro': '.macro', '.rept': '.rept' };
const CLOSER = { '.macro': '.endm', '.rept': '.endr' } as const;
const IFS = new Set(['.if', '.ifdef', '.ifndef']);

/** The directives this pass handles itself (the rest reach layout, directives.ts); editors' grammars list them. */
export const PREPROCESSOR_DIRECTIVES = ['.include', '.rept', '.if', '.ifdef', '.ifndef', '.elseif', '.else', '.endif', '.macro', '.endm', '.endr'] as const;
type PreDirective = (typeof PREPROCESSOR_DIRECTIVES)[number];
type PreHandler = (unit: Unit, src: SrcLine, s: DirStmt) => void;

/** Block state of one unit. */
class Unit {
  collecting: Collecting | undefined;
  readonly conds: Cond[] = [];

  get skipping(): boolean {
    return this.conds.length > 0 && !this.conds[this.conds.length - 1]!.active;
  }
}

export class Preprocessor {
  private readonly sources: SourceFiles;
  private readonly macros = new Map<string, MacroDef>();
  private expansions = 0;
  private linesSeen = 0;
  private readonly budget = new ExpansionBudget();

  constructor(
    opts: PreprocessOptions,
    private readonly parser: LineParser,
    private readonly diags: Diagnostics,
    private readonly sink: Pass1Sink,
  ) {
    this.sources = new SourceFiles(opts.readFile, opts.includeDirs);
  }

  /** Source files in the order first read; the image's file table. */
  get fileList(): readonly string[] {
    return this.sources.list;
  }

  runSource(text: string, file: string): void {
    this.runUnit(this.sources.lines(text, file, undefined));
  }

  private runUnit(lines: readonly SrcLine[]): void {
    const unit = new Unit();
    for (const src of lines) {
      this.diags.seq = ++this.linesSeen;
      this.diags.guard(src, () => { this.budget.chargeLines(1); this.processLine(unit, src); });
    }
    this.closeUnit(unit);
  }

  /** Blocks still open when a unit ends are errors at the line that opened them. */
  private closeUnit(unit: Unit): void {
    const c = unit.collecting;
    if (c) {
      this.diags.seq = c.seq;
      this.diags.error(c.src, c.col, `unterminated '${c.kind}' (missing '${CLOSER[c.kind]}')`);
    }
    for (const cond of unit.conds) {
      this.diags.seq = cond.seq;
      this.diags.error(cond.src, cond.col, "unterminated conditional (missing '.endif')");
    }
  }

  private processLine(unit: Unit, src: SrcLine): void {
    if (unit.collecting) return this.collect(unit, unit.collecting, src);
    if (unit.skipping) return this.skip(unit, src);
    checkLine(src.text);
    const r = this.parser.parse(src.text);
    if (r.ok) return this.statement(unit, src, r.line);
    const call = r.fallback?.stmt;
    if (call?.k === 'instr' && this.macros.has(call.name.toLowerCase())) return this.statement(unit, src, r.fallback!);
    throw new AsmError(r.message, r.col);
  }

  private collect(unit: Unit, c: Collecting, src: SrcLine): void {
    const head = headDirective(src.text);
    if (head !== undefined && OPENERS[head] === c.kind) c.depth++;
    if (head === CLOSER[c.kind] && c.depth-- === 0) {
      unit.collecting = undefined;
      c.finish(c.body);
      return;
    }
    c.body.push(src);
  }

  /** Inside an untaken branch: only nesting and this .if's own .elseif/.else/.endif matter. */
  private skip(unit: Unit, src: SrcLine): void {
    const head = headDirective(src.text);
    if (head === undefined) return;
    const top = unit.conds[unit.conds.length - 1]!;
    if (IFS.has(head)) unit.conds.push({ src, seq: this.diags.seq, col: 1, active: false, taken: true, sawElse: false, dead: true });
    else if (head === '.endif') unit.conds.pop();
    else if (!top.dead && (head === '.else' || head === '.elseif')) this.statement(unit, src, this.parseOrThrow(src));
  }

  private parseOrThrow(src: SrcLine): ParsedLine {
    checkLine(src.text);
    const r = this.parser.parse(src.text);
    if (!r.ok) throw new AsmError(r.message, r.col);
    return r.line;
  }

  /** A line's labels always go to pass 1; its statement too, unless the preprocessor handles it. */
  private statement(unit: Unit, src: SrcLine, parsed: ParsedLine): void {
    const work = parsed.stmt && this.ownWork(unit, src, parsed.stmt);
    if (!work) return this.sink.line(src, parsed);
    if (parsed.labels.length) this.sink.line(src, { labels: parsed.labels, stmt: undefined });
    work();
  }

  private ownWork(unit: Unit, src: SrcLine, s: Stmt): (() => void) | undefined {
    switch (s.k) {
      case 'macro': return () => this.defineMacro(unit, src, s);
      case 'instr': return this.macros.has(s.name.toLowerCase()) ? () => this.callMacro(src, s) : undefined;
      case 'dir': {
        const h = (this.directives as Readonly<Partial<Record<string, PreHandler>>>)[s.name];
        return h && (() => h(unit, src, s));
      }
      default: return undefined;
    }
  }

  private readonly directives: Readonly<Record<PreDirective, PreHandler>> = {
    '.include': (_u, src, s) => this.include(src, s),
    '.rept': (u, src, s) => this.rept(u, src, s),
    '.if': (u, src, s) => this.openIf(u, src, s.col, () => this.sink.evalNow(oneExpr(s), "'.if'") !== 0),
    '.ifdef': (u, src, s) => this.openIf(u, src, s.col, () => this.sink.isDefined(symbolName(s))),
    '.ifndef': (u, src, s) => this.openIf(u, src, s.col, () => !this.sink.isDefined(symbolName(s))),
    '.elseif': (u, _src, s) => this.elseBranch(u, s, () => this.sink.evalNow(oneExpr(s), "'.elseif'") !== 0),
    '.else': (u, _src, s) => this.elseBranch(u, s, undefined),
    '.endif': (u, _src, s) => this.endIf(u, s),
    '.macro': (_u, _src, s) => { throw new AsmError("'.macro' needs a name: .macro name [param[=default], ...]", s.col); },
    '.endm': (_u, _src, s) => { throw new AsmError("'.endm' without '.macro'", s.col); },
    '.endr': (_u, _src, s) => { throw new AsmError("'.endr' without '.rept'", s.col); },
  };

  /** The .if is pushed before its condition is evaluated, so a bad condition skips the block instead of orphaning its .endif. */
  private openIf(unit: Unit, src: SrcLine, col: number, cond: () => boolean): void {
    const c: Cond = { src, seq: this.diags.seq, col, active: false, taken: true, sawElse: false, dead: false };
    unit.conds.push(c);
    c.active = c.taken = cond();
  }

  private elseBranch(unit: Unit, s: DirStmt, cond: (() => boolean) | undefined): void {
    const top = unit.conds[unit.conds.length - 1];
    if (!top) throw new AsmError(`'${s.name}' without '.if'`, s.col);
    if (top.sawElse) throw new AsmError(`'${s.name}' after '.else'`, s.col);
    if (cond === undefined) top.sawElse = true;
    const take = !top.taken && (cond === undefined || cond());
    top.active = take;
    top.taken ||= take;
  }

  private endIf(unit: Unit, s: DirStmt): void {
    if (!unit.conds.pop()) throw new AsmError("'.endif' without '.if'", s.col);
  }

  // Both block openers start collecting before anything can throw, so an
  // error in the opener drops the body instead of assembling it.

  private defineMacro(unit: Unit, src: SrcLine, s: MacroStmt): void {
    const key = s.name.toLowerCase();
    const duplicate = this.macros.has(key);
    unit.collecting = {
      kind: '.macro', src, seq: this.diags.seq, col: s.col, body: [], depth: 0,
      finish: (body) => { if (!duplicate) this.macros.set(key, { name: s.name, params: s.params, body }); },
    };
    if (duplicate) throw new AsmError(`macro '${s.name}' is already defined`, s.col);
  }

  private rept(unit: Unit, src: SrcLine, s: DirStmt): void {
    let count = 0;
    unit.collecting = {
      kind: '.rept', src, seq: this.diags.seq, col: s.col, body: [], depth: 0,
      finish: (body) => this.repeat(src, s, count, body),
    };
    const n = this.sink.evalNow(oneExpr(s), "'.rept' count");
    if (n < 0) throw new AsmError(`'.rept' count ${n} is negative`, s.ops[0]!.col);
    count = n;
  }

  /** The whole expansion is checked against the budget first, so a huge count fails at once (an empty iteration costs a line). */
  private repeat(src: SrcLine, s: DirStmt, count: number, body: readonly SrcLine[]): void {
    this.diags.guard(src, () => {
      this.budget.assertRoom(count * Math.max(1, body.length), s.ops[0]?.col ?? s.col);
      for (let i = 0; i < count; i++) {
        if (body.length === 0) this.budget.chargeLines(1);
        else this.runUnit(body);
      }
    });
  }

  private callMacro(src: SrcLine, s: InstrStmt): void {
    const def = this.macros.get(s.name.toLowerCase())!;
    if (depthOf(src.context) >= MAX_DEPTH) throw new AsmError(`macro expansion nested more than ${MAX_DEPTH} deep (recursive macro '${def.name}'?)`, s.col);
    const values = bindArgs(def, splitArgs(s.argsText, s.argsCol), s.col);
    const counter = this.expansions++;
    const context: Expansion = { kind: 'macro', name: def.name, site: src, col: s.col };
    const lines = def.body.map((b) => ({ ...b, text: substitute(b.text, values, counter), context }));
    for (const l of lines) this.budget.chargeBytes(l.text.length, s.col);
    this.runUnit(lines);
  }

  private include(src: SrcLine, s: DirStmt): void {
    const op = s.ops[0];
    if (s.ops.length !== 1 || op?.k !== 'str') throw new AsmError("'.include' takes one string: .include \"file\"", op?.col ?? s.col);
    const name = new TextDecoder().decode(new Uint8Array(op.bytes));
    if (depthOf(src.context) >= MAX_DEPTH) throw new AsmError(`includes nested more than ${MAX_DEPTH} deep (does a file include itself?)`, s.col);
    const found = this.sources.findInclude(name, src.file, op.col);
    if (!found) throw new AsmError(`include file '${name}' not found (searched: ${this.sources.candidates(name, src.file).join(', ')})`, op.col);
    this.runUnit(this.sources.lines(found.text, found.path, { kind: 'include', name, site: src, col: s.col }));
  }
}

function depthOf(ctx: Expansion | undefined): number {
  let n = 0;
  for (let c = ctx; c; c = c.site.context) n++;
  return n;
}

function oneExpr(s: DirStmt): Expr {
  const op = s.ops[0];
  if (s.ops.length !== 1 || op?.k !== 'expr') throw new AsmError(`'${s.name}' takes one expression`, op?.col ?? s.col);
  return op.e;
}

function symbolName(s: DirStmt): string {
  const e = oneExpr(s);
  if (e.k !== 'sym') throw new AsmError(`'${s.name}' takes a symbol name`, e.col);
  return e.name;
}
