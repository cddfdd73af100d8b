/**
 * `npx tsx bench/isolate-cost.ts [--reps N]`: what V8 compiles in each
 * worker thread of the quick LHP sweep. Every worker is its own V8 isolate
 * and optimizes the interpreter and the hypervisor for itself; with one
 * worker that compilation runs on the otherwise idle second core, with two
 * it competes with the runs. This is the cost that keeps the quick sweep's
 * speed-up below 2 (bench/sweeps.ts measures the speed-up itself).
 *
 * Each share of the runs one worker would get is run in a fresh process of
 * the bundle's worker module (dist/experiment-worker.mjs) under
 * --trace-opt --trace-deopt: all runs (one worker), and each half of them
 * as two workers get them (alternately, costliest first; the pool's actual
 * split depends on which worker finishes first); and, for comparison, as
 * many runs of one strategy, which bring no new code paths after the first
 * few. It prints deoptimizations, TurboFan
 * compilations and the CPU time V8 reports for them (medians over --reps
 * processes; counts vary a little with timing), and the process's CPU time
 * beside its main thread's (/proc/thread-self: the rest is V8's
 * background threads, compilation and garbage collection); then, per
 * share, the functions whose compilations cost the most. Linux only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../guest-kernel/loader/index.ts';
import { median, TICKS_PER_S } from './children.ts';
import { costliestFirst, EXPERIMENTS, planFor, type PlannedRun } from './experiments/index.ts';

/** Runs the specs in SPECS (a JSON file) through the bundled worker, then prints process and main-thread CPU ms. */
const DRIVER = `
import { readFileSync } from 'node:fs';
const specs = JSON.parse(readFileSync(process.env.SPECS, 'utf8'));
const { default: runTask } = await import(process.env.WORKER);
const mainMs = () => { const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * ${1000 / TICKS_PER_S}; };
for (const spec of specs) runTask({ experiment: 'lhp', spec });
const c = process.cpuUsage();
console.log('CPU ' + Math.round((c.user + c.system) / 1000) + ' ' + mainMs());
`;

interface Cost { deopts: number; compiles: number; compileMs: number; cpuMs: number; mainMs: number; byFunction: Map<string, { n: number; ms: number }> }

function measure(specs: unknown[]): Cost {
  const dir = mkdtempSync(join(tmpdir(), 'paravm-isolate-'));
  const file = join(dir, 'specs.json');
  writeFileSync(file, JSON.stringify(specs));
  const r = spawnSync(process.execPath, ['--trace-opt', '--trace-deopt', '--input-type=module', '-e', DRIVER], {
    env: { ...process.env, SPECS: file, WORKER: join(ROOT, 'dist', 'experiment-worker.mjs') }, encoding: 'utf8', maxBuffer: 1 << 28,
  });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`the driver failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stdout.split('\n');
  let compileMs = 0;
  const byFunction = new Map<string, { n: number; ms: number }>();
  for (const l of lines) {
    // "[completed compiling 0x... <JSFunction run2 (sfi = ...)> (target TURBOFAN) - took 0.004, 6.606, 0.068 ms]": prepare, execute (the background part), finalize.
    const m = /^\[completed compiling .*?<JSFunction ([^\s(]*) ?\(sfi.* took ([\d.]+), ([\d.]+), ([\d.]+) ms\]/.exec(l);
    if (!m) continue;
    const ms = Number(m[2]) + Number(m[3]) + Number(m[4]);
    compileMs += ms;
    const f = byFunction.get(m[1]!) ?? byFunction.set(m[1]!, { n: 0, ms: 0 }).get(m[1]!)!;
    f.n++;
    f.ms += ms;
  }
  const [cpuMs, mainMs] = lines.find((l) => l.startsWith('CPU '))!.slice(4).split(' ').map(Number) as [number, number];
  return {
    deopts: lines.filter((l) => l.startsWith('[bailout')).length,
    compiles: lines.filter((l) => l.startsWith('[completed compiling')).length,
    compileMs, cpuMs, mainMs, byFunction,
  };
}

function main(argv: string[]): void {
  const reps = Number(argv[argv.indexOf('--reps') + 1] ?? 0) || 3;
  const exp = EXPERIMENTS.lhp;
  const order = costliestFirst(exp, planFor('lhp', exp.presets.quick).runs);
  const half = (k: number): PlannedRun[] => order.filter((_, i) => i % 2 === k);
  // As many runs as a half, all of one strategy: what an isolate compiles when no run brings new code paths.
  const alike = costliestFirst(exp, planFor('lhp', { ...exp.presets.quick, strategies: ['none'], seeds: [1, 2, 3, 4, 5, 6, 7] }).runs);
  const shares: [string, PlannedRun[]][] = [
    ['one worker: all runs', order], ['two workers: worker 1', half(0)], ['two workers: worker 2', half(1)], ['one worker: strategy none, seeds 1-7', alike],
  ];
  console.log(`lhp --quick, one fresh process per share and repetition, medians of ${reps}, Node ${process.version}`);
  console.log('| worker share | runs | deopts | TurboFan compiles | compile CPU | process CPU | main thread |');
  console.log('|---|---|---|---|---|---|---|');
  const top: string[] = [];
  for (const [name, runs] of shares) {
    const got = Array.from({ length: reps }, () => measure(runs.map((r) => r.spec)));
    const m = (f: (c: Cost) => number): number => median(got.map(f));
    console.log(`| ${name} | ${runs.length} | ${m((c) => c.deopts)} | ${m((c) => c.compiles)} | ${(m((c) => c.compileMs) / 1000).toFixed(2)} s | ${(m((c) => c.cpuMs) / 1000).toFixed(1)} s | ${(m((c) => c.mainMs) / 1000).toFixed(1)} s |`);
    // The functions compiled at the most cost, from the first repetition (bundled names: run2 is the interpreter's run, run the hypervisor's).
    const heavy = [...got[0]!.byFunction].sort((a, b) => b[1].ms - a[1].ms).slice(0, 4);
    top.push(`${name}: ${heavy.map(([f, c]) => `${f || '(anonymous)'} ${c.n}x ${c.ms.toFixed(0)} ms`).join(', ')}`);
  }
  console.log(`\nmost compile time (first repetition; function, compilations, CPU):\n${top.join('\n')}`);
}

main(process.argv.slice(2));
