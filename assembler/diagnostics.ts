/**
 * Diagnostics: where a line came from, how errors are collected, and the
 * gcc-style text they are printed as. Every stage reports through one
 * Diagnostics collector so that a run reports all its errors (up to a cap)
 * instead of stopping at the first; stages signal an error in the statement
 * they are working on by throwing AsmError, which the stage's statement loop
 * turns into a diagnostic before moving on to the next statement.
 */

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  severity: 'error' | 'warning' | 'note';
  message: string;
  sourceLine: string;
  notes?: Diagnostic[];
}

/** Why a line is being assembled: the .include or macro call that brought it in. */
export interface Expansion {
  readonly kind: 'include' | 'macro';
  readonly name: string;
  readonly site: SrcLine;
  readonly col: number;
}

/** One line as the assembler saw it: text after macro substitution, position in its file. */
export interface SrcLine {
  readonly file: string;
  /** Index into the image's file list (the order files were first read). */
  readonly fileIndex: number;
  readonly line: number;
  readonly text: string;
  readonly context: Expansion | undefined;
}

/** An error in the statement at hand; col 0 means "the whole line" (reported at column 1). */
export class AsmError extends Error {
  constructor(message: string, readonly col: number = 0, readonly notes: readonly Diagnostic[] = []) {
    super(message);
  }
}

/** Stops the run: index.ts returns what it has. */
export class StopRun extends Error {}

/** Thrown once the error cap is reached. */
export class TooManyErrors extends StopRun {}

/** A resource limit was reached (limits.ts): reported at the line that reached it, then the run stops. */
export class LimitExceeded extends AsmError {}

export const DEFAULT_MAX_ERRORS = 50;

export function diagnosticAt(src: SrcLine, col: number, severity: Diagnostic['severity'], message: string): Diagnostic {
  const d: Diagnostic = { file: src.file, line: src.line, col: Math.max(col, 1), severity, message, sourceLine: src.text };
  const notes = contextNotes(src.context);
  if (notes.length) d.notes = notes;
  return d;
}

/** GCC-style notes, innermost first: "in expansion of macro 'm'", "included from here". */
function contextNotes(ctx: Expansion | undefined): Diagnostic[] {
  const notes: Diagnostic[] = [];
  for (let c = ctx; c; c = c.site.context) {
    const message = c.kind === 'macro' ? `in expansion of macro '${c.name}'` : 'included from here';
    notes.push({ file: c.site.file, line: c.site.line, col: Math.max(c.col, 1), severity: 'note', message, sourceLine: c.site.text });
  }
  return notes;
}

export class Diagnostics {
  readonly list: Diagnostic[] = [];
  private readonly order: number[] = [];
  private errors = 0;
  /**
   * Position in reading order of the line being worked on: the preprocessor
   * numbers lines as it reads them, and pass 2 restores each line's number,
   * so that sorted() lists pass-1 and pass-2 errors in source order.
   */
  seq = 0;

  constructor(private readonly maxErrors: number) {}

  get errorCount(): number {
    return this.errors;
  }

  error(src: SrcLine, col: number, message: string, extraNotes: readonly Diagnostic[] = []): void {
    const d = diagnosticAt(src, col, 'error', message);
    if (extraNotes.length) d.notes = [...(d.notes ?? []), ...extraNotes];
    this.add(d);
  }

  private push(d: Diagnostic): void {
    this.list.push(d);
    this.order.push(this.seq);
  }

  /** The diagnostics in reading order of the lines they are about (stable within a line). */
  sorted(): Diagnostic[] {
    return this.list.map((d, i) => ({ d, seq: this.order[i]! })).sort((a, b) => a.seq - b.seq).map((x) => x.d);
  }

  /** Records an error; past the cap, records one last "too many errors" and stops the run. */
  add(d: Diagnostic): void {
    if (this.errors >= this.maxErrors) {
      const message = `too many errors (limit ${this.maxErrors}), stopping now`;
      this.seq = Number.MAX_SAFE_INTEGER;
      this.push({ file: d.file, line: d.line, col: d.col, severity: 'error', message, sourceLine: '' });
      throw new TooManyErrors();
    }
    this.errors++;
    this.push(d);
  }

  /**
   * Runs one statement's work, turning an AsmError into a diagnostic at src.
   * Any other exception is a bug in the assembler; it is still reported at
   * the line that caused it rather than as a stack trace.
   */
  guard(src: SrcLine, work: () => void): boolean {
    try {
      work();
      return true;
    } catch (e) {
      if (e instanceof StopRun) throw e;
      if (!(e instanceof AsmError)) {
        this.error(src, 0, `internal assembler error: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      }
      this.error(src, e.col, e.message, e.notes);
      if (e instanceof LimitExceeded) throw new StopRun();
      return false;
    }
  }
}

const ANSI = { bold: '\x1b[1m', red: '\x1b[1;31m', magenta: '\x1b[1;35m', cyan: '\x1b[1;36m', green: '\x1b[1;32m', reset: '\x1b[0m' } as const;
const SEVERITY_COLOR = { error: ANSI.red, warning: ANSI.magenta, note: ANSI.cyan } as const;

/** Spaces up to the column, keeping tabs so that the caret lines up under the source. */
function caretLine(sourceLine: string, col: number): string {
  const prefix = sourceLine.slice(0, Math.max(col - 1, 0)).replace(/[^\t]/g, ' ');
  return `${prefix}^`;
}

function formatOne(d: Diagnostic, color: boolean): string[] {
  const paint = (code: string, s: string) => (color ? `${code}${s}${ANSI.reset}` : s);
  const head = `${paint(ANSI.bold, `${d.file}:${d.line}:${d.col}:`)} ${paint(SEVERITY_COLOR[d.severity], `${d.severity}:`)} ${paint(ANSI.bold, d.message)}`;
  if (d.sourceLine === '') return [head];
  return [head, d.sourceLine, paint(ANSI.green, caretLine(d.sourceLine, d.col))];
}

/** `file:line:col: error: message`, the source line and a caret, then the notes; ends with a newline. */
export function formatDiagnostics(diags: readonly Diagnostic[], opts: { color?: boolean } = {}): string {
  const lines: string[] = [];
  for (const d of diags) {
    lines.push(...formatOne(d, Boolean(opts.color)));
    for (const n of d.notes ?? []) lines.push(...formatOne(n, Boolean(opts.color)));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
