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
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../guest-kernel/loader/index.ts';
import { median, timeNode } from './children.ts';

interface Sample { wall: number; cpu: number; results: string }

function sweep(preset: string, jobs: number): Sample {
  const out = mkdtempSync(join(tmpdir(), 'paravm-sweep-'));
  const t = timeNode([join(ROOT, 'dist', 'paravm.mjs'), 'experiment', 'lhp', `--${preset}`, '--jobs', String(jobs), '--out', out], { env: { ...process.env, CI: '1' } });
  const results = readFileSync(join(out, 'results.json'), 'utf8');
  rmSync(out, { recursive: true, force: true });
  return { ...t, results };
}

/** The bundles the sweeps run, so a rebuild during the benchmark (by another process) is caught. */
const bundles = (): string => ['paravm.mjs', 'experiment-worker.mjs'].map((f) => readFileSync(join(ROOT, 'dist', f), 'utf8')).join('\0');


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
