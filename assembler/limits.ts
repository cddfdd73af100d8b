/**
 * The assembler's resource limits, each checked where its input first
 * appears and reported there as a `file:line:col: error:` naming the limit
 * (as GNU as and LLVM-MC do for nesting depth), so no source file, however
 * small or hostile, costs more than bounded time and memory. Callers:
 * preprocess.ts (lines, expansion work, includes) and sources.ts (files);
 * checkLine runs on every line before the grammar sees it, because ohm's
 * matching recurses per nesting level and keeps a memo entry per character.
 */
import { LimitExceeded } from './diagnostics.ts';

export { LimitExceeded };

export const LIMITS = {
  /** Bytes in one source line, after macro substitution (a line costs ohm about 1 KB of memory a byte). */
  lineBytes: 16_384,
  /** Parentheses and unary operators nested in one expression (the grammar and the tree recurse per level). */
  nesting: 64,
  /** Lines processed in one run, counting every macro and .rept expansion (and an empty .rept iteration as one). */
  lines: 4_000_000,
  /** Bytes of text produced by macro substitution in one run. */
  expandedBytes: 64 << 20,
  /** Bytes of one source or include file (regular files only). */
  fileBytes: 64 << 20,
} as const;

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Index of the closing quote of the string or character literal that opens at i (or the line's end). */
function skipQuoted(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === q) return j;
  }
  return text.length;
}

const UNARY = new Set(['-', '+', '~', '!']);

/**
 * Length, then nesting: parentheses open plus the current run of operator
 * characters (a run of `-`, `+`, `~`, `!` is a chain of unary operators;
 * a binary operator followed by a unary one counts two, which errs on the
 * safe side). Strings, character literals and comments are skipped.
 */
export function checkLine(text: string): void {
  if (text.length > LIMITS.lineBytes) {
    throw new LimitExceeded(`line is ${fmt(text.length)} characters long, over the assembler's limit of ${fmt(LIMITS.lineBytes)} (split it: a long .ascii into several)`, LIMITS.lineBytes + 1);
  }
  let parens = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") { i = skipQuoted(text, i); run = 0; continue; }
    if (c === '#' || c === ';' || (c === '/' && text[i + 1] === '/')) return;
    if (c === ' ' || c === '\t') continue;
    if (c === '(') parens++;
    else if (c === ')') parens = Math.max(0, parens - 1);
    run = UNARY.has(c) ? run + 1 : 0;
    if (parens + run > LIMITS.nesting) {
      throw new LimitExceeded(`expression nested more than ${LIMITS.nesting} deep (parentheses and unary operators)`, i + 1);
    }
  }
}

/** The run's budget of processed lines and expanded text. */
export class ExpansionBudget {
  private lines = 0;
  private bytes = 0;

  /** Charge n lines (a .rept iteration of an empty body counts one). */
  chargeLines(n: number): void {
    this.lines += n;
    if (this.lines > LIMITS.lines) {
      throw new LimitExceeded(`more than ${fmt(LIMITS.lines)} lines after macro and .rept expansion (the assembler's limit; runaway .rept or recursive macro?)`);
    }
  }

  /** Would `n` more lines pass the limit? (.rept checks its whole expansion before starting it.) */
  assertRoom(n: number, col: number): void {
    if (this.lines + n > LIMITS.lines) {
      throw new LimitExceeded(`'.rept' would expand to ${fmt(n)} more lines, over the assembler's limit of ${fmt(LIMITS.lines)} lines after expansion`, col);
    }
  }

  chargeBytes(n: number, col: number): void {
    this.bytes += n;
    if (this.bytes > LIMITS.expandedBytes) {
      throw new LimitExceeded(`macro expansion produced more than ${fmt(LIMITS.expandedBytes)} bytes of text (the assembler's limit)`, col);
    }
  }
}
