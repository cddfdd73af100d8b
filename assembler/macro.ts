/**
 * Macros: binding call arguments to parameters and substituting them into
 * the body text. Substitution is textual, GNU as style, and happens before
 * a body line is parsed, so an argument may be any text (a register, an
 * expression, a mnemonic). In the body:
 *   \name  the argument of parameter `name` (only names that are parameters;
 *          any other backslash sequence, like `\n` in a string, is left alone)
 *   \@     a counter that is different in every macro expansion of the run
 *   \()    nothing: separates a parameter from following text (`\p\()x`)
 */
import type { MacroParam } from './ast.ts';
import { AsmError, type SrcLine } from './diagnostics.ts';

export interface MacroDef {
  readonly name: string;
  readonly params: readonly MacroParam[];
  readonly body: readonly SrcLine[];
}

export interface MacroArg {
  readonly text: string;
  readonly col: number;
}

/** Splits at commas outside parentheses, strings and character literals. */
export function splitArgs(text: string, col: number): MacroArg[] {
  if (text.trim() === '') return [];
  const args: MacroArg[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (i === text.length || (c === ',' && depth === 0)) {
      args.push(trimmedArg(text.slice(start, i), col + start));
      start = i + 1;
    }
  }
  return args;
}

function trimmedArg(raw: string, col: number): MacroArg {
  const lead = raw.length - raw.trimStart().length;
  return { text: raw.trim(), col: col + lead };
}

const KEYWORD = /^([A-Za-z_$][\w$]*)\s*=(?!=)\s*(.*)$/s;

/** Parameter name -> argument text; positional arguments fill the parameters not named. */
export function bindArgs(def: MacroDef, args: readonly MacroArg[], callCol: number): Map<string, string> {
  const values = new Map<string, string>();
  const positional: MacroArg[] = [];
  for (const a of args) {
    const kw = KEYWORD.exec(a.text);
    if (kw && def.params.some((p) => p.name === kw[1])) values.set(kw[1]!, kw[2]!);
    else positional.push(a);
  }
  const open = def.params.filter((p) => !values.has(p.name));
  if (positional.length > open.length) {
    throw new AsmError(`macro '${def.name}' takes ${def.params.length} argument${def.params.length === 1 ? '' : 's'}, got ${args.length}`, positional[open.length]!.col);
  }
  open.forEach((p, i) => {
    const given = positional[i]?.text;
    const v = given === undefined || given === '' ? p.def : given;
    if (v === undefined) throw new AsmError(`macro '${def.name}' needs a value for parameter '${p.name}'`, callCol);
    values.set(p.name, v);
  });
  return values;
}

/** A parameter, `\@` (the expansion counter) or `\()` (nothing) in a macro body; editors' grammars use it too. */
export const MACRO_ESCAPE = /\\(@|\(\)|[A-Za-z_$][\w$]*)/g;

/** The body line with parameters, `\@` and `\()` replaced. */
export function substitute(line: string, values: ReadonlyMap<string, string>, counter: number): string {
  if (!line.includes('\\')) return line;
  return line.replace(MACRO_ESCAPE, (whole, name: string) => {
    if (name === '@') return String(counter);
    if (name === '()') return '';
    return values.get(name) ?? whole;
  });
}
