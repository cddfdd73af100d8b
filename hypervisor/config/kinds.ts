/**
 * The kinds of configuration values (integer in a range, duration, size,
 * name from a registry, ...). Each kind knows how to read a value from a
 * JSON document and from command-line text, why a typed value is out of
 * range, and how the docs and the JSON Schema describe it; the field table
 * (fields.ts) gives every field a kind, so each range is written once.
 */
import { PAGE_SIZE, MAX_VM_MEMORY } from '../../isa/memory.ts';
import { ConfigError, formatSize, parseBytes, parseDuration, show } from './units.ts';

export type Read<T> = { value: T; problem?: undefined } | { value?: undefined; problem: string };

export interface Kind<T> {
  /** The "type / unit" column of the docs. */
  readonly type: string;
  /** Its JSON Schema. */
  readonly schema: Record<string, unknown>;
  /** A value from a JSON document. */
  fromJson(v: unknown): Read<T>;
  /** A value from command-line text (a flag, or a --vm spec field). */
  fromText(s: string): Read<T>;
  /** Why a typed value (from either, or from a program) is invalid, or undefined. */
  problem(v: unknown): string | undefined;
}

const ok = <T>(value: T): Read<T> => ({ value });
const bad = <T>(problem: string): Read<T> => ({ problem });
/** A reader that accepts what `problem` accepts. */
const checked = <T>(problem: (v: unknown) => string | undefined, v: T): Read<T> => {
  const p = problem(v);
  return p === undefined ? ok(v) : bad(p);
};

function intProblem(v: unknown, min: number, max: number): string | undefined {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    const what = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`;
    return `must be ${what}, got ${show(v)}`;
  }
  if (v > max) return `must be at most ${max}, got ${show(v)}`;
  return undefined;
}

/** An integer in min..max; text is decimal digits (a leading minus reads, to be refused with the range). */
export function int(min: number, max: number): Kind<number> {
  const problem = (v: unknown): string | undefined => intProblem(v, min, max);
  return {
    type: max === Number.MAX_SAFE_INTEGER ? `integer, ≥ ${min}` : `integer, ${min}..${max === 0xffff_ffff ? '2^32-1' : max}`,
    schema: { type: 'integer', minimum: min, maximum: max },
    fromJson: (v) => checked(problem, v as number),
    fromText: (s) => (/^-?\d+$/.test(s) ? checked(problem, Number(s)) : bad(`${problem(s) ?? 'must be an integer'}`)),
    problem,
  };
}

/** A duration in cycles of at least `min` (units.ts); JSON may give cycles as a plain number. */
export function duration(min: 0 | 1): Kind<number> {
  const problem = (v: unknown): string | undefined => intProblem(v, min, Number.MAX_SAFE_INTEGER);
  const read = (v: string | number): Read<number> => {
    try {
      const cycles = parseDuration(v, '');
      return cycles < min ? bad(`must be at least 1 cycle, got ${show(v)}`) : ok(cycles);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return bad(e.message.slice(2));
    }
  };
  return {
    type: min === 0 ? 'duration, may be 0' : 'duration',
    schema: { oneOf: [{ type: 'string', pattern: '^\\s*(\\d+(\\.\\d*)?|\\.\\d+)\\s*(cycles?|ns|us|ms|s)\\s*$' }, { type: 'integer', minimum: min }] },
    fromJson: (v) => (typeof v === 'string' || typeof v === 'number'
      ? read(v) : bad(`expected a duration like 10ms, 500us or 1000cycles, got ${show(v)}`)),
    fromText: read,
    problem,
  };
}

/** Why `bytes` is not a valid guest memory size, or undefined. */
function memoryProblem(bytes: unknown): string | undefined {
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes <= 0 || bytes % PAGE_SIZE !== 0) {
    return `must be a positive multiple of the page size (${PAGE_SIZE} bytes)`;
  }
  if (bytes > MAX_VM_MEMORY) return `must be at most ${formatSize(MAX_VM_MEMORY)} (the largest VM memory)`;
  return undefined;
}

/** A guest memory size in bytes: a positive multiple of the page size, at most MAX_VM_MEMORY. */
export function memorySize(): Kind<number> {
  const read = (v: string | number): Read<number> => {
    let bytes: number;
    try {
      bytes = parseBytes(v, '');
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return bad(e.message.slice(2));
    }
    const p = memoryProblem(bytes);
    return p ? bad(`${p}, got ${show(v)}`) : ok(bytes);
  };
  return {
    type: 'size',
    schema: { oneOf: [{ type: 'string', pattern: '^\\s*(\\d+(\\.\\d*)?|\\.\\d+)\\s*([kKmMgG](i?[bB])?|[bB])?\\s*$' }, { type: 'integer', minimum: PAGE_SIZE, maximum: MAX_VM_MEMORY, multipleOf: PAGE_SIZE }] },
    fromJson: (v) => (typeof v === 'string' || typeof v === 'number' ? read(v) : bad(`expected a size like 1M, 64K or 4096, got ${show(v)}`)),
    fromText: read,
    problem: (v) => { const p = memoryProblem(v); return p && `${p}, got ${show(v)}`; },
  };
}

/** A guest memory size from a file or a flag, checked; a ConfigError names `what` otherwise. */
export function parseSize(v: string | number, what: string): number {
  const r = memorySize().fromJson(v);
  if (r.problem !== undefined) throw new ConfigError(`${what}: ${r.problem}`);
  return r.value;
}

/** A non-empty string (a label, a path). */
export function text(what = 'string'): Kind<string> {
  const problem = (v: unknown): string | undefined =>
    (typeof v === 'string' && v.trim() !== '' ? undefined : `must be a non-empty ${what}, got ${show(v)}`);
  return {
    type: `non-empty ${what}`,
    schema: { type: 'string', minLength: 1 },
    fromJson: (v) => checked(problem, v as string),
    fromText: (s) => (s.trim() === '' ? bad('must not be empty') : ok(s)),
    problem,
  };
}

/** One of a registry's names (own keys only: 'toString' is no policy). */
export function choice<N extends string>(names: readonly N[], what: string): Kind<N> {
  const problem = (v: unknown): string | undefined => {
    if (typeof v === 'string' && (names as readonly string[]).includes(v)) return undefined;
    return typeof v === 'string' && v.trim() !== ''
      ? `unknown ${what} ${show(v)} (known: ${names.join(', ')})`
      : `must be one of ${names.join(', ')}, got ${show(v)}`;
  };
  return {
    type: names.map((n) => `\`${n}\``).join(' \\| '),
    schema: { enum: [...names] },
    fromJson: (v) => checked(problem, v as N),
    fromText: (s) => checked(problem, s as N),
    problem,
  };
}

/** A percentage greater than 0 (VmConfig.cap: 100 = one whole PCPU); text may end in %. */
export function percent(): Kind<number> {
  const problem = (v: unknown): string | undefined =>
    (typeof v === 'number' && v > 0 && Number.isFinite(v) ? undefined : `must be a percentage greater than 0 (100 = one whole PCPU), got ${show(v)}`);
  return {
    type: 'number, percent, (0, 100 × pcpus]',
    schema: { type: 'number', exclusiveMinimum: 0 },
    fromJson: (v) => checked(problem, v as number),
    fromText: (s) => {
      const m = /^(\d+(?:\.\d*)?|\.\d+)%?$/.exec(s);
      return m ? checked(problem, Number(m[1])) : bad(problem(s)!);
    },
    problem,
  };
}

const SYMBOL_RE = /^(?:[A-Za-z_$][A-Za-z0-9_.$]*|\.[A-Za-z0-9_.$]+)$/;
const ADDRESS_RE = /^(?:0x[0-9a-f]+|\d+)$/i;

/** An entry point: an address (number, or hex/decimal text), or a symbol of the VM's first image. */
export function entry(): Kind<number | string> {
  const problem = (v: unknown): string | undefined => {
    if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff ? undefined : `must be an address in 0..0xffffffff, got ${show(v)}`;
    return typeof v === 'string' && SYMBOL_RE.test(v) ? undefined : `must be an address or a symbol name, got ${show(v)}`;
  };
  const fromText = (s: string): Read<number | string> => {
    if (ADDRESS_RE.test(s)) return Number(s) > 0xffff_ffff ? bad(`address must be at most 0xffffffff, got ${show(s)}`) : ok(Number(s));
    return SYMBOL_RE.test(s) ? ok(s) : bad(`expected an address (0x80000000) or a symbol name, got ${show(s)}`);
  };
  return {
    type: 'address or symbol',
    schema: { oneOf: [{ type: 'integer', minimum: 0, maximum: 0xffff_ffff }, { type: 'string', minLength: 1 }] },
    fromJson: (v) => (typeof v === 'string' ? fromText(v) : checked(problem, v as number)),
    fromText,
    problem,
  };
}

/** Per VCPU, the PCPU it must run on or null (text: `0:-:1`, - or * = any). Bounds against pcpus are the validator's. */
export function pin(maxPcpus: number): Kind<(number | null)[]> {
  const slot = (p: unknown): string | undefined => (p === null ? undefined : intProblem(p, 0, maxPcpus - 1));
  const problem = (v: unknown): string | undefined => {
    if (!Array.isArray(v)) return `must be an array of PCPU indexes or null, got ${show(v)}`;
    const i = v.findIndex((p) => slot(p) !== undefined);
    return i < 0 ? undefined : `[${i}]: ${slot(v[i])} (a PCPU index, or null for any)`;
  };
  return {
    type: 'array of PCPU index or `null`',
    schema: { type: 'array', items: { oneOf: [{ type: 'integer', minimum: 0, maximum: maxPcpus - 1 }, { type: 'null' }] } },
    fromJson: (v) => checked(problem, v as (number | null)[]),
    fromText: (s) => {
      const parts = s.split(':').map((p) => p.trim());
      if (parts.some((p) => p !== '-' && p !== '*' && !/^\d+$/.test(p))) {
        return bad(`expected PCPU indexes separated by ':' (- or * for unpinned), got ${show(s)}`);
      }
      return ok(parts.map((p) => (p === '-' || p === '*' ? null : Number(p))));
    },
    problem,
  };
}

/** An array of non-empty paths (a VM's extra modules). */
export function paths(): Kind<string[]> {
  const problem = (v: unknown): string | undefined => {
    if (!Array.isArray(v)) return `must be an array of image paths, got ${show(v)}`;
    const i = v.findIndex((p) => typeof p !== 'string' || p.trim() === '');
    return i < 0 ? undefined : `[${i}]: must be a non-empty string, got ${show(v[i])}`;
  };
  return {
    type: 'array of paths',
    schema: { type: 'array', items: { type: 'string', minLength: 1 } },
    fromJson: (v) => checked(problem, v as string[]),
    fromText: (s) => (s.trim() === '' ? bad('must not be empty') : ok([s])),
    problem,
  };
}
