/**
 * The time-ballooning experiment (`paravm experiment balloon`): a guest
 * whose VCPUs receive unequal shares of their PCPUs runs K CPU-bound jobs
 * (programs/kernel/jobs.s); variants: no balloon, balloon (the hypervisor's
 * controller, hypervisor/balloon.ts, and the guest's balloon threads), and
 * the ideal makespan computed from the shares.
 *
 * Shares: guest VCPU i is pinned to PCPU i; a CPU-bound VM pinned to the
 * same PCPU with weight w_c leaves the VCPU the share s = g / (g + w_c),
 * where g is the guest VM's weight split over its VCPUs; so for a share s
 * the competitor's weight is g (1 - s) / s.
 */
import { join } from 'node:path';
import { assembleFile, formatDiagnostics } from '../../assembler/index.ts';
import type { Image } from '../../isa/image.ts';
import { bootKernel, kernelStats } from '../../guest-kernel/boot.ts';
import { DEFAULTS } from '../../hypervisor/config.ts';
import { VS } from '../../hypervisor/vcpu-ctl.ts';
import { ROOT } from '../../bin/demo.ts';

export interface Profile { name: string; shares: number[] }

export const PROFILES: Readonly<Record<number, Profile[]>> = {
  2: [{ name: 'half', shares: [1, 0.5] }, { name: 'graded', shares: [1, 0.7] }],
  4: [{ name: 'half', shares: [1, 1, 1, 0.5] }, { name: 'graded', shares: [1, 0.75, 0.5, 0.25] }],
};

/** none: the commodity balancer alone; balloon: plus the hypervisor's balloons; steal: Linux's steal-time-aware balancer instead. */
export type Variant = 'none' | 'balloon' | 'steal';

export interface RunResult {
  vcpus: number;
  profile: string;
  jobs: number;
  variant: Variant;
  seed: number;
  /** Cycles from boot until the last job finished. */
  makespan: number;
  /** Completion time of each job, cycles. */
  completions: number[];
  /** Jain's fairness index over per-job progress rates (work / completion time). */
  fairness: number;
  /** Threads the guest's balancer moved. */
  migrations: number;
  /** Share of its PCPUs the competing VMs received, against the share their weights entitle them to. */
  competitorShare: number;
  competitorEntitled: number;
}

function image(path: string, defines: Record<string, number> = {}): Image {
  const r = assembleFile(path, { defines });
  if (!r.ok) throw new Error(`${path}:\n${formatDiagnostics(r.diagnostics)}`);
  return r.image!;
}

/** Jain's index: (sum x)^2 / (n sum x^2); 1 = perfectly fair. */
export function jain(xs: readonly number[]): number {
  const s = xs.reduce((a, b) => a + b, 0);
  const q = xs.reduce((a, b) => a + b * b, 0);
  return q === 0 ? 1 : (s * s) / (xs.length * q);
}

/**
 * The optimal preemptive makespan of jobs of lengths p (at speed 1) on
 * machines of speeds s (Gonzalez & Sahni 1978): the largest of total work
 * over total speed and, for k below the number of machines, the k longest
 * jobs over the k fastest machines.
 */
export function idealMakespan(p: readonly number[], s: readonly number[]): number {
  const jobs = [...p].sort((a, b) => b - a);
  const speeds = [...s].sort((a, b) => b - a);
  let best = jobs.reduce((a, b) => a + b, 0) / speeds.slice(0, jobs.length).reduce((a, b) => a + b, 0);
  let pj = 0;
  let sk = 0;
  for (let k = 0; k < Math.min(jobs.length, speeds.length) - 1; k++) {
    pj += jobs[k]!;
    sk += speeds[k]!;
    best = Math.max(best, pj / sk);
  }
  return best;
}

export interface RunOptions { vcpus: number; profile: Profile; jobs: number; work: number; variant: Variant; seed: number }

export function runOne(o: RunOptions): RunResult {
  const prog = image(join(ROOT, 'programs', 'kernel', 'jobs.s'), { JOBS: o.jobs, WORK: o.work });
  const busy = image(join(ROOT, 'programs', 'sched', 'busy.s'));
  const g = DEFAULTS.vm.weight / o.vcpus;
  const slow = o.profile.shares.map((s, i) => [s, i] as const).filter(([s]) => s < 1);
  const { hv, vm } = bootKernel({
    vcpus: o.vcpus, pcpus: o.vcpus, programs: [prog], seed: o.seed, time: 100_000 * 100_000,
    competitor: busy, competitorOn: slow.map(([, i]) => i), competitorWeights: slow.map(([s]) => Math.max(1, Math.round((g * (1 - s)) / s))),
    stealBalance: o.variant === 'steal',
    machine: o.variant === 'balloon' ? { balloon: {} } : {},
  });
  hv.run();
  const completions = [...vm.console.text().matchAll(/^job (\d+) cpu \d+ at (\d+)$/gm)]
    .sort((a, b) => Number(a[1]) - Number(b[1])).map((m) => Number(m[2]));
  if (completions.length !== o.jobs || vm.state !== 'shutdown') throw new Error(`run did not complete: ${vm.state}, ${completions.length} jobs`);
  const t = vm.stoppedAt;
  const others = hv.vms.slice(1);
  const received = others.reduce((n, c) => n + c.vcpus[0]!.timeIn(VS.RUNNING, t), 0) / (others.length * t || 1);
  const entitled = others.length === 0 ? 0 : slow.reduce((n, [s]) => n + (1 - s), 0) / others.length;
  return {
    vcpus: o.vcpus, profile: o.profile.name, jobs: o.jobs, variant: o.variant, seed: o.seed,
    makespan: Math.max(...completions), completions, fairness: jain(completions.map((c) => o.work / c)),
    migrations: kernelStats(vm).cpus.reduce((n, c) => n + c.migrations, 0), competitorShare: received, competitorEntitled: entitled,
  };
}

/** The makespan of one job alone on a full-speed VCPU: the job length the ideal is computed with. */
export function jobLength(work: number): number {
  return runOne({ vcpus: 2, profile: { name: 'alone', shares: [1, 1] }, jobs: 1, work, variant: 'none', seed: 1 }).makespan;
}

// ---- the sweep ---------------------------------------------------------------------

export interface SweepOptions {
  quick: boolean;
  /** Called after each run: done, total. */
  progress?: (done: number, total: number) => void;
}

export interface Cell {
  vcpus: number;
  profile: string;
  jobs: number;
  variant: Variant;
  /** Makespan over the ideal makespan: mean and half the range over seeds. */
  ratio: { mean: number; spread: number };
  fairness: number;
  migrations: number;
  competitorShare: number;
  competitorEntitled: number;
}

export interface SweepResult {
  work: number;
  jobLength: number;
  seeds: number[];
  runs: (RunResult & { ideal: number })[];
  cells: Cell[];
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export function sweep(o: SweepOptions): SweepResult {
  // Jobs must last several controller windows (50 ms) for the balloon to act at all.
  const work = o.quick ? 3000 : 4000;
  const seeds = o.quick ? [1] : [1, 2, 3];
  const jobCounts = o.quick ? [3, 6] : [3, 5, 6, 9];
  const variants: Variant[] = ['none', 'balloon', 'steal'];
  const plan: RunOptions[] = [];
  for (const vcpus of [2, 4]) for (const profile of PROFILES[vcpus]!) for (const jobs of jobCounts) {
    for (const variant of variants) for (const seed of seeds) plan.push({ vcpus, profile, jobs, work, variant, seed });
  }
  const T1 = jobLength(work);
  const runs: SweepResult['runs'] = [];
  plan.forEach((p, i) => {
    const r = runOne(p);
    runs.push({ ...r, ideal: idealMakespan(Array<number>(p.jobs).fill(T1), p.profile.shares) });
    o.progress?.(i + 1, plan.length);
  });
  const cells: Cell[] = [];
  for (const r of runs) {
    if (cells.some((c) => c.vcpus === r.vcpus && c.profile === r.profile && c.jobs === r.jobs && c.variant === r.variant)) continue;
    const same = runs.filter((x) => x.vcpus === r.vcpus && x.profile === r.profile && x.jobs === r.jobs && x.variant === r.variant);
    const ratios = same.map((x) => x.makespan / x.ideal);
    cells.push({
      vcpus: r.vcpus, profile: r.profile, jobs: r.jobs, variant: r.variant,
      ratio: { mean: mean(ratios), spread: (Math.max(...ratios) - Math.min(...ratios)) / 2 },
      fairness: mean(same.map((x) => x.fairness)), migrations: mean(same.map((x) => x.migrations)),
      competitorShare: mean(same.map((x) => x.competitorShare)), competitorEntitled: r.competitorEntitled,
    });
  }
  return { work, jobLength: T1, seeds, runs, cells };
}
