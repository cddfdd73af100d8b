/**
 * `paravm experiment balloon [--quick] [--out DIR]`: the time-ballooning
 * sweep (bench/experiments/balloon.ts). Prints a table (makespan over the
 * ideal, mean and spread over seeds; fairness; migrations; the competing
 * VMs' share), writes results.json and one SVG figure per VCPU count.
 */
import { join } from 'node:path';
import { sweep, type Cell, type SweepResult } from '../bench/experiments/balloon.ts';
import { barChart } from '../bench/experiments/svg.ts';
import { err, writeOutput } from './common.ts';
import { outDir, progressBar, type ExperimentArgs } from './experiment.ts';

function table(r: SweepResult): string {
  const key = (c: Cell) => `${c.vcpus}|${c.profile}|${c.jobs}`;
  const keys = [...new Set(r.cells.map(key))];
  const variants = ['none', 'balloon', 'steal'] as const;
  const rows = [
    'VCPUs  profile  jobs   makespan / ideal: none   balloon      steal         fairness n/b/s        migrations n/b/s     competitor share n/b/s (entitled)',
  ];
  for (const k of keys) {
    const cs = variants.map((v) => r.cells.find((c) => key(c) === k && c.variant === v)!);
    const f = (c: Cell) => `${c.ratio.mean.toFixed(2)} ±${c.ratio.spread.toFixed(2)}`;
    const c0 = cs[0]!;
    rows.push(`${String(c0.vcpus).padStart(5)}  ${c0.profile.padEnd(7)}  ${String(c0.jobs).padStart(4)}   ${cs.map((c) => f(c).padStart(11)).join('  ')}`
      + `   ${cs.map((c) => c.fairness.toFixed(3)).join('/')}`.padEnd(24)
      + `   ${cs.map((c) => c.migrations.toFixed(1)).join('/')}`.padEnd(22)
      + `   ${cs.map((c) => c.competitorShare.toFixed(2)).join('/')} (${c0.competitorEntitled.toFixed(2)})`);
  }
  return rows.join('\n');
}

function figure(r: SweepResult, vcpus: number): string {
  const cells = r.cells.filter((c) => c.vcpus === vcpus);
  const cats = [...new Set(cells.map((c) => `${c.profile} ${c.jobs}`))];
  const names = { none: 'no balloon', balloon: 'balloon', steal: 'steal-time balancing' } as const;
  const series = (['none', 'balloon', 'steal'] as const).map((v) => {
    const cs = cats.map((k) => cells.find((c) => `${c.profile} ${c.jobs}` === k && c.variant === v)!);
    return { name: names[v], values: cs.map((c) => c.ratio.mean), spread: cs.map((c) => c.ratio.spread) };
  });
  return barChart({
    title: `Time ballooning, ${vcpus} VCPUs: makespan relative to the ideal (1.0)`,
    xLabel: 'profile and number of jobs', yLabel: 'makespan / ideal makespan', categories: cats,
    series: [...series, { name: 'ideal', values: cats.map(() => 1) }],
  });
}

export function experimentBalloon(parsed: ExperimentArgs): number {
  const out = outDir(parsed, 'experiment-balloon');
  const t0 = performance.now();
  err(`paravm experiment balloon${parsed.values.quick ? ' --quick' : ''}: runs the guest kernel with unequal VCPU shares`);
  const r = sweep({ quick: Boolean(parsed.values.quick), progress: progressBar });
  process.stdout.write(`${table(r)}\n`);
  writeOutput(join(out, 'results.json'), `${JSON.stringify(r, null, 2)}\n`);
  for (const v of [2, 4]) writeOutput(join(out, `makespan-${v}vcpus.svg`), figure(r, v));
  err(`paravm: ${r.runs.length} runs (job length ${(r.jobLength / 1e5).toFixed(1)} ms, seeds ${r.seeds.join(',')}) in ${((performance.now() - t0) / 1000).toFixed(0)} s; wrote ${out}/results.json and ${out}/makespan-{2,4}vcpus.svg`);
  return 0;
}
