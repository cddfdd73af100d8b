/**
 * Reading a table of fields from one source (a JSON object, or text from
 * flags and --vm specs): each field's kind converts and checks its value,
 * and every problem is collected with its path, so one error lists them all.
 */
import type { Field } from './fields.ts';
import type { Read } from './kinds.ts';

/** Problems found so far, one line each (`where: path: problem`). */
export class Problems {
  readonly lines: string[] = [];
  constructor(private readonly where: string) {}

  /** A problem at `path`; a problem that starts with '[' names an element of it (pin[1]). */
  add(path: string, problem: string): void {
    const at = path === '' ? '' : problem.startsWith('[') ? path : `${path}: `;
    this.lines.push(`${this.where}${at}${problem}`);
  }
}

/** The value `read` gives, or undefined after adding its problem at `path`. */
export function take<T>(p: Problems, path: string, read: Read<T>): T | undefined {
  if (read.problem !== undefined) { p.add(path, read.problem); return undefined; }
  return read.value;
}

export type Table = Readonly<Record<string, Field<never> | Field<unknown>>>;

/** Keys of `obj` that `known` does not list, reported as unknown. */
export function unknownKeys(p: Problems, obj: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) p.add('', `${path}${JSON.stringify(k)}: unknown key (known: ${known.join(', ')})`);
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every field of `table` present in `obj`, read from JSON: [key, value] for the good ones. */
export function readJsonFields(p: Problems, obj: Record<string, unknown>, table: Table, prefix: string): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, field] of Object.entries(table)) {
    if (obj[key] === undefined) continue;
    const v = take(p, `${prefix}${key}`, (field.kind as Field<unknown>['kind']).fromJson(obj[key]));
    if (v !== undefined) out.push([key, v]);
  }
  return out;
}
