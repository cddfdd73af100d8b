/**
 * Mutated machine configurations: valid JSON files (the IPC showcase's, and
 * one that sets every field of the field table) with fields set to absurd
 * values, deleted, added or the text cut short, and `paravm run` flag sets
 * drawn from the same table. Whatever the input: a configuration or a
 * ConfigError with one line per problem (never more lines than mutations),
 * and from the CLI exit 2 with those lines, no stack trace, no usage text.
 */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_FLAGS, ConfigError, MACHINE_FIELDS, NET_FIELDS, VM_FIELDS, machineFromFlags, parseConfigJson,
} from '../../hypervisor/config/index.ts';
import { ROOT } from '../../guest-kernel/loader/root.ts';
import { main } from '../../bin/cli.ts';
import { SEED, budget, runs } from './scale.ts';

const tmp = mkdtempSync(join(tmpdir(), 'paravm-config-fuzz-'));
const IPC = JSON.parse(readFileSync(join(ROOT, 'programs/ipc/machine.json'), 'utf8')) as Record<string, unknown>;
/** Every field of the table set to a valid value. */
const FULL = {
  pcpus: 2, slice: '1ms', quantum: '5us', seed: 7, time: '2ms', policy: 'stride', preemption: 'ple', capPeriod: '30ms',
  vms: [
    { name: 'a', image: 'sched/busy.s', modules: [], memory: '64K', vcpus: 2, entry: '_start', weight: 512, cap: 150, pin: [0, null] },
    { name: 'b', image: 'sched/busy.s', vcpus: 1, net: { clients: 4, think: '10us', files: 8, requests: 3, seed: 2 } },
  ],
};

const ABSURD: readonly unknown[] = [
  -1, 0, 1.5, -0, 2 ** 53, 1e308, null, true, [], {}, '', ' ', '__proto__', 'toString', 'constructor', '1e15',
  '-1ms', 'NaN', '10ms', '4K', '0x80000000', 'x'.repeat(300), [null], [1, 2, 3], [-1], { __proto__: null, a: 1 },
];
const KEYS = ['__proto__', 'constructor', 'toString', 'bogus', 'Vms', 'hasOwnProperty'];

type Level = 'machine' | 'vm' | 'net';
const FIELDS: Record<Level, readonly string[]> = {
  machine: [...Object.keys(MACHINE_FIELDS), 'vms'],
  vm: [...Object.keys(VM_FIELDS), 'net'],
  net: Object.keys(NET_FIELDS),
};

const mutation = fc.record({
  op: fc.constantFrom('set', 'set', 'set', 'delete', 'add'),
  level: fc.constantFrom<Level>('machine', 'vm', 'vm', 'net'),
  vm: fc.nat(3),
  field: fc.nat(),
  value: fc.constantFrom(...ABSURD),
  key: fc.constantFrom(...KEYS),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

/** The object a mutation at `level` edits in doc, or undefined when the document no longer has one. */
function target(doc: Record<string, unknown>, m: Mutation): Record<string, unknown> | undefined {
  const isObj = (o: unknown): o is Record<string, unknown> => typeof o === 'object' && o !== null && !Array.isArray(o);
  if (m.level === 'machine') return doc;
  const vms = doc.vms;
  const vm = Array.isArray(vms) && vms.length ? vms[m.vm % vms.length] : undefined;
  if (!isObj(vm)) return undefined;
  if (m.level === 'vm') return vm;
  if (!isObj(vm.net)) vm.net = {};
  return vm.net as Record<string, unknown>;
}

function mutate(doc: Record<string, unknown>, m: Mutation): void {
  const o = target(doc, m);
  if (!o) return;
  const names = FIELDS[m.level];
  const field = names[m.field % names.length]!;
  // A copy: a later mutation may edit inside the value, and ABSURD is shared by every case.
  if (m.op === 'set') o[field] = structuredClone(m.value);
  else if (m.op === 'delete') delete o[field];
  else Object.defineProperty(o, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
}

/** The problems a configuration text gives: [] for a valid one; anything but a ConfigError fails the test. */
function problems(text: string): string[] {
  try {
    machineFromFlags({}, parseConfigJson(text, join(ROOT, 'programs', 'm.json')));
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split('\n');
  }
}

describe('configuration fuzz', () => {
  it(`${runs(3_000)} mutated configuration files: a configuration or one ConfigError line per problem`, () => {
    const arb = fc.tuple(fc.constantFrom(IPC, FULL), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.option(fc.nat(), { freq: 5 }));
    fc.assert(fc.property(arb, ([base, muts, cut]) => {
      const doc = structuredClone(base) as Record<string, unknown>;
      for (const m of muts) mutate(doc, m);
      let text = JSON.stringify(doc);
      if (cut !== null) text = text.slice(0, cut % text.length);
      const lines = problems(text);
      // A mutation is one problem, or one per element when it sets an array (vms: [1, 2, 3] is three bad VMs).
      const allowed = muts.reduce((n, m) => n + (m.op === 'set' && Array.isArray(m.value) ? Math.max(1, m.value.length) : 1), 0);
      expect(lines.length).toBeLessThanOrEqual(cut !== null ? Math.max(1, allowed) : allowed);
      expect(new Set(lines).size).toBe(lines.length);
      for (const l of lines) {
        expect(l.trim()).not.toBe('');
        expect(l).not.toMatch(/^\s+at |TypeError|RangeError|undefined is not|usage:/);
      }
    }), { seed: SEED, numRuns: runs(3_000) });
  }, budget(60_000));

  it(`${runs(4)} mutated files through the paravm process: exit 2 and the problem lines only`, () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (muts) => {
      const doc = structuredClone(IPC);
      for (const m of muts) mutate(doc, { ...m, op: 'set' });
      const file = join(ROOT, 'programs/ipc', `.fuzz-${process.pid}.json`);
      writeFileSync(file, JSON.stringify(doc));
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'paravm.js'), 'run', '--config', file, '--time', '1ms'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      rmSync(file, { force: true });
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect([0, 2]).toContain(r.status);
      if (r.status !== 2) return;
      const found = problems(JSON.stringify(doc));
      // A valid configuration can still fail to load (an image file that is not there, an entry no symbol of its image has): one line says which.
      if (found.length === 0) expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^paravm: (cannot read .*: ENOENT|[^:]+: entry symbol .* is not defined in its image)$/)]);
      else expect(r.stderr.trimEnd().split('\n')).toEqual(found.map((l, i) => (i ? l : `paravm: ${l}`)).map((l) => l.replace(join(ROOT, 'programs', 'm.json'), file)));
    }), { seed: SEED, numRuns: runs(4) });
  }, budget(60_000));
});

const FLAG_NAMES = [...CONFIG_FLAGS.map((f) => f.name), 'config', 'vm'];
const FLAG_VALUES = [
  ...ABSURD.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String),
  '1', '2', '64K', '1ms', 'stride', 'ple', 'programs/sched/busy.s', 'programs/sched/busy.s,vcpus=2,pin=0:9',
  'programs/sched/busy.s,weight=0,cap=-1', 'nope.s', join(tmp, 'bad.json'), join(tmp, 'busy.json'), '/dev/null', tmp,
];

const GOOD: Readonly<Record<string, string>> = {
  pcpus: '2', slice: '1ms', quantum: '5us', seed: '3', time: '1ms', policy: 'stride', preemption: 'ple', memory: '64K', vcpus: '2',
  config: join(tmp, 'busy.json'), vm: 'programs/sched/busy.s,vcpus=2,weight=9',
};

/** paravm run in this process: exit status and what it wrote to stderr. */
async function runInProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
  try {
    return { code: await main(['run', ...args]), stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('paravm run flag fuzz', () => {
  writeFileSync(join(tmp, 'bad.json'), JSON.stringify({ ...IPC, pcpus: 0, vms: [{ image: 'x.s', weight: -3 }] }));
  // A valid file whose guests print nothing (a run writes its console to fd 1, past any spy).
  writeFileSync(join(tmp, 'busy.json'), JSON.stringify({ ...FULL, vms: FULL.vms.map((v) => ({ ...v, image: join(ROOT, 'programs', v.image) })) }));

  it(`${runs(300)} flag sets of paravm run: a run, or exit 2 with one line per problem and no stack trace`, async () => {
    // Half the values are a good one for the flag, so that many flag sets run.
    const flag = fc.constantFrom(...FLAG_NAMES).chain((name) =>
      fc.tuple(fc.constant(name), fc.oneof(fc.constant(GOOD[name] ?? '1'), fc.constantFrom(...FLAG_VALUES))));
    const arb = fc.tuple(fc.array(flag, { minLength: 1, maxLength: 4 }), fc.boolean());
    await fc.assert(fc.asyncProperty(arb, async ([flags, program]) => {
      // --time first, so a flag set that runs stops soon (a later --time overrides it).
      const args = ['--time=1ms', ...flags.map(([f, v]) => `--${f}=${v}`), ...(program ? ['programs/sched/busy.s'] : [])];
      const { code, stderr } = await runInProcess(args);
      expect(stderr).not.toMatch(/^\s+at /m);
      expect([0, 2, 3, 4]).toContain(code);
      if (code !== 2) return;
      const lines = stderr.trimEnd().split('\n').filter((l) => !l.startsWith('Try \'paravm help'));
      expect(lines.length).toBeGreaterThan(0);
      // One line per problem: a bad flag or file value is one line; a bad file may hold one line per field.
      const fileLines = flags.some(([f]) => f === 'config') ? 3 : 0;
      expect(lines.length).toBeLessThanOrEqual(flags.length + 1 + fileLines);
      expect(stderr).not.toMatch(/^usage:|^options:/m);
    }), { seed: SEED, numRuns: runs(300) });
  }, budget(60_000));
});
