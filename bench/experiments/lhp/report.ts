/**
 * The lock-holder-preemption sweep's report (the runs are sweep.ts, the
 * cells cells.ts): the table (means with 95% Student-t intervals over seeds,
 * paired differences against none, the co-run diagnostic), results.json
 * (every run with both percentage bases, every cell) and the figures in the
 * paper's layout: one panel per strategy, a bar per CPU count.
 */
import { STRATEGIES } from './sweep.ts';
import type { Cell, SweepResult } from './cells.ts';
import { fmtCi, type Ci } from './ci.ts';
import { panelFigure } from './panels.ts';
import { lineChart } from '../svg.ts';
import type { Provenance } from '../provenance.ts';

const col = (s: string, w: number): string => s.padStart(w);
const diff = (c: Ci | undefined, digits: number): string => (c ? `${c.mean >= 0 ? '+' : ''}${fmtCi(c, digits)}` : '-');

export function lhpTable(r: SweepResult): string {
  const rows = [
    '% of execution time (the guest\'s VCPU run time); ± = 95% Student-t half-width over seeds; Δ = paired per-seed difference from none.',
    'point   CPUs  strategy        lock time %   spin time %  wait (wall) %  Δspin vs none  Δlock vs none  bandwidth/native  co-run TV      LHP  delayed (ms)  competitor (entitled)',
  ];
  for (const c of r.cells) {
    rows.push(`${c.point.padEnd(6)}  ${col(String(c.cpus), 4)}  ${c.strategy.padEnd(14)}  ${col(fmtCi(c.lockPct, 1), 11)}  ${col(fmtCi(c.spinPct, 1), 12)}  ${col(fmtCi(c.waitPct, 1), 13)}`
      + `  ${col(diff(c.vsNone?.spinPct, 1), 13)}  ${col(diff(c.vsNone?.lockPct, 1), 13)}  ${col(c.kbpsNorm ? fmtCi(c.kbpsNorm, 3) : '-', 16)}`
      + `  ${col(fmtCi(c.corunTv, 2), 10)}  ${col(c.lockHolderPreemptions.toFixed(1), 6)}  ${col(`${c.delayed.toFixed(0)} (${c.delayMs.toFixed(1)})`, 12)}`
      + `  ${c.strategy === 'native' ? '-' : `${c.competitorShare.toFixed(3)} (${c.competitorEntitled.toFixed(2)})`}`);
  }
  return rows.join('\n');
}

type Measure = 'lockPct' | 'spinPct' | 'waitPct' | 'kbpsNorm';

const CI_NOTE = (r: SweepResult): string => `Error bars: 95% Student-t confidence intervals of the mean over ${r.seeds.length} seeds; ${r.durationMs} ms measured after ${r.warmupMs} ms warm-up.`;

/** One panel per strategy (in STRATEGIES order), a bar per CPU count, for the main sweep's cells. */
export function strategyPanels(r: SweepResult, m: Measure, title: string, base: string, yLabel: string, skipNative = false): string {
  const cells = r.cells.filter((c) => c.point === '');
  const names = STRATEGIES.map((s) => s).filter((s) => cells.some((c) => c.strategy === s.name) && !(skipNative && s.name === 'native'));
  const at = (cpus: number, s: string): Cell | undefined => cells.find((c) => c.cpus === cpus && c.strategy === s);
  return panelFigure({
    title, caption: `${base} ${CI_NOTE(r)}`, xLabel: 'CPUs (VCPUs = PCPUs)', yLabel,
    panels: names.map((s) => ({
      title: s.name, legend: s.label, categories: r.cpus.map(String),
      values: r.cpus.map((n) => at(n, s.name)?.[m]?.mean ?? NaN), half: r.cpus.map((n) => at(n, s.name)?.[m]?.half ?? 0),
    })),
  });
}

/** The co-run distribution of none at each CPU count against independent phases (the diagnostic of accidental co-scheduling). */
function corunFigure(r: SweepResult): string {
  const none = r.cells.filter((c) => c.point === '' && c.strategy === 'none');
  return lineChart({
    title: 'Co-run: fraction of the window with k of the guest\'s VCPUs running at once (none; dashed names: independent phases)',
    xLabel: 'k VCPUs running at once', yLabel: 'fraction of the window', xMax: Math.max(...r.cpus, 1), yMax: 1,
    series: none.flatMap((c) => [
      { name: `${c.cpus} CPUs, measured (TV ${c.corunTv.mean.toFixed(2)})`, points: c.corun.map((f, k): [number, number] => [k, f]) },
      { name: `${c.cpus} CPUs, independent`, points: c.corunIndependent.map((f, k): [number, number] => [k, f]) },
    ]),
    width: 900,
  });
}

/** The files the sweep writes beside its table: results.json (with the provenance first, when given) and the figures. */
export function lhpFiles(r: SweepResult, provenance?: Provenance): [string, string][] {
  const exec = 'Base: execution time (the guest\'s VCPU run time in the window).';
  return [
    ['results.json', `${JSON.stringify(provenance ? { provenance, ...r } : r, null, 2)}\n`],
    ['lock-time.svg', strategyPanels(r, 'lockPct', 'Lock time: kernel spinlocks held (wall clock, acquire to release)', exec, 'lock time (%)')],
    ['spin-time.svg', strategyPanels(r, 'spinPct', 'Spin time: cycles executed spinning for kernel spinlocks', exec, 'spin time (%)')],
    ['wait-time.svg', strategyPanels(r, 'waitPct', 'Lock wait timed by the wall clock (the waiter\'s own preemption included)', exec, 'wait time (%)')],
    ['bandwidth.svg', strategyPanels(r, 'kbpsNorm', 'Web bandwidth normalised to native (same seed and CPU count)', 'Correct response bytes per second of virtual time / native\'s.', 'bandwidth / native', true)],
    ['corun.svg', corunFigure(r)],
  ];
}

/** What the command line shows of a finished sweep. */
export function lhpSummary(r: SweepResult): string {
  return `${r.runs.length} runs (${r.durationMs} ms measured after ${r.warmupMs} ms warm-up, seeds ${r.seeds.join(',')})`;
}
