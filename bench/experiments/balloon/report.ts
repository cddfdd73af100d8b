/**
 * The time-ballooning sweep's report (the sweep is sweep.ts): a table (makespan over the
 * non-rotating optimum, mean and 95% CI over seeds; the optimum and the best makespan
 * without migration over the preemptive ideal;
 * fairness; migrations; the competing VMs' share; the balloon threads' own
 * VCPU time), writes results.json and the SVG figures: makespan per VCPU
 * count, and for the dynamic run each job's progress over time (without
 * and with the balloon) and the balloon targets over time.
 */
import { VARIANTS, type Cell, type RunResult, type SweepResult } from './sweep.ts';
import type { Provenance } from '../provenance.ts';
import { lineChart, type LineSeries } from '../svg.ts';
import { intervalChart, type IntervalSeries } from './figure.ts';
import { CYCLES_PER_MS } from '../../../isa/clock.ts';

const NAMES = { none: 'no balloon', balloon: 'balloon', steal: 'steal-time balancing', undamped: 'balloon without damping', planned: 'balloon planning (non-rotating)' } as const;

const ci = (c: Cell): string => Number.isNaN(c.vsOptimum.mean) ? '-' : `${c.vsOptimum.mean.toFixed(3)} ±${Number.isFinite(c.vsOptimum.ci) ? c.vsOptimum.ci.toFixed(3) : '-'}`;
const optimum = (c: Cell): string => (Number.isNaN(c.optimum) ? '  -   ' : `${c.optimumExact ? ' ' : '<'}${c.optimum.toFixed(4)}`);

export function table(r: SweepResult): string {
  const key = (c: Cell) => `${c.vcpus}|${c.profile}|${c.jobs}`;
  const keys = [...new Set(r.cells.map(key))];
  const rows = [
    'makespan / non-rotating optimum (mean ±95% confidence half-width over seeds, Student t); opt = non-rotating optimum / ideal (preemptive,',
    'Gonzalez-Sahni) makespan, "<" where its search ran out of budget (then the best schedule found: the optimum lies between the ideal and it);',
    'static = best makespan without migration / ideal; n/b/s = none/balloon/steal; competitor = share of its PCPU the competing VM got (entitled);',
    'balloon time = balloon threads\' VCPU time / guest VCPU time',
    '',
    'VCPUs  profile  jobs   opt      static   none           balloon        steal          fairness n/b/s      migrations n/b/s    targets  competitor n/b/s (entitled)  balloon time',
  ];
  for (const k of keys) {
    const cs = VARIANTS.map((v) => r.cells.find((c) => key(c) === k && c.variant === v)!);
    const c0 = cs[0]!;
    const b = cs[1]!;
    rows.push(`${String(c0.vcpus).padStart(5)}  ${c0.profile.padEnd(7)}  ${String(c0.jobs).padStart(4)}   ${optimum(c0).padEnd(7)}  `
      + `${Number.isNaN(c0.staticRatio) ? '  -   ' : c0.staticRatio.toFixed(2).padStart(6)}   ${cs.map((c) => ci(c).padEnd(13)).join('  ')}  `
      + `${cs.map((c) => c.fairness.mean.toFixed(3)).join('/')}   `
      + `${cs.map((c) => c.migrations.mean.toFixed(1)).join('/')}`.padEnd(20)
      + `${b.targetChanges.mean.toFixed(1).padStart(7)}  `
      + `${cs.map((c) => c.competitorShare.mean.toFixed(2)).join('/')} (${c0.competitorEntitled.toFixed(2)})`.padEnd(29)
      + `${(100 * b.balloonFraction.mean).toFixed(2)}%`);
  }
  const planned = r.cells.filter((c) => c.variant === 'planned');
  if (planned.length > 0) {
    rows.push('', 'Target rule: single moves off the bottleneck (balloon, the default) against planning with the non-rotating optimum of equal jobs (target \'plan\')',
      '', 'VCPUs  profile  jobs   makespan / non-rotating optimum: moves  plan             migrations: moves  plan    target changes: moves  plan');
    for (const u of planned) {
      const d = r.cells.find((c) => key(c) === key(u) && c.variant === 'balloon')!;
      rows.push(`${String(u.vcpus).padStart(5)}  ${u.profile.padEnd(7)}  ${String(u.jobs).padStart(4)}   ${ci(d).padStart(37)}  ${ci(u).padEnd(15)}`
        + `${d.migrations.mean.toFixed(1).padStart(19)}  ${u.migrations.mean.toFixed(1).padEnd(6)}  ${d.targetChanges.mean.toFixed(1).padStart(21)}  ${u.targetChanges.mean.toFixed(1)}`);
    }
  }
  const undamped = r.cells.filter((c) => c.variant === 'undamped');
  if (undamped.length > 0) {
    rows.push('', 'Damping (the known failure mode): the balloon controller as above, and with its damping off (no gain threshold, no confirmation, no smoothing, a 10 ms window)',
      '', 'VCPUs  profile  jobs   makespan / ideal: damped  undamped       migrations: damped  undamped    target changes: damped  undamped');
    for (const u of undamped) {
      const d = r.cells.find((c) => key(c) === key(u) && c.variant === 'balloon')!;
      rows.push(`${String(u.vcpus).padStart(5)}  ${u.profile.padEnd(7)}  ${String(u.jobs).padStart(4)}   ${`${d.ratio.mean.toFixed(2)} ±${d.ratio.spread.toFixed(2)}`.padStart(24)}  ${`${u.ratio.mean.toFixed(2)} ±${u.ratio.spread.toFixed(2)}`.padEnd(13)}`
        + `${d.migrations.mean.toFixed(1).padStart(20)}  ${u.migrations.mean.toFixed(1).padEnd(10)}  ${d.targetChanges.mean.toFixed(1).padStart(22)}  ${u.targetChanges.mean.toFixed(1)}`);
    }
  }
  return rows.join('\n');
}

function figure(r: SweepResult, vcpus: number): string {
  const cells = r.cells.filter((c) => c.vcpus === vcpus && !Number.isNaN(c.optimum));
  const cats = [...new Set(cells.map((c) => `${c.profile} ${c.jobs}`))];
  const variants = [...VARIANTS, ...(cells.some((c) => c.variant === 'planned') ? ['planned' as const] : [])];
  const series: IntervalSeries[] = variants.map((v) => {
    const cs = cats.map((k) => cells.find((c) => `${c.profile} ${c.jobs}` === k && c.variant === v));
    return { name: NAMES[v], values: cs.map((c) => c?.vsOptimum.mean ?? NaN), ci: cs.map((c) => c?.vsOptimum.ci ?? NaN) };
  });
  const head = cats.map((k) => cells.find((c) => `${c.profile} ${c.jobs}` === k)!);
  series.push({ name: 'preemptive ideal', values: head.map((c) => 1 / c.optimum), ci: head.map(() => NaN) },
    { name: 'best without migration', values: head.map((c) => c.staticRatio / c.optimum), ci: head.map(() => NaN) });
  return intervalChart({
    title: `Time ballooning, ${vcpus} VCPUs: makespan relative to the non-rotating optimum (error bars: 95% CI over ${r.seeds.length} seeds)`,
    xLabel: 'profile and number of jobs', yLabel: 'makespan / non-rotating optimum', categories: cats, series,
    refs: [[1, 'non-rotating optimum'], [1.1, 'bound 1.10']],
  });
}

const ms = (cycles: number): number => cycles / CYCLES_PER_MS;

function progressFigure(run: RunResult, r: SweepResult): string {
  const p = run.progress!;
  const series: LineSeries[] = p.jobs.map((xs, j) => ({ name: `job ${j}`, points: xs.map((x, k) => [ms(p.time[k]!), (100 * x) / r.work] as [number, number]) }));
  return lineChart({
    title: `Dynamic run, ${NAMES[run.variant]}: progress of each job`,
    xLabel: `virtual time (ms); the shares reverse at ${ms(r.dynamicSwitch).toFixed(0)} ms`, yLabel: 'work done (%)', series, yMax: 100,
  });
}

function targetFigure(run: RunResult, r: SweepResult): string {
  const t = run.targets!;
  // Targets are steps: each value holds until the next sample.
  const steps = (ys: number[]): [number, number][] => ys.flatMap((y, k) => (k === 0 ? [[ms(t.time[k]!), y]] : [[ms(t.time[k]!), ys[k - 1]!], [ms(t.time[k]!), y]]) as [number, number][]);
  return lineChart({
    title: `Dynamic run: balloon target of each VCPU (shares reverse at ${ms(r.dynamicSwitch).toFixed(0)} ms)`,
    xLabel: 'virtual time (ms)', yLabel: 'balloon threads asked for', series: t.target.map((ys, i) => ({ name: `VCPU ${i}`, points: steps(ys) })),
  });
}

function speedFigure(run: RunResult, r: SweepResult): string {
  const t = run.targets!;
  const shares = (k: number): string => run.phases[k]!.shares.map((x) => x.toFixed(2)).join(', ');
  return lineChart({
    title: 'Dynamic run: the controller\'s speed estimate of each VCPU',
    xLabel: `virtual time (ms); real shares ${shares(0)}, from ${ms(r.dynamicSwitch).toFixed(0)} ms ${shares(1)}`,
    yLabel: 'estimated share of the PCPU', yMax: 1,
    series: t.speed.map((ys, i) => ({ name: `VCPU ${i}`, points: ys.map((y, k) => [ms(t.time[k]!), y] as [number, number]) })),
  });
}

/** The files the sweep writes beside its table: results.json and the figures. */
export function balloonFiles(r: SweepResult, provenance?: Provenance): [string, string][] {
  const files: [string, string][] = [['results.json', `${JSON.stringify(provenance ? { provenance, ...r } : r, null, 1)}\n`]];
  for (const v of new Set(r.cells.map((c) => c.vcpus))) files.push([`makespan-${v}vcpus.svg`, figure(r, v)]);
  for (const run of r.sampled) {
    if (run.variant !== 'none' && run.variant !== 'balloon') continue;
    files.push([`progress-${run.variant}.svg`, progressFigure(run, r)]);
    if (run.targets) files.push(['targets.svg', targetFigure(run, r)], ['speeds.svg', speedFigure(run, r)]);
  }
  return files;
}

/** What the command line shows of a finished sweep. */
export function balloonSummary(r: SweepResult): string {
  return `${r.runs.length} runs (job length ${ms(r.jobLength).toFixed(1)} ms, seeds ${r.seeds.join(',')})`;
}
