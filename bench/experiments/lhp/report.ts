/**
 * The lock-holder-preemption sweep's report (the sweep is sweep.ts): CPU
 * counts x strategies x seeds as a table (mean and spread over seeds),
 * results.json and SVG figures
 * shaped like the paper's: lock time, spin time, wait time (timed by
 * the wall clock) and bandwidth per CPU count and strategy.
 */
import { STRATEGIES, type Cell, type Stat, type SweepResult } from './sweep.ts';
import { barChart } from '../svg.ts';
import type { Provenance } from '../provenance.ts';

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
    series: STRATEGIES.filter((s) => r.cells.some((c) => c.strategy === s.name)).map((s) => ({ name: s.label, values: r.cpus.map((n) => at(n, s.name)[m].mean), spread: r.cpus.map((n) => at(n, s.name)[m].spread) })),
    width: 900,
  });
}

/** The files the sweep writes beside its table: results.json (with the provenance first, when given) and the figures. */
export function lhpFiles(r: SweepResult, provenance?: Provenance): [string, string][] {
  return [
    ['results.json', `${JSON.stringify(provenance ? { provenance, ...r } : r, null, 2)}\n`],
    ['lock-time.svg', figure(r, 'lockPct', 'Lock time: kernel spinlocks held, % of execution time', 'lock time (% of execution time)')],
    ['spin-time.svg', figure(r, 'spinPct', 'Spin time: waiting for kernel spinlocks, % of execution time', 'spin time (% of execution time)')],
    ['wait-time.svg', figure(r, 'waitPct', 'Lock wait timed with the wall clock, as a guest reading its TSC would (a waiter\'s own preemption included)', 'wait time (% of execution time)')],
    ['bandwidth.svg', figure(r, 'kbps', 'Web bandwidth (correct response bytes per second of virtual time)', 'bandwidth (KB/s)')],
  ];
}

/** What the command line shows of a finished sweep. */
export function lhpSummary(r: SweepResult): string {
  return `${r.runs.length} runs (${r.durationMs} ms measured after ${r.warmupMs} ms warm-up, seeds ${r.seeds.join(',')})`;
}
