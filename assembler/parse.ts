/**
 * One source line -> ParsedLine (ast.ts), with grammar.ohm doing the
 * recognition. Lines are matched one at a time (ohm's memo table makes one
 * huge match slow), and matching is the expensive part (about 0.1-0.2 ms a
 * line), so it is cached twice per assembly run:
 *
 * - by exact line text, for the many identical lines of macro and .rept
 *   expansions;
 * - by a masked key (maskLine) that maps, say, `addi a0, t1, -123` and
 *   `addi s0, sp, -456` to the same template. The semantics (tree.ts)
 *   builds not a tree but a Build function that reads names and numbers
 *   from the real line at the matched positions, so one match serves every
 *   line with the same shape. Masking keeps lengths, so positions and
 *   columns carry over.
 *
 * Values are not checked here beyond what a literal itself can get wrong
 * (a number over 32 bits, an unknown escape).
 */
import type * as ohm from 'ohm-js';
import type { ParsedLine } from './ast.ts';
import { buildOf, matchLine, LiteralError, type Build } from './tree.ts';

export type ParseResult =
  | { readonly ok: true; readonly line: ParsedLine }
  /** fallback: the line read as a macro call with raw arguments, used only if the name is a macro. */
  | { readonly ok: false; readonly col: number; readonly message: string; readonly fallback: ParsedLine | undefined };

const WORD = /[A-Za-z0-9_.$]+/g;

/** Masks one word (see the file header); identity where exact characters matter. */
function maskWord(word: string, before: string | undefined): string {
  if (before === '%' || before === '\\' || word.toLowerCase() === '.macro') return word;
  const lead = word.charCodeAt(0);
  if (lead >= 48 && lead <= 57) {
    if (/^0[bBoO]/.test(word)) return word;
    return (lead === 48 ? '0' : '1') + word.slice(1).replace(/[0-9]/g, '0');
  }
  return word.replace(/[A-Za-z]/g, 'x').replace(/[0-9]/g, '0');
}

/** The template key of a line: same length, same parse shape (grammar.ohm's header says why). */
export function maskLine(text: string): string {
  return text.replace(WORD, (w, offset: number) => maskWord(w, offset > 0 ? text[offset - 1] : undefined));
}

/** A short "expected ..." from ohm's failure, with what the real line has there instead. */
function syntaxMessage(m: ohm.FailedMatchResult, text: string): string {
  const pos = m.getRightmostFailurePosition();
  const quote = text[pos];
  if ((quote === '"' || quote === "'") && !text.includes(quote, pos + 1)) return `missing terminating ${quote} character`;
  const found = pos >= text.length ? 'end of line' : `'${text[pos]}'`;
  // A failed lookahead (`~identChar`) means the token runs on where it must not.
  if (m.getExpectedText().startsWith('not ')) return `syntax error: unexpected ${found}`;
  const expected = m.getExpectedText().replace(/end of input/g, 'end of line').replace(/"([^"]+)"/g, "'$1'");
  return `syntax error: expected ${expected}, found ${found}`;
}

type Template =
  | { readonly ok: true; readonly build: Build<ParsedLine> }
  | { readonly ok: false; readonly failure: ohm.FailedMatchResult; readonly fallback: Build<ParsedLine> | undefined };

function makeTemplate(masked: string): Template {
  const m = matchLine(masked, 'Line');
  if (m.succeeded()) return { ok: true, build: buildOf(m) };
  const call = matchLine(masked, 'MacroCallLine');
  const fallback = call.succeeded() ? buildOf(call) : undefined;
  return { ok: false, failure: m as ohm.FailedMatchResult, fallback };
}

function instantiate(tpl: Template, text: string): ParseResult {
  try {
    if (tpl.ok) return { ok: true, line: tpl.build(text) };
    const col = tpl.failure.getRightmostFailurePosition() + 1;
    return { ok: false, col, message: syntaxMessage(tpl.failure, text), fallback: tpl.fallback?.(text) };
  } catch (e) {
    if (!(e instanceof LiteralError)) throw e;
    return { ok: false, col: e.col, message: e.message, fallback: undefined };
  }
}

/** Parses without any cache; for tests that check the caches change nothing. */
export function parseLineUncached(text: string): ParseResult {
  return instantiate(makeTemplate(text), text);
}

/** A line parser with its own caches; one per assembly run. */
export class LineParser {
  private readonly byText = new Map<string, ParseResult>();
  private readonly byMask = new Map<string, Template>();

  parse(text: string): ParseResult {
    let r = this.byText.get(text);
    if (r === undefined) {
      r = instantiate(this.template(maskLine(text)), text);
      this.byText.set(text, r);
    }
    return r;
  }

  private template(masked: string): Template {
    let tpl = this.byMask.get(masked);
    if (tpl === undefined) {
      tpl = makeTemplate(masked);
      this.byMask.set(masked, tpl);
    }
    return tpl;
  }
}
