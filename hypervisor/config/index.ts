/**
 * The machine configuration: what `paravm run` builds from a JSON file
 * (--config) and command-line flags, and what the Hypervisor runs. All times
 * are in cycles of virtual time (isa/clock.ts: 100 MHz, so 1 ms = 100,000
 * cycles); the parsers accept "10ms", "500us", "2s", "1000cycles".
 *
 * The types are the contract; parsing and validation follow below them.
 */
import { dirname, resolve } from 'node:path';
import { CLOCK_HZ, CYCLES_PER_MS, CYCLES_PER_US } from '../../isa/clock.ts';
import { DEFAULT_MEMORY_BYTES, MAX_VM_MEMORY, PAGE_SIZE } from '../../isa/memory.ts';
import { MAX_VCPUS } from '../../isa/hypercalls.ts';
import { NET_MAX_CLIENTS, NET_MAX_FILES } from '../../isa/net.ts';
import { netOptionProblems, type NetOptions } from './net.ts';

export { NET_DEFAULTS, netOptionProblems, type NetOptions } from './net.ts';

export interface VmConfig {
  /** Label in reports and console prefixes; default "vm<index>". */
  name: string;
  /** Image files (.img, or .s assembled on the fly): the first gives the entry point; the rest are modules loaded at their own addresses. */
  images: string[];
  /** Guest-physical memory in bytes (multiple of 4096). */
  memory: number;
  /** Number of VCPUs (1..MAX_VCPUS). VCPU 0 starts at the entry; the others wait for HC_VCPU_START. */
  vcpus: number;
  /** Entry point: an address, or a symbol of the first image; default the image's entry. */
  entry?: number | string;
  /** Proportional share (relative to the other VMs). */
  weight: number;
  /** Upper bound on the VM's CPU use, in percent of one PCPU (100 = one whole PCPU); undefined = none. */
  cap?: number;
  /** Per VCPU: the PCPU it must run on, or null for any. Shorter than vcpus = the rest unpinned. */
  pin?: (number | null)[];
  /** The paravirtual network device and its load generator (hypervisor/devices/net.ts); undefined = no device. */
  net?: NetOptions;
}

export interface MachineConfig {
  /** Simulated physical CPUs. */
  pcpus: number;
  /** Hypervisor time slice, in cycles. */
  slice: number;
  /** Simulation quantum: how long one PCPU runs before the next one is interleaved, in cycles. */
  quantum: number;
  /** Seed of every random choice the simulation makes (interleaving order). */
  seed: number;
  /** Virtual time to run, in cycles; undefined = until every VM has stopped. */
  time?: number;
  /** Scheduling policy name (hypervisor/sched/). */
  policy: string;
  /** Preemption strategy name (what happens at slice end; lock-holder preemption remedies plug in here). */
  preemption: string;
  /** Accounting period of caps, in cycles. */
  capPeriod: number;
  vms: VmConfig[];
}

export const DEFAULTS = {
  pcpus: 1,
  slice: 10 * CYCLES_PER_MS,
  quantum: 5 * CYCLES_PER_US,
  seed: 1,
  policy: 'stride',
  preemption: 'none',
  capPeriod: 30 * CYCLES_PER_MS,
  vm: { memory: DEFAULT_MEMORY_BYTES, vcpus: 1, weight: 256 },
} as const;

export class ConfigError extends Error {}

/** A machine with every default and no VMs yet. */
export function defaultMachine(): MachineConfig {
  return {
    pcpus: DEFAULTS.pcpus, slice: DEFAULTS.slice, quantum: DEFAULTS.quantum, seed: DEFAULTS.seed,
    policy: DEFAULTS.policy, preemption: DEFAULTS.preemption, capPeriod: DEFAULTS.capPeriod, vms: [],
  };
}

// ---------------------------------------------------------------------------
// Parsing and validation
//
// Flow: `paravm run` parses --config with parseConfigJson (shape, types and
// the checks of single values, reported against the file), then
// machineFromFlags merges the flags and command-line VMs and ends with
// finishConfig: default names, then validateConfig (every check, including
// the ones that involve several fields, such as pin against pcpus).
// Every function reports all the problems it finds in one ConfigError whose
// message has one problem per line.
// ---------------------------------------------------------------------------

/** Largest number of PCPUs a machine may have. */
export const MAX_PCPUS = 1024;
/** Largest number of VMs in one machine. */
export const MAX_VMS = 4096;
/** Largest weight of one VM. */
export const MAX_WEIGHT = 65535;
/** Largest seed (seeds are 32-bit). */
export const MAX_SEED = 0xffff_ffff;
/** Largest total guest memory of all VMs together (one host buffer holds them all): 1.5 GiB. */
export const MAX_TOTAL_MEMORY = 3 * 512 * 1024 * 1024;

/** Cycles per unit of a duration string (100 MHz: 1 cycle = 10 ns). */
const DURATION_UNITS: Readonly<Record<string, number>> = {
  cycle: 1,
  cycles: 1,
  ns: CLOCK_HZ / 1e9,
  us: CLOCK_HZ / 1e6,
  ms: CLOCK_HZ / 1e3,
  s: CLOCK_HZ,
};

const DURATION_RE = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)\s*$/i;

/**
 * A duration in cycles of virtual time. A number is already cycles (a
 * non-negative integer); a string is `<number><unit>` with unit cycles, ns,
 * us, ms or s, spaces allowed ("10ms", "2.5 ms", "1000cycles"), rounded to
 * whole cycles. May return 0 ("0ms", "1ns"): callers check the range.
 */
export function parseDuration(v: string | number, what: string): number {
  const bad = (): ConfigError =>
    new ConfigError(`${what}: expected a duration like 10ms, 500us or 1000cycles, got ${JSON.stringify(v)}`);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw bad();
    return v;
  }
  if (typeof v !== 'string') throw bad();
  const m = DURATION_RE.exec(v);
  if (!m) throw bad();
  const perUnit = DURATION_UNITS[m[2]!.toLowerCase()];
  if (perUnit === undefined) throw bad();
  const cycles = Math.round(Number(m[1]) * perUnit);
  if (!Number.isSafeInteger(cycles)) throw new ConfigError(`${what}: duration too long, got ${JSON.stringify(v)}`);
  return cycles;
}

const SIZE_RE = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:([kmg])(?:i?b)?|b)?\s*$/i;
const SIZE_UNITS: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A byte count for messages: "1 MiB", "1.5 GiB", "12 KiB", "100 bytes". */
function formatSize(bytes: number): string {
  for (const [unit, n] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= n && bytes % (n / 1024) === 0) return `${Number((bytes / n).toFixed(3))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** Why `bytes` is not a valid guest memory size, or undefined if it is. */
function memoryProblem(bytes: number): string | undefined {
  if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes % PAGE_SIZE !== 0) {
    return `must be a positive multiple of the page size (${PAGE_SIZE} bytes)`;
  }
  if (bytes > MAX_VM_MEMORY) return `must be at most ${formatSize(MAX_VM_MEMORY)} (the largest VM memory)`;
  return undefined;
}

/**
 * A memory size in bytes. A number is bytes; a string is a number with an
 * optional unit K, M or G (powers of 1024, case-insensitive, optionally
 * followed by "iB" or "B"): "1M", "1MiB", "64K", "4096", "2m". The result must
 * be a positive multiple of PAGE_SIZE and at most MAX_VM_MEMORY.
 */
export function parseSize(v: string | number, what: string): number {
  let bytes: number;
  if (typeof v === 'number') {
    bytes = v;
  } else {
    const m = typeof v === 'string' ? SIZE_RE.exec(v) : null;
    if (!m) throw new ConfigError(`${what}: expected a size like 1M, 64K or 4096, got ${JSON.stringify(v)}`);
    bytes = Number(m[1]) * (m[2] ? SIZE_UNITS[m[2].toLowerCase()]! : 1);
  }
  const problem = memoryProblem(bytes);
  if (problem) throw new ConfigError(`${what}: ${problem}, got ${JSON.stringify(v)}`);
  return bytes;
}

/**
 * A duration for reports, in the largest unit that fits, with at most two
 * decimals: 1000000 → "10ms", 500 → "5us", 1234 → "12.34us", 50 → "500ns".
 * Whole cycles below 1us are exact in ns (1 cycle = 10 ns).
 */
export function formatDuration(cycles: number): string {
  if (!Number.isFinite(cycles)) return String(cycles);
  if (cycles < 0) return `-${formatDuration(-cycles)}`;
  const units = [['s', CLOCK_HZ], ['ms', CLOCK_HZ / 1e3], ['us', CLOCK_HZ / 1e6]] as const;
  for (let i = 0; i < units.length; i++) {
    const [unit, per] = units[i]!;
    if (cycles < per) continue;
    const value = Number((cycles / per).toFixed(2));
    // 99,999,999 cycles would round to "1000ms": say "1s" instead.
    if (value >= 1000 && i > 0) return `${Number((cycles / units[i - 1]![1]).toFixed(2))}${units[i - 1]![0]}`;
    return `${value}${unit}`;
  }
  return `${Number((cycles * 1e9 / CLOCK_HZ).toFixed(2))}ns`;
}

// --- checks of single values, shared by the parsers and validateConfig -----

/** A value for a message: strings quoted, numbers plain. */
function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
}

/** Why `v` is not an integer in min..max, or undefined. */
function intProblem(v: unknown, min: number, max: number): string | undefined {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    const what = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`;
    return `must be ${what}, got ${show(v)}`;
  }
  if (v > max) return `must be at most ${max}, got ${show(v)}`;
  return undefined;
}

const SYMBOL_RE = /^(?:[A-Za-z_$][A-Za-z0-9_.$]*|\.[A-Za-z0-9_.$]+)$/;
const ADDRESS_RE = /^(?:0x[0-9a-f]+|\d+)$/i;

/** An entry given as text: a hex or decimal address becomes a number, anything else must be a symbol name. */
function parseEntry(s: string): { entry?: number | string; problem?: string } {
  if (ADDRESS_RE.test(s)) {
    const n = Number(s);
    if (n > 0xffff_ffff) return { problem: `address must be at most 0xffffffff, got ${show(s)}` };
    return { entry: n };
  }
  if (!SYMBOL_RE.test(s)) return { problem: `expected an address (0x80000000) or a symbol name, got ${show(s)}` };
  return { entry: s };
}

/** Why `v` is not a valid entry (integer address or symbol name), or undefined. */
function entryProblem(v: unknown): string | undefined {
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff ? undefined : `must be an address in 0..0xffffffff, got ${show(v)}`;
  }
  if (typeof v === 'string' && SYMBOL_RE.test(v)) return undefined;
  return `must be an address or a symbol name, got ${show(v)}`;
}

function fail(errors: string[]): void {
  if (errors.length > 0) throw new ConfigError(errors.join('\n'));
}

/** Runs `f`; a ConfigError it throws becomes an entry of `errors` (and the result undefined). */
function collect<T>(errors: string[], f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    errors.push(...e.message.split('\n'));
    return undefined;
  }
}

// --- --vm IMAGE[,key=value...] -----------------------------------------------

const VM_SPEC_KEYS = ['vcpus', 'weight', 'cap', 'memory', 'name', 'entry', 'pin', 'image'] as const;
type VmSpecKey = (typeof VM_SPEC_KEYS)[number];

/**
 * The --vm flag: `IMAGE[,key=value...]` with keys vcpus, weight, cap (percent
 * of one PCPU), memory (a size), name, entry (address or symbol), pin
 * (`P0:P1:...`, a PCPU index or `-`/`*` = unpinned per VCPU) and image (an
 * extra module image, repeatable). vcpus and memory default to `defaults`
 * (the --vcpus and --memory flags), the rest to DEFAULTS.vm; the name is left
 * '' for finishConfig. Checks that depend on the machine (pin against pcpus,
 * cap against pcpus, pin length against vcpus) are validateConfig's.
 */
export function parseVmSpec(spec: string, defaults: { vcpus: number; memory?: number }): VmConfig {
  const where = `--vm ${JSON.stringify(spec)}`;
  const errors: string[] = [];
  const [first = '', ...fields] = spec.split(',');
  const image = first.trim();
  if (image === '') errors.push(`${where}: the image path (the first field) is missing`);
  const vm: VmConfig = {
    name: '',
    images: [image],
    memory: defaults.memory ?? DEFAULTS.vm.memory,
    vcpus: defaults.vcpus,
    weight: DEFAULTS.vm.weight,
  };
  const seen = new Set<string>();
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq < 0) {
      errors.push(field.trim() === ''
        ? `${where}: empty field (a stray comma?)`
        : `${where}: expected key=value, got ${show(field.trim())}`);
      continue;
    }
    const key = field.slice(0, eq).trim();
    const value = field.slice(eq + 1).trim();
    const err = (msg: string): void => { errors.push(`${where}: ${key}: ${msg}`); };
    if (!(VM_SPEC_KEYS as readonly string[]).includes(key)) {
      errors.push(`${where}: unknown key ${show(key)} (known: ${VM_SPEC_KEYS.join(', ')})`);
      continue;
    }
    if (key !== 'image' && seen.has(key)) {
      err('given twice');
      continue;
    }
    seen.add(key);
    switch (key as VmSpecKey) {
      case 'vcpus':
      case 'weight': {
        const max = key === 'vcpus' ? MAX_VCPUS : MAX_WEIGHT;
        const n = /^\d+$/.test(value) ? Number(value) : value;
        const problem = intProblem(n, 1, max);
        if (problem) err(problem);
        else vm[key as 'vcpus' | 'weight'] = n as number;
        break;
      }
      case 'cap': {
        const m = /^(\d+(?:\.\d*)?|\.\d+)%?$/.exec(value);
        const n = m ? Number(m[1]) : NaN;
        if (!(n > 0)) err(`expected a percentage greater than 0 (100 = one whole PCPU), got ${show(value)}`);
        else vm.cap = n;
        break;
      }
      case 'memory': {
        const bytes = collect(errors, () => parseSize(value, `${where}: memory`));
        if (bytes !== undefined) vm.memory = bytes;
        break;
      }
      case 'name':
        if (value === '') err('must not be empty');
        else vm.name = value;
        break;
      case 'entry': {
        const { entry, problem } = parseEntry(value);
        if (problem) err(problem);
        else vm.entry = entry;
        break;
      }
      case 'pin': {
        const pin: (number | null)[] = [];
        for (const p of value.split(':').map((s) => s.trim())) {
          if (p === '-' || p === '*') pin.push(null);
          else if (/^\d+$/.test(p)) pin.push(Number(p));
          else { err(`expected PCPU indexes separated by ':' (- or * for unpinned), got ${show(value)}`); break; }
        }
        if (pin.length === value.split(':').length) vm.pin = pin;
        break;
      }
      case 'image':
        if (value === '') err('must not be empty');
        else vm.images.push(value);
        break;
    }
  }
  fail(errors);
  return vm;
}

// --- --config FILE -------------------------------------------------------------

const MACHINE_KEYS = ['pcpus', 'slice', 'quantum', 'seed', 'time', 'policy', 'preemption', 'capPeriod', 'vms'] as const;
const VM_KEYS = ['name', 'image', 'modules', 'memory', 'vcpus', 'entry', 'weight', 'cap', 'pin', 'net'] as const;
const NET_KEYS = ['clients', 'think', 'files', 'requests', 'seed'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(obj: Record<string, unknown>, known: readonly string[], at: string, errors: string[]): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) errors.push(`${at}${JSON.stringify(k)}: unknown key (known: ${known.join(', ')})`);
  }
}

/**
 * A machine configuration file (--config; format in docs/config.md). Checks
 * the shape, the types and every single value, reporting each problem with
 * its path (`machine.json: vms[1].weight: must be a positive integer, got -3`),
 * all at once. Relative image paths are resolved against the file's
 * directory. The checks across fields (pin against pcpus, unique names,
 * total memory...) are left to validateConfig, after flags may have
 * overridden fields (machineFromFlags ends with finishConfig).
 */
export function parseConfigJson(text: string, file: string): MachineConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  const errors: string[] = [];
  const err = (path: string, msg: string): void => { errors.push(`${file}: ${path}: ${msg}`); };
  if (!isObject(doc)) throw new ConfigError(`${file}: expected a JSON object, got ${Array.isArray(doc) ? 'an array' : show(doc)}`);
  unknownKeys(doc, MACHINE_KEYS, `${file}: `, errors);

  const cfg = defaultMachine();

  const int = (v: unknown, path: string, min: number, max: number): number | undefined => {
    const problem = intProblem(v, min, max);
    if (problem) { err(path, problem); return undefined; }
    return v as number;
  };
  const duration = (v: unknown, path: string): number | undefined => {
    if (typeof v !== 'string' && typeof v !== 'number') {
      err(path, `expected a duration like 10ms, 500us or 1000cycles, got ${show(v)}`);
      return undefined;
    }
    const cycles = collect(errors, () => parseDuration(v, `${file}: ${path}`));
    if (cycles === 0) { err(path, `must be at least 1 cycle, got ${show(v)}`); return undefined; }
    return cycles;
  };
  const name = (v: unknown, path: string): string | undefined => {
    if (typeof v === 'string' && v.trim() !== '') return v;
    err(path, `must be a non-empty string, got ${show(v)}`);
    return undefined;
  };

  if (doc.pcpus !== undefined) cfg.pcpus = int(doc.pcpus, 'pcpus', 1, MAX_PCPUS) ?? cfg.pcpus;
  if (doc.seed !== undefined) cfg.seed = int(doc.seed, 'seed', 0, MAX_SEED) ?? cfg.seed;
  if (doc.slice !== undefined) cfg.slice = duration(doc.slice, 'slice') ?? cfg.slice;
  if (doc.quantum !== undefined) cfg.quantum = duration(doc.quantum, 'quantum') ?? cfg.quantum;
  if (doc.capPeriod !== undefined) cfg.capPeriod = duration(doc.capPeriod, 'capPeriod') ?? cfg.capPeriod;
  if (doc.time !== undefined) cfg.time = duration(doc.time, 'time');
  if (doc.policy !== undefined) cfg.policy = name(doc.policy, 'policy') ?? cfg.policy;
  if (doc.preemption !== undefined) cfg.preemption = name(doc.preemption, 'preemption') ?? cfg.preemption;

  const image = (v: unknown, path: string): string | undefined => {
    const p = name(v, path);
    return p === undefined ? undefined : resolve(dirname(file), p);
  };

  if (!Array.isArray(doc.vms) || doc.vms.length === 0) {
    err('vms', `must be a non-empty array of VMs, got ${doc.vms === undefined ? 'nothing' : Array.isArray(doc.vms) ? '[]' : show(doc.vms)}`);
  } else if (doc.vms.length > MAX_VMS) {
    err('vms', `at most ${MAX_VMS} VMs, got ${doc.vms.length}`);
  } else {
    doc.vms.forEach((v: unknown, i: number) => {
      const at = `vms[${i}]`;
      if (!isObject(v)) { err(at, `expected an object, got ${show(v)}`); return; }
      unknownKeys(v, VM_KEYS, `${file}: ${at}.`, errors);
      const vm: VmConfig = { name: '', images: [], memory: DEFAULTS.vm.memory, vcpus: DEFAULTS.vm.vcpus, weight: DEFAULTS.vm.weight };
      if (v.name !== undefined) vm.name = name(v.name, `${at}.name`) ?? '';
      if (v.image === undefined) err(`${at}.image`, 'missing (every VM needs an image)');
      else {
        const main = image(v.image, `${at}.image`);
        if (main !== undefined) vm.images.push(main);
      }
      if (v.modules !== undefined) {
        if (!Array.isArray(v.modules)) err(`${at}.modules`, `must be an array of image paths, got ${show(v.modules)}`);
        else v.modules.forEach((m: unknown, j: number) => {
          const p = image(m, `${at}.modules[${j}]`);
          if (p !== undefined) vm.images.push(p);
        });
      }
      if (v.memory !== undefined) {
        if (typeof v.memory !== 'string' && typeof v.memory !== 'number') err(`${at}.memory`, `expected a size like 1M, 64K or 4096, got ${show(v.memory)}`);
        else vm.memory = collect(errors, () => parseSize(v.memory as string | number, `${file}: ${at}.memory`)) ?? vm.memory;
      }
      if (v.vcpus !== undefined) vm.vcpus = int(v.vcpus, `${at}.vcpus`, 1, MAX_VCPUS) ?? vm.vcpus;
      if (v.weight !== undefined) vm.weight = int(v.weight, `${at}.weight`, 1, MAX_WEIGHT) ?? vm.weight;
      if (v.entry !== undefined) {
        if (typeof v.entry === 'string') {
          const { entry, problem } = parseEntry(v.entry);
          if (problem) err(`${at}.entry`, problem);
          else vm.entry = entry;
        } else {
          const problem = entryProblem(v.entry);
          if (problem) err(`${at}.entry`, problem);
          else vm.entry = v.entry as number;
        }
      }
      if (v.cap !== undefined) {
        if (typeof v.cap !== 'number' || !(v.cap > 0) || !Number.isFinite(v.cap)) {
          err(`${at}.cap`, `must be a percentage greater than 0 (100 = one whole PCPU), got ${show(v.cap)}`);
        } else vm.cap = v.cap;
      }
      if (v.pin !== undefined) {
        if (!Array.isArray(v.pin)) err(`${at}.pin`, `must be an array of PCPU indexes or null, got ${show(v.pin)}`);
        else {
          const pin: (number | null)[] = [];
          v.pin.forEach((p: unknown, j: number) => {
            if (p === null) { pin.push(null); return; }
            const problem = intProblem(p, 0, MAX_PCPUS - 1);
            if (problem) err(`${at}.pin[${j}]`, `${problem} (a PCPU index, or null for any)`);
            else pin.push(p as number);
          });
          vm.pin = pin;
        }
      }
      if (v.net !== undefined) {
        const n = v.net;
        if (!isObject(n)) err(`${at}.net`, `must be an object like {"clients": 16, "think": "100us"}, got ${show(n)}`);
        else {
          unknownKeys(n, NET_KEYS, `${file}: ${at}.net.`, errors);
          const net: NetOptions = {};
          if (n.clients !== undefined) net.clients = int(n.clients, `${at}.net.clients`, 1, NET_MAX_CLIENTS);
          if (n.files !== undefined) net.files = int(n.files, `${at}.net.files`, 1, NET_MAX_FILES);
          if (n.requests !== undefined) net.requests = int(n.requests, `${at}.net.requests`, 1, Number.MAX_SAFE_INTEGER);
          if (n.seed !== undefined) net.seed = int(n.seed, `${at}.net.seed`, 0, MAX_SEED);
          if (n.think !== undefined) {
            // A think time may be 0 (the next request at once), unlike the machine's durations.
            if (typeof n.think !== 'string' && typeof n.think !== 'number') {
              err(`${at}.net.think`, `expected a duration like 100us, 1ms or 0us, got ${show(n.think)}`);
            } else {
              const cycles = collect(errors, () => parseDuration(n.think as string | number, `${file}: ${at}.net.think`));
              if (cycles !== undefined) net.thinkUs = cycles / CYCLES_PER_US;
            }
          }
          for (const k of Object.keys(net) as (keyof NetOptions)[]) if (net[k] === undefined) delete net[k];
          vm.net = net;
        }
      }
      cfg.vms.push(vm);
    });
  }
  fail(errors);
  return cfg;
}

// --- validation ------------------------------------------------------------------

/**
 * Every semantic check of a machine, shared by the JSON and command-line
 * paths; throws one ConfigError listing all problems (`${where}: path: problem`).
 * Empty VM names count as their default `vm<index>` (see finishConfig).
 */
export function validateConfig(cfg: MachineConfig, where = 'config'): void {
  const errors: string[] = [];
  const err = (path: string, msg: string): void => { errors.push(`${where}: ${path}: ${msg}`); };
  const int = (v: unknown, path: string, min: number, max: number): void => {
    const problem = intProblem(v, min, max);
    if (problem) err(path, problem);
  };

  int(cfg.pcpus, 'pcpus', 1, MAX_PCPUS);
  int(cfg.slice, 'slice', 1, Number.MAX_SAFE_INTEGER);
  int(cfg.quantum, 'quantum', 1, Number.MAX_SAFE_INTEGER);
  if (Number.isSafeInteger(cfg.slice) && Number.isSafeInteger(cfg.quantum) && cfg.quantum > cfg.slice) {
    err('quantum', `must not be longer than the slice (${formatDuration(cfg.slice)}), got ${formatDuration(cfg.quantum)}`);
  }
  int(cfg.capPeriod, 'capPeriod', 1, Number.MAX_SAFE_INTEGER);
  int(cfg.seed, 'seed', 0, MAX_SEED);
  if (cfg.time !== undefined) int(cfg.time, 'time', 1, Number.MAX_SAFE_INTEGER);
  for (const k of ['policy', 'preemption'] as const) {
    if (typeof cfg[k] !== 'string' || cfg[k].trim() === '') err(k, `must be a non-empty string, got ${show(cfg[k])}`);
  }

  const vms: readonly VmConfig[] = Array.isArray(cfg.vms) ? cfg.vms : [];
  if (vms.length === 0) err('vms', 'no VMs (give an image path, --vm IMAGE or --config FILE)');
  if (vms.length > MAX_VMS) err('vms', `at most ${MAX_VMS} VMs, got ${vms.length}`);
  const pcpusOk = Number.isSafeInteger(cfg.pcpus) && cfg.pcpus >= 1;
  const names = new Map<string, number>();
  let total = 0;
  vms.forEach((vm, i) => {
    const label = vm.name || `vm${i}`;
    const at = `vms[${i}] (${label})`;
    int(vm.vcpus, `${at}.vcpus`, 1, MAX_VCPUS);
    int(vm.weight, `${at}.weight`, 1, MAX_WEIGHT);
    if (vm.cap !== undefined) {
      if (typeof vm.cap !== 'number' || !(vm.cap > 0) || !Number.isFinite(vm.cap)) {
        err(`${at}.cap`, `must be a percentage greater than 0, got ${show(vm.cap)}`);
      } else if (pcpusOk && vm.cap > 100 * cfg.pcpus) {
        err(`${at}.cap`, `must be at most ${100 * cfg.pcpus} (100 per PCPU, ${cfg.pcpus} PCPU${cfg.pcpus === 1 ? '' : 's'}), got ${vm.cap}`);
      }
    }
    const memProblem = memoryProblem(vm.memory);
    if (memProblem) err(`${at}.memory`, `${memProblem}, got ${show(vm.memory)}`);
    else total += vm.memory;
    if (vm.pin !== undefined) {
      if (!Array.isArray(vm.pin)) err(`${at}.pin`, `must be an array, got ${show(vm.pin)}`);
      else {
        if (Number.isSafeInteger(vm.vcpus) && vm.pin.length > vm.vcpus) {
          err(`${at}.pin`, `${vm.pin.length} entries for ${vm.vcpus} VCPU${vm.vcpus === 1 ? '' : 's'}`);
        }
        vm.pin.forEach((p, j) => {
          if (p === null) return;
          if (!Number.isSafeInteger(p) || p < 0 || (pcpusOk && p >= cfg.pcpus)) {
            err(`${at}.pin[${j}]`, `no PCPU ${show(p)} (the machine has PCPUs 0..${pcpusOk ? cfg.pcpus - 1 : '?'}; null = any)`);
          }
        });
      }
    }
    if (!Array.isArray(vm.images) || vm.images.length === 0) err(`${at}.images`, 'no image');
    else vm.images.forEach((p, j) => {
      if (typeof p !== 'string' || p === '') err(`${at}.images[${j}]`, `must be a non-empty path, got ${show(p)}`);
    });
    if (vm.entry !== undefined) {
      const problem = entryProblem(vm.entry);
      if (problem) err(`${at}.entry`, problem);
    }
    if (vm.net !== undefined) {
      if (typeof vm.net !== 'object' || vm.net === null) err(`${at}.net`, `must be an object, got ${show(vm.net)}`);
      else for (const [k, problem] of netOptionProblems(vm.net)) err(`${at}.net.${k}`, problem);
    }
    if (typeof vm.name !== 'string') err(`vms[${i}].name`, `must be a string, got ${show(vm.name)}`);
    const prev = names.get(label);
    if (prev !== undefined) err(`${at}.name`, `duplicate name ${show(label)} (also vms[${prev}])`);
    else names.set(label, i);
  });
  if (total > MAX_TOTAL_MEMORY) {
    err('vms', `total memory ${formatSize(total)} exceeds ${formatSize(MAX_TOTAL_MEMORY)} (one host buffer holds every VM's memory)`);
  }
  fail(errors);
}

/**
 * Completes a configuration: empty VM names become `vm<index>`; then
 * validateConfig. Returns a new configuration (the argument is not modified).
 */
export function finishConfig(cfg: MachineConfig, where = 'config'): MachineConfig {
  const out: MachineConfig = {
    ...cfg,
    vms: (Array.isArray(cfg.vms) ? cfg.vms : []).map((vm, i) => ({ ...vm, name: vm.name || `vm${i}` })),
  };
  validateConfig(out, where);
  return out;
}

// --- command line -----------------------------------------------------------------

/** The `paravm run` flags, as raw strings from node:util parseArgs. */
export interface MachineFlags {
  pcpus?: string;
  vcpus?: string;
  vm?: string[];
  positional?: string[];
  seed?: string;
  time?: string;
  slice?: string;
  quantum?: string;
  memory?: string;
  policy?: string;
  preemption?: string;
}

/**
 * The machine of `paravm run`: the file's configuration (or DEFAULTS with no
 * VMs), machine fields overridden by flags, then the command-line VMs
 * (--vm specs, then positional image paths) appended after the file's.
 * --vcpus and --memory are the defaults of command-line VMs; with a config
 * file and no command-line VMs they override every file VM instead.
 * Ends with finishConfig.
 */
export function machineFromFlags(flags: MachineFlags, fileConfig?: MachineConfig): MachineConfig {
  const errors: string[] = [];
  const cfg: MachineConfig = fileConfig
    ? { ...fileConfig, vms: fileConfig.vms.map((vm) => ({ ...vm, images: [...vm.images], ...(vm.pin ? { pin: [...vm.pin] } : {}) })) }
    : defaultMachine();

  const int = (v: string | undefined, flag: string, min: 0 | 1): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || (min === 1 && Number(v) === 0) || !Number.isSafeInteger(Number(v))) {
      errors.push(`${flag}: expected a ${min === 1 ? 'positive' : 'non-negative'} integer, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return Number(v);
  };
  const duration = (v: string | undefined, flag: string): number | undefined => {
    if (v === undefined) return undefined;
    const cycles = collect(errors, () => parseDuration(v, flag));
    if (cycles === 0) { errors.push(`${flag}: must be at least 1 cycle, got ${JSON.stringify(v)}`); return undefined; }
    return cycles;
  };
  const text = (v: string | undefined, flag: string): string | undefined => {
    if (v === undefined) return undefined;
    if (v.trim() === '') { errors.push(`${flag}: must not be empty`); return undefined; }
    return v;
  };

  const pcpus = int(flags.pcpus, '--pcpus', 1);
  const vcpus = int(flags.vcpus, '--vcpus', 1);
  const seed = int(flags.seed, '--seed', 0);
  const time = duration(flags.time, '--time');
  const slice = duration(flags.slice, '--slice');
  const quantum = duration(flags.quantum, '--quantum');
  const memory = flags.memory === undefined ? undefined : collect(errors, () => parseSize(flags.memory!, '--memory'));
  const policy = text(flags.policy, '--policy');
  const preemption = text(flags.preemption, '--preemption');

  if (pcpus !== undefined) cfg.pcpus = pcpus;
  if (seed !== undefined) cfg.seed = seed;
  if (time !== undefined) cfg.time = time;
  if (slice !== undefined) cfg.slice = slice;
  if (quantum !== undefined) cfg.quantum = quantum;
  if (policy !== undefined) cfg.policy = policy;
  if (preemption !== undefined) cfg.preemption = preemption;

  const specs = flags.vm ?? [];
  const paths = flags.positional ?? [];
  const vmDefaults = { vcpus: vcpus ?? DEFAULTS.vm.vcpus, memory: memory ?? DEFAULTS.vm.memory };
  if (specs.length === 0 && paths.length === 0) {
    for (const vm of cfg.vms) {
      if (vcpus !== undefined) vm.vcpus = vcpus;
      if (memory !== undefined) vm.memory = memory;
    }
  }
  for (const spec of specs) {
    const vm = collect(errors, () => parseVmSpec(spec, vmDefaults));
    if (vm) cfg.vms.push(vm);
  }
  for (const path of paths) {
    if (path === '') { errors.push('image path: must not be empty'); continue; }
    cfg.vms.push({ name: '', images: [path], memory: vmDefaults.memory, vcpus: vmDefaults.vcpus, weight: DEFAULTS.vm.weight });
  }
  fail(errors);
  return finishConfig(cfg);
}
