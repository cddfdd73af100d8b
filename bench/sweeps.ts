/**
 * `npx tsx bench/sweeps.ts [--quick|--full] [--reps N]`: how a sweep scales
 * with worker threads, measured side by side in one run.
 *
 * Each repetition runs `node dist/paravm.mjs experiment lhp --jobs 1` and
 * `--jobs 2` as fresh processes, in alternating order (so a host whose speed
 * drifts slows both alike), and records each one's wall time and CPU time
 * (user + system of the child, from /proc/self/stat's cutime and cstime,
 * which count every thread of a waited-for child). It prints the medians,
 * the speed-up (wall time of --jobs 1 over --jobs 2), and checks that both
 * wrote the same results.json byte for byte. Linux only (procfs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../guest-kernel/loader/index.ts';

const TICKS_PER_S = 100;

/** CPU seconds of this process's waited-for children so far. */
function childCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After "pid (comm) ": state is field 3 of stat(5), so cutime (16) and cstime (17) sit at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_S;
}

interface Sample { wall: number; cpu: number; results: string }

function sweep(preset: string, jobs: number): Sample {
  const out = mkdtempSync(join(tmpdir(), 'paravm-sweep-'));
  const cpu0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'paravm.mjs'), 'experiment', 'lhp', `--${preset}`, '--jobs', String(jobs), '--out', out], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`--jobs ${jobs} failed (${r.status}):\n${r.stderr.toString().slice(-2000)}`);
  const results = readFileSync(join(out, 'results.json'), 'utf8');
  rmSync(out, { recursive: true, force: true });
  return { wall, cpu: childCpu() - cpu0, results };
}

/** The bundles the sweeps run, so a rebuild during the benchmark (by another process) is caught. */
const bundles = (): string => ['paravm.mjs', 'experiment-worker.mjs'].map((f) => readFileSync(join(ROOT, 'dist', f), 'utf8')).join('\0');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(argv: string[]): void {
  const preset = argv.includes('--full') ? 'full' : 'quick';
  const reps = Number(argv[argv.indexOf('--reps') + 1] ?? 0) || (preset === 'full' ? 1 : 5);
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
  console.log(`speed-up: ${(w1 / w2).toFixed(2)}x; results.json identical: ${same ? 'yes' : 'NO'}`);
  if (bundles() !== before) {
    console.log('dist/ was rebuilt during the benchmark: these figures compare different builds; run it again');
    process.exitCode = 1;
  }
  if (!same) process.exitCode = 1;
}

main(process.argv.slice(2));
