/**
 * The sensitivity sweep's report: a table of every point, and one figure
 * per axis (sensitivity-<axis>.svg): spin time, lock time and bandwidth
 * over native's, a bar per strategy at each point of the axis, with 95%
 * Student-t intervals over the seeds.
 */
import { barChart } from '../svg.ts';
import type { Provenance } from '../provenance.ts';
import type { Cell, SweepResult } from './cells.ts';
import { fmtCi, type Ci } from './ci.ts';
import { SENSITIVITY, SENSITIVITY_STRATEGIES, type SensitivityAxis } from './sensitivity.ts';

/** A point's key in the runs: axis=label. */
export const pointKey = (axis: string, label: string): string => `${axis}=${label}`;

type Measure = 'spinPct' | 'lockPct' | 'kbpsOverNone';
const MEASURES: [Measure, string][] = [
  ['spinPct', 'spin time (% of execution time)'],
  ['lockPct', 'lock time (% of execution time)'],
  ['kbpsOverNone', 'bandwidth / none\'s (same seed)'],
];

function axisFigure(r: SweepResult, a: SensitivityAxis): string {
  const cell = (label: string, s: string): Cell | undefined => r.cells.find((c) => c.point === pointKey(a.name, label) && c.strategy === s);
  const charts = MEASURES.map(([m, yLabel], i) => barChart({
    title: yLabel, xLabel: a.label, yLabel: '', categories: a.points.map((p) => p.label), width: 420, height: 330,
    series: SENSITIVITY_STRATEGIES.filter((s) => !(m === 'kbpsOverNone' && s === 'none')).map((s) => {
      const v = a.points.map((p): Ci | undefined => cell(p.label, s)?.[m]);
      return { name: s, values: v.map((c) => c?.mean ?? NaN), spread: v.map((c) => c?.half ?? 0) };
    }),
  }).replace('<svg ', `<svg x="${i * 420}" y="40" `).trimEnd());
  const w = 3 * 420;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="370" viewBox="0 0 ${w} 370" font-family="sans-serif">`,
    `<rect class="background" x="0" y="0" width="${w}" height="370" fill="#ffffff"/>`,
    `<text class="title" x="${w / 2}" y="18" text-anchor="middle" font-size="14">Sensitivity to ${a.label}: 4 VCPUs, ${r.durationMs} ms measured, ${r.seeds.length} seeds</text>`,
    `<text class="caption" x="${w / 2}" y="34" text-anchor="middle" font-size="11">Error bars: 95% Student-t confidence intervals of the mean over seeds. Every other parameter at its default.</text>`,
    ...charts, '</svg>', '',
  ].join('\n');
}

export function sensitivityTable(r: SweepResult): string {
  const rows = ['point              strategy       spin time %   lock time %    bandwidth/none  co-run TV  (% of execution time; ± = 95% Student-t half-width over seeds)'];
  for (const c of r.cells) {
    rows.push(`${c.point.padEnd(18)} ${c.strategy.padEnd(13)} ${fmtCi(c.spinPct, 1).padStart(12)}  ${fmtCi(c.lockPct, 1).padStart(12)}  ${(c.kbpsOverNone ? fmtCi(c.kbpsOverNone, 3) : '-').padStart(16)}  ${fmtCi(c.corunTv, 2).padStart(9)}`);
  }
  return rows.join('\n');
}

export function sensitivityFiles(r: SweepResult, provenance?: Provenance): [string, string][] {
  const axes = SENSITIVITY.filter((a) => r.cells.some((c) => c.point.startsWith(`${a.name}=`)));
  return [
    ['sensitivity.json', `${JSON.stringify(provenance ? { provenance, ...r } : r, null, 2)}\n`],
    ...axes.map((a): [string, string] => [`sensitivity-${a.name}.svg`, axisFigure(r, a)]),
  ];
}
