/**
 * `npx tsx bench/sweeps.ts [--quick|--full] [--reps N]`: how a sweep scales
 * with worker threads, measured side by side in one run.
 *
 * Each repetition runs `node dist/paravm.mjs experiment lhp --jobs 1` and
 * `--jobs 2` as fresh processes, in alternating order (so a host whose speed
 * drifts slows both alike), and records each one's wall time and CPU time
 * (bench/children.ts: user + system of the child and all its threads). It prints the medians,
 * the speed-up (wall time of --jobs 1 over --jobs 2), and checks that both
 * wrote the same results.json byte for byte. Linux only (procfs).
 *
 * It also prints, per pair, the speed-up that a schedule leaving no core
 * idle would reach with the CPU time --jobs 2 took (2 x wall of --jobs 1
 * over CPU of --jobs 2), and how much more CPU --jobs 2 took: each worker
 * thread is a V8 isolate that compiles the interpreter and the hypervisor
 * for itself (bench/isolate-cost.ts), work that --jobs 1 does on the
 * otherwise idle second core. And the machine's idle CPU-seconds while
 * --jobs 2 ran (/proc/stat, so run it on an otherwise idle machine): the
 * start before the workers run and the tail after the last run.
 *
 * `--only N` runs just `--jobs N` and prints the hashes of the build and of
 * results.json: the full sweep's two variants take 15-25 minutes each, and
 * may be run apart (on an otherwise idle machine each) and compared by those
 * hashes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../guest-kernel/loader/index.ts';
import { machineIdle, median, timeNode } from './children.ts';

interface Sample { wall: number; cpu: number; idle: number; results: string }

function sweep(preset: string, jobs: number): Sample {
  const out = mkdtempSync(join(tmpdir(), 'paravm-sweep-'));
  // The full sweep is the experiment's default plan; --quick names the small one.
  const plan = preset === 'quick' ? ['--quick'] : [];
  const idle0 = machineIdle();
  const t = timeNode([join(ROOT, 'dist', 'paravm.mjs'), 'experiment', 'lhp', ...plan, '--jobs', String(jobs), '--out', out], { env: { ...process.env, CI: '1' } });
  const results = readFileSync(join(out, 'results.json'), 'utf8');
  rmSync(out, { recursive: true, force: true });
  return { ...t, idle: machineIdle() - idle0, results };
}

/** The bundles the sweeps run, so a rebuild during the benchmark (by another process) is caught. */
const bundles = (): string => ['paravm.mjs', 'experiment-worker.mjs'].map((f) => readFileSync(join(ROOT, 'dist', f), 'utf8')).join('\0');


const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** `--only N`: one variant, its medians and the hashes that tie it to a run of the other. */
function only(preset: string, jobs: number, reps: number): void {
  const before = bundles();
  const got = Array.from({ length: reps }, () => sweep(preset, jobs));
  console.log(`lhp --${preset} --jobs ${jobs}, median of ${reps}, Node ${process.version}`);
  console.log(`--jobs ${jobs}: ${median(got.map((s) => s.wall)).toFixed(1)} s wall / ${median(got.map((s) => s.cpu)).toFixed(1)} s CPU`);
  console.log(`build ${sha(before)}, results.json ${sha(got[0]!.results)}${got.every((s) => s.results === got[0]!.results) ? '' : ' (NOT the same in every repetition)'}`);
  if (bundles() !== before) {
    console.log('dist/ was rebuilt during the benchmark: run it again');
    process.exitCode = 1;
  }
}

function main(argv: string[]): void {
  const preset = argv.includes('--full') ? 'full' : 'quick';
  const reps = Number(argv[argv.indexOf('--reps') + 1] ?? 0) || (preset === 'full' ? 1 : 5);
  if (argv.includes('--only')) return only(preset, Number(argv[argv.indexOf('--only') + 1]), reps);
  const before = bundles();
  const one: Sample[] = [];
  const two: Sample[] = [];
  for (let i = 0; i < reps; i++) {
    // Alternate which variant goes first.
    if (i % 2 === 0) one.push(sweep(preset, 1)), two.push(sweep(preset, 2));
    else two.push(sweep(preset, 2)), one.push(sweep(preset, 1));
    process.stderr.write(`rep ${i + 1}/${reps}: --jobs 1 ${one[i].wall.toFixed(1)} s, --jobs 2 ${two[i].wall.toFixed(1)} s\n`);
  }
  const same = [...one, ...two].every((s) => s.results === one[0].results);
  const w1 = median(one.map((s) => s.wall));
  const w2 = median(two.map((s) => s.wall));
  console.log(`lhp --${preset}, medians of ${reps} alternated pairs, Node ${process.version}`);
  console.log(`--jobs 1: ${w1.toFixed(1)} s wall / ${median(one.map((s) => s.cpu)).toFixed(1)} s CPU`);
  console.log(`--jobs 2: ${w2.toFixed(1)} s wall / ${median(two.map((s) => s.cpu)).toFixed(1)} s CPU`);
  const pairs = one.map((s, i) => s.wall / two[i]!.wall);
  console.log(`speed-up: ${(w1 / w2).toFixed(2)}x (pairs ${Math.min(...pairs).toFixed(2)}-${Math.max(...pairs).toFixed(2)}x); results.json identical: ${same ? 'yes' : 'NO'}`);
  // Two cores cannot finish CPU(2) seconds of work in less than CPU(2) / 2: this is the speed-up of a schedule that never leaves a core idle.
  const ceiling = one.map((s, i) => (2 * s.wall) / two[i]!.cpu);
  const extra = one.map((s, i) => two[i]!.cpu - s.cpu);
  console.log(`ceiling with no idle core, 2 x wall(--jobs 1) / CPU(--jobs 2): ${median(ceiling).toFixed(2)}x (pairs ${Math.min(...ceiling).toFixed(2)}-${Math.max(...ceiling).toFixed(2)}x); CPU(--jobs 2) - CPU(--jobs 1): ${median(extra).toFixed(1)} s`);
  console.log(`idle core-seconds during --jobs 2 (whole machine, /proc/stat): ${median(two.map((s) => s.idle)).toFixed(2)} s`);
  if (bundles() !== before) {
    console.log('dist/ was rebuilt during the benchmark: these figures compare different builds; run it again');
    process.exitCode = 1;
  }
  if (!same) process.exitCode = 1;
}

main(process.argv.slice(2));
