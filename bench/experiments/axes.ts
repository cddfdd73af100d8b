/**
 * A sweep's parameters as axes: each experiment declares its axes in one
 * table (kind, flag, doc), and its parameters come from a named preset,
 * then a JSON sweep file, then command-line flags, each overriding the
 * last. So `--seeds 20` or `--cpus 1-8` needs no code change, and a new
 * axis is one more entry in the table. Every malformed value is one
 * SweepInputError naming the field. Callers: engine.ts, the command line.
 */
import { readFileSync } from 'node:fs';

/**
 * ints: a list of integers ("2,3,4", "1-8", [2, 3, 4]); seeds: the same, or
 * a count N meaning seeds 1..N; names: a list from `choices`; number: one
 * number; boolean: true or false.
 */
export type AxisKind = 'ints' | 'seeds' | 'names' | 'number' | 'boolean';

export interface Axis {
  readonly kind: AxisKind;
  /** The command-line flag (without --); axes without one are set in a sweep file. */
  readonly flag?: string;
  /** names: the values allowed; ints: when given, the only values allowed. */
  readonly choices?: readonly (string | number)[];
  /** ints, seeds, number: the smallest value allowed. */
  readonly min?: number;
  readonly doc: string;
}

export type AxisValue = number | boolean | number[] | string[];
/** A sweep's parameters: one value per axis, in the axis table's order. */
export type Params = Record<string, AxisValue>;
export type Axes = Readonly<Record<string, Axis>>;

/** Bad input (a sweep file, a flag, a shard spec): the message is one line and names the field. */
export class SweepInputError extends Error {}

const fail = (where: string, want: string, got: unknown): never => {
  throw new SweepInputError(`${where}: expected ${want}, got ${JSON.stringify(got) ?? String(got)}`);
};

const WANT: Record<AxisKind, string> = {
  ints: 'integers such as 2,3,4 or 1-8',
  seeds: 'a seed count N (seeds 1..N) or seeds such as 1,5,9 or 1-20',
  names: 'names separated by commas',
  number: 'a number',
  boolean: 'true or false',
};

/** "2,4-6" -> [2, 4, 5, 6]; undefined when malformed. */
function intList(text: string): number[] | undefined {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return undefined;
    const [a, b] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (b < a || b - a > 100_000) return undefined;
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

function checkInts(axis: Axis, where: string, xs: number[]): number[] {
  if (xs.length === 0) fail(where, WANT[axis.kind], xs);
  for (const x of xs) {
    if (!Number.isSafeInteger(x) || x < (axis.min ?? 0)) fail(where, `integers of at least ${axis.min ?? 0}`, x);
    if (axis.choices && !axis.choices.includes(x)) fail(where, `values among ${axis.choices.join(', ')}`, x);
  }
  if (new Set(xs).size !== xs.length) fail(where, 'no value twice', xs);
  return xs;
}

function checkNames(axis: Axis, where: string, xs: string[]): string[] {
  if (xs.length === 0 || new Set(xs).size !== xs.length) fail(where, `distinct names among ${axis.choices?.join(', ')}`, xs);
  for (const x of xs) if (axis.choices && !axis.choices.includes(x)) fail(where, `names among ${axis.choices.join(', ')}`, x);
  return xs;
}

/** An axis value from a flag's text. */
export function fromText(axis: Axis, where: string, text: string): AxisValue {
  switch (axis.kind) {
    case 'seeds':
      if (/^\s*\d+\s*$/.test(text)) return fromJson(axis, where, Number(text));
      return checkInts(axis, where, intList(text) ?? fail(where, WANT.seeds, text));
    case 'ints': return checkInts(axis, where, intList(text) ?? fail(where, WANT.ints, text));
    case 'names': return checkNames(axis, where, text.split(',').map((s) => s.trim()));
    case 'number': return fromJson(axis, where, text.trim() === '' ? NaN : Number(text));
    case 'boolean': return text === 'true' ? true : text === 'false' ? false : fail(where, WANT.boolean, text);
  }
}

/** An axis value from a sweep file's JSON (the flag's text form is accepted too). */
export function fromJson(axis: Axis, where: string, v: unknown): AxisValue {
  if (typeof v === 'string' && axis.kind !== 'number' && axis.kind !== 'boolean') return fromText(axis, where, v);
  switch (axis.kind) {
    case 'seeds':
      if (typeof v === 'number') {
        if (!Number.isSafeInteger(v) || v < 1 || v > 100_000) fail(where, WANT.seeds, v);
        return Array.from({ length: v }, (_, i) => i + 1);
      }
      return checkInts(axis, where, Array.isArray(v) && v.every((x) => typeof x === 'number') ? v as number[] : fail(where, WANT.seeds, v));
    case 'ints': return checkInts(axis, where, Array.isArray(v) && v.every((x) => typeof x === 'number') ? v as number[] : fail(where, WANT.ints, v));
    case 'names': return checkNames(axis, where, Array.isArray(v) && v.every((x) => typeof x === 'string') ? v as string[] : fail(where, WANT.names, v));
    case 'number': return typeof v === 'number' && Number.isFinite(v) && v >= (axis.min ?? -Infinity) ? v : fail(where, axis.min === undefined ? WANT.number : `a number of at least ${axis.min}`, v);
    case 'boolean': return typeof v === 'boolean' ? v : fail(where, WANT.boolean, v);
  }
}

/** Fields a sweep file may hold beside the axes. */
export interface SweepFile { experiment?: string; preset?: string; values: Record<string, unknown> }

/** A sweep file, read and checked against the axes: unknown fields are errors. */
export function readSweepFile(path: string, axes: Axes, presets: readonly string[]): SweepFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new SweepInputError(`sweep file ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SweepInputError(`sweep file ${path}: expected a JSON object of axis values`);
  const { experiment, preset, ...values } = raw as Record<string, unknown>;
  for (const k of Object.keys(values)) {
    if (!Object.hasOwn(axes, k)) throw new SweepInputError(`sweep file ${path}: unknown field "${k}" (fields: experiment, preset, ${Object.keys(axes).join(', ')})`);
  }
  if (experiment !== undefined && typeof experiment !== 'string') fail(`sweep file ${path}: field "experiment"`, 'a name', experiment);
  if (preset !== undefined && !presets.includes(preset as string)) fail(`sweep file ${path}: field "preset"`, presets.join(' or '), preset);
  return { experiment: experiment as string | undefined, preset: preset as string | undefined, values };
}

/** The parameters: the preset, overridden by the sweep file's values, overridden by the flags' texts. */
export function resolveParams(axes: Axes, preset: Params, file: SweepFile | undefined, fileName: string, flags: Record<string, string | undefined>): Params {
  const out: Params = {};
  for (const [name, axis] of Object.entries(axes)) {
    let v = preset[name]!;
    if (file && Object.hasOwn(file.values, name)) v = fromJson(axis, `sweep file ${fileName}: field "${name}"`, file.values[name]);
    const text = axis.flag === undefined ? undefined : flags[axis.flag];
    if (text !== undefined) v = fromText(axis, `--${axis.flag}`, text);
    out[name] = v;
  }
  return out;
}

/** The parameters in one line, as the table's header and --list show them. */
export const formatParams = (p: Params): string =>
  Object.entries(p).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ');
