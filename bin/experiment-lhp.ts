/**
 * `paravm experiment lhp [--quick] [--out DIR]`: the lock-holder-preemption
 * sweep (bench/experiments/lhp.ts): CPU counts x strategies x seeds. Prints
 * a table (mean and spread over seeds), writes results.json and SVG figures
 * shaped like the seed's: lock time, spin time, wait time (the seed's
 * wall-clock measure) and bandwidth per CPU count and strategy.
 */
import { join } from 'node:path';
import { STRATEGIES, sweep, type Cell, type Stat, type SweepResult } from '../bench/experiments/lhp.ts';
import { barChart } from '../bench/experiments/svg.ts';
import { err, writeOutput } from './common.ts';
import { outDir, progressBar, type ExperimentArgs } from './experiment.ts';

const pm = (s: Stat, digits: number): string => `${s.mean.toFixed(digits)} ±${s.spread.toFixed(digits)}`;

export function lhpTable(r: SweepResult): string {
  const rows = [
    'CPUs  strategy        lock time %    spin time %  wait (wall) %    bandwidth KB/s     LHP    LWP  delayed (ms added)  PLE exits/yields  competitor share (entitled)',
  ];
  for (const c of r.cells) {
    rows.push(`${String(c.cpus).padStart(4)}  ${c.strategy.padEnd(14)}  ${pm(c.lockPct, 1).padStart(11)}  ${pm(c.spinPct, 1).padStart(12)}  ${pm(c.waitPct, 1).padStart(13)}  ${pm(c.kbps, 0).padStart(16)}`
      + `  ${c.lockHolderPreemptions.toFixed(1).padStart(5)}  ${c.lockWaiterPreemptions.toFixed(1).padStart(5)}`
      + `  ${`${c.delayed.toFixed(0)} (${c.delayMs.toFixed(2)})`.padStart(18)}  ${`${c.pleExits.toFixed(0)}/${c.directedYields.toFixed(0)}`.padStart(16)}`
      + `  ${c.strategy === 'native' ? '-' : `${c.competitorShare.toFixed(3)} (${c.competitorEntitled.toFixed(2)})`}`);
  }
  return rows.join('\n');
}

type Measure = 'lockPct' | 'spinPct' | 'waitPct' | 'kbps';

function figure(r: SweepResult, m: Measure, title: string, yLabel: string): string {
  const cats = r.cpus.map((n) => `${n} CPUs`);
  const at = (cpus: number, s: string): Cell => r.cells.find((c) => c.cpus === cpus && c.strategy === s)!;
  return barChart({
    title, xLabel: 'CPUs of the server VM (each PCPU shared with a CPU-bound VM, except native)', yLabel, categories: cats,
    series: STRATEGIES.map((s) => ({ name: s.label, values: r.cpus.map((n) => at(n, s.name)[m].mean), spread: r.cpus.map((n) => at(n, s.name)[m].spread) })),
    width: 900,
  });
}

export function experimentLhp(parsed: ExperimentArgs): number {
  const out = outDir(parsed, 'experiment-lhp');
  const t0 = performance.now();
  err(`paravm experiment lhp${parsed.values.quick ? ' --quick' : ''}: the web server under each lock-holder-preemption remedy`);
  const r = sweep({ quick: Boolean(parsed.values.quick), progress: progressBar });
  process.stdout.write(`${lhpTable(r)}\n`);
  writeOutput(join(out, 'results.json'), `${JSON.stringify(r, null, 2)}\n`);
  writeOutput(join(out, 'lock-time.svg'), figure(r, 'lockPct', 'Lock time: kernel spinlocks held, % of execution time', 'lock time (% of execution time)'));
  writeOutput(join(out, 'spin-time.svg'), figure(r, 'spinPct', 'Spin time: waiting for kernel spinlocks, % of execution time', 'spin time (% of execution time)'));
  writeOutput(join(out, 'wait-time.svg'), figure(r, 'waitPct', 'Lock wait timed with the wall clock, as the seed did (a waiter\'s own preemption included)', 'wait time (% of execution time)'));
  writeOutput(join(out, 'bandwidth.svg'), figure(r, 'kbps', 'Web bandwidth (correct response bytes per second of virtual time)', 'bandwidth (KB/s)'));
  err(`paravm: ${r.runs.length} runs (${r.durationMs} ms measured after ${r.warmupMs} ms warm-up, seeds ${r.seeds.join(',')}) in ${((performance.now() - t0) / 1000).toFixed(0)} s; `
    + `wrote ${out}/results.json, ${out}/lock-time.svg, ${out}/spin-time.svg, ${out}/wait-time.svg, ${out}/bandwidth.svg`);
  return 0;
}
