/**
 * The time-ballooning experiment (`paravm experiment balloon`): a guest
 * whose VCPUs receive unequal shares of their PCPUs runs K CPU-bound jobs
 * (programs/kernel/jobs.s); variants: no balloon (the commodity balancer
 * alone), balloon (the hypervisor's controller, hypervisor/balloon.ts, and
 * the guest's balloon threads), steal-time-aware balancing (a guest boot
 * option) and the ideal makespan computed from the shares. The kernel image
 * is the same in every variant: `none` and `balloon` differ only in the
 * hypervisor option `machine.balloon`, `steal` only in one boot option word.
 *
 * Shares: guest VCPU i is pinned to PCPU i; a CPU-bound VM pinned to the
 * same PCPU with weight w_c leaves the VCPU the share s = g / (g + w_c),
 * where g is the guest VM's weight split over its VCPUs; so for a share s
 * the competitor's weight is g (1 - s) / s (rounded; the ideal is computed
 * from the share that rounding gives). A dynamic run changes the
 * competitors' weights at set virtual times.
 */
import { join } from 'node:path';
import { sharedImageCache } from '../../../guest-kernel/loader/index.ts';
import type { Image } from '../../../isa/image.ts';
import { KERNEL_BASE } from '../../../isa/memory.ts';
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { bootKernel, kernelStats, ksym, ROOT } from '../../../guest-kernel/loader/index.ts';
import { DEFAULTS, VS, type BalloonOptions, type Hypervisor, type Vm } from '../../../hypervisor/index.ts';
import type { Stat } from '../summary.ts';

export type { Stat } from '../summary.ts';

export interface Profile { name: string; shares: number[] }

export const PROFILES: Readonly<Record<number, Profile[]>> = {
  2: [{ name: 'half', shares: [1, 0.5] }, { name: 'graded', shares: [1, 0.7] }],
  4: [{ name: 'half', shares: [1, 1, 1, 0.5] }, { name: 'graded', shares: [1, 0.75, 0.5, 0.25] }],
};

/** The dynamic run: 4 VCPUs, graded, then (at DYNAMIC_SWITCH job lengths) the same shares in reverse order. */
export const DYNAMIC: { profile: Profile; later: number[]; jobs: number } = {
  profile: { name: 'dynamic', shares: [1, 0.75, 0.5, 0.25] }, later: [0.25, 0.5, 0.75, 1], jobs: 9,
};
/** When the dynamic run's shares change, in job lengths (about 40% into the ideal makespan). */
export const DYNAMIC_SWITCH = 1.5;

/**
 * none: the commodity balancer alone; balloon: plus the hypervisor's
 * balloons; steal: Linux's steal-time-aware balancer instead; undamped: the
 * balloon controller with its damping off (UNDAMPED), the known failure
 * mode, run on the dynamic run and one static cell only; planned: the
 * controller with target 'plan' (the non-rotating optimum's first step,
 * re-planned at completions), run on the 4-VCPU graded cells only.
 */
export type Variant = 'none' | 'balloon' | 'steal' | 'undamped' | 'planned';
export const VARIANTS: readonly Variant[] = ['none', 'balloon', 'steal'];
/** The controller planning with the non-rotating optimum (BalloonOptions.target), its damping kept. */
export const PLANNED: BalloonOptions = { target: 'plan' };
/** The controller without damping: no gain threshold, no confirmation, no smoothing, a 10 ms window. */
export const UNDAMPED: BalloonOptions = { gain: 0, confirm: 1, alpha: 1, window: 5 };

/** From virtual time `at` (cycles) on, the VCPUs' shares are `shares`. */
export interface Phase { at: number; shares: number[] }

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
  /** Jobs finished per second of virtual time (K / makespan). */
  throughput: number;
  /** Jain's fairness index over per-job progress rates (work / completion time). */
  fairness: number;
  /** Threads the guest's balancer moved. */
  migrations: number;
  /** Balloon target changes the controller published (0 without it). */
  targetChanges: number;
  /** Share of their PCPUs the competing VMs received (all of them over the PCPUs they run on), against the share their weights entitle them to. */
  competitorShare: number;
  competitorEntitled: number;
  /** Guest VCPU cycles balloon threads ran (guest-side HC_STAT RUNNING accounting), and all the guest's VCPU running cycles. */
  balloonCycles: number;
  guestRunning: number;
  /** Cycles until the guest shut down; per PCPU i, cycles guest VCPU i ran and cycles the competitors there ran. */
  elapsed: number;
  guestRan: number[];
  othersRan: number[];
  /** The shares the VCPUs really had (after the weights' rounding), per phase. */
  phases: Phase[];
  /** With RunOptions.sample: each job's progress (work units done) over time. */
  progress?: { time: number[]; jobs: number[][] };
  /** With RunOptions.sample and a balloon: each VCPU's target and speed estimate over time. */
  targets?: { time: number[]; target: number[][]; speed: number[][] };
}

/** This thread's assembled programs: a sweep's worker assembles each once, or reads it from the user's image cache. */
const images = sharedImageCache();
const image = (path: string, defines: Record<string, number> = {}): Image => images.file(path, { defines });

/**
 * The competitor of the dynamic run: CPU-bound like programs/sched/busy.s,
 * but only for part of the run. The host writes `mode` and `at` (virtual
 * time, cycles) into its memory before the run: mode 0 computes all the
 * time; mode 1 computes until `at`, then blocks for good; mode 2 sleeps
 * until `at` (one-shot timer), then computes. So the shares change at `at`
 * without touching the hypervisor: its proportional share simply splits the
 * PCPU among the VMs that want it.
 */
const PHASED_SOURCE = `
        .text
        .global _start, mode, at
_start: la      t0, mode
        lw      s0, 0(t0)
        lw      s1, at - mode(t0)
        lw      s2, at + 4 - mode(t0)
        li      t0, 2
        bne     s0, t0, 2f
        li      t0, 1 << IRQ_TIMER              # mode 2: sleep until at (woken by the timer; IE stays off)
        csrw    CSR_IMASK, t0
        li      a0, HC_SET_TIMER
        mv      a1, s1
        mv      a2, s2
        hcall
1:      li      a0, HC_BLOCK
        hcall
        rdtimeh t0
        bltu    t0, s2, 1b
        bne     t0, s2, 2f
        rdtime  t0
        bltu    t0, s1, 1b
2:      la      t0, count
3:      lw      t1, 0(t0)                       # compute
        addi    t1, t1, 1
        sw      t1, 0(t0)
        li      t1, 1
        bne     s0, t1, 3b
        rdtimeh t1                              # mode 1: until at
        bltu    t1, s2, 3b
        bne     t1, s2, 4f
        rdtime  t1
        bltu    t1, s1, 3b
4:      li      a0, HC_BLOCK                    # for good: no interrupt is enabled
        hcall
        j       4b
        .data
mode:   .word   0
at:     .word   0, 0
count:  .word   0
`;

const phased = (): Image => images.source(PHASED_SOURCE, 'phased-competitor.s');

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

/**
 * The same bound for k equal jobs of length `len` when the speeds change
 * over time (phases in time order, the first at 0): for each m up to the
 * number of machines, the time by which the m fastest machines (at each
 * moment) can have done m jobs (all k for the last m); the largest of these.
 * With one phase it is idealMakespan.
 */
export function idealMakespanPhased(k: number, len: number, phases: readonly Phase[]): number {
  const top = (shares: readonly number[], m: number): number => [...shares].sort((a, b) => b - a).slice(0, m).reduce((a, b) => a + b, 0);
  const machines = phases[0]!.shares.length;
  let best = 0;
  for (let m = 1; m <= Math.min(k, machines); m++) {
    let work = (m === Math.min(k, machines) ? k : m) * len;
    let t = 0;
    for (let i = 0; i < phases.length; i++) {
      const rate = top(phases[i]!.shares, m);
      const end = i + 1 < phases.length ? phases[i + 1]!.at : Infinity;
      if (rate > 0 && work <= rate * (end - t)) { t += work / rate; work = 0; break; }
      work -= rate * (end - t);
      t = end;
    }
    best = Math.max(best, t);
  }
  return best;
}

/**
 * The best makespan of k equal jobs of length `len` when no job ever
 * migrates (each machine runs its n_i jobs round-robin, finishing at
 * n_i len / s_i): placing the jobs one by one where they would finish
 * soonest is optimal for equal jobs.
 */
export function staticMakespan(k: number, len: number, shares: readonly number[]): number {
  const n = shares.map(() => 0);
  for (let j = 0; j < k; j++) {
    let best = 0;
    for (let i = 1; i < n.length; i++) if ((n[i]! + 1) / shares[i]! < (n[best]! + 1) / shares[best]!) best = i;
    n[best]!++;
  }
  return Math.max(...n.map((x, i) => (x * len) / shares[i]!));
}

export interface RunOptions {
  vcpus: number;
  profile: Profile;
  jobs: number;
  work: number;
  variant: Variant;
  seed: number;
  /** Later share changes (the dynamic run). */
  later?: Phase[];
  /** Sample each job's progress (and the balloon targets) every this many cycles. */
  sample?: number;
  /** The balloon controller's options (variant balloon; default its defaults). */
  balloon?: BalloonOptions;
}

/** Where user address va of the jobs process is in guest-physical memory (a walk of its page table), or -1. */
export function userAddress(vm: Vm, va: number): number {
  const w = (a: number): number => vm.mem.readWord(a) >>> 0;
  for (let i = 0; i < ksym('MAX_PROCS'); i++) {
    const p = ksym('procs') - KERNEL_BASE + i * ksym('P_SIZE');
    if (w(p + ksym('P_STATE')) === 0 || w(p + ksym('P_MODULE')) !== 0) continue;
    const root = w(p + ksym('P_PTBR')) & ~0xfff;
    if (root === 0) return -1;
    const l1 = w(root + (va >>> 22) * 4);
    if ((l1 & 1) === 0) return -1;
    const pte = w((l1 & ~0xfff) + ((va >>> 12) & 1023) * 4);
    return (pte & 1) === 0 ? -1 : (pte & ~0xfff) + (va & 0xfff);
  }
  return -1;
}

/** Every `period` cycles, each job's progress (from the guest's `progress` array) and, with a controller, its targets and speeds. */
function sample(hv: Hypervisor, vm: Vm, prog: Image, o: RunOptions, period: number): Pick<RunResult, 'progress' | 'targets'> {
  const sym = prog.symbols.find((s) => s.name === 'progress')!.value >>> 0;
  let at = -1;
  const p = { time: [] as number[], jobs: Array.from({ length: o.jobs }, () => [] as number[]) };
  const t = { time: [] as number[], target: vm.vcpus.map(() => [] as number[]), speed: vm.vcpus.map(() => [] as number[]) };
  const tick = (): void => {
    if (at < 0) at = userAddress(vm, sym);
    const now = hv.now();
    p.time.push(now);
    for (let j = 0; j < o.jobs; j++) p.jobs[j]!.push(at < 0 ? 0 : vm.mem.readWord(at + 4 * j));
    if (hv.balloon) {
      t.time.push(now);
      vm.vcpus.forEach((v, i) => { const b = hv.balloon!.of(v); t.target[i]!.push(b.target); t.speed[i]!.push(b.speed); });
    }
    if (vm.running) hv.at(now + period, tick);
  };
  hv.at(period, tick);
  return { progress: p, targets: hv.balloon ? t : undefined };
}

export function runOne(o: RunOptions): RunResult {
  const prog = image(join(ROOT, 'programs', 'kernel', 'jobs.s'), { JOBS: o.jobs, WORK: o.work });
  const busy = image(join(ROOT, 'programs', 'sched', 'busy.s'));
  const g = DEFAULTS.vm.weight / o.vcpus;
  const weightFor = (s: number): number => Math.max(1, Math.round((g * (1 - s)) / s));
  const requested = [{ at: 0, shares: o.profile.shares }, ...(o.later ?? [])];
  // Static: one CPU-bound VM on every PCPU whose VCPU has less than a full share.
  // Dynamic: one VM per PCPU and phase where the VCPU has less, each CPU-bound during its phase only.
  const comps: { pcpu: number; weight: number; from: number; to: number }[] = [];
  requested.forEach((p, k) => p.shares.forEach((s, i) => {
    if (s < 1) comps.push({ pcpu: i, weight: weightFor(s), from: p.at, to: requested[k + 1]?.at ?? Infinity });
  }));
  const on = [...new Set(comps.map((c) => c.pcpu))];
  const phases: Phase[] = requested.map((p) => ({ at: p.at, shares: p.shares.map((s) => (s < 1 ? g / (g + weightFor(s)) : 1)) }));
  const dynamic = requested.length > 1;
  const { hv, vm } = bootKernel({
    vcpus: o.vcpus, pcpus: o.vcpus, programs: [prog], seed: o.seed, time: 100_000 * CYCLES_PER_MS,
    competitor: dynamic ? phased() : busy, competitorOn: comps.map((c) => c.pcpu), competitorWeights: comps.map((c) => c.weight),
    stealBalance: o.variant === 'steal',
    machine: o.variant === 'balloon' ? { balloon: o.balloon ?? {} } : o.variant === 'undamped' ? { balloon: UNDAMPED }
      : o.variant === 'planned' ? { balloon: PLANNED } : {},
  });
  const competitors = hv.vms.slice(1);
  if (dynamic) {
    const sym = (name: string): number => (phased().symbols.find((x) => x.name === name)!.value >>> 0) - KERNEL_BASE;
    comps.forEach((c, k) => {
      const mem = competitors[k]!.mem;
      const [mode, at] = c.from === 0 && c.to === Infinity ? [0, 0] : c.from === 0 ? [1, c.to] : [2, c.from];
      mem.writeWord(sym('mode'), mode);
      mem.writeWord(sym('at'), at % 2 ** 32);
      mem.writeWord(sym('at') + 4, Math.floor(at / 2 ** 32));
    });
  }
  const { progress, targets } = o.sample ? sample(hv, vm, prog, o, o.sample) : { progress: undefined, targets: undefined };
  hv.run();
  const completions = [...vm.console.text().matchAll(/^job (\d+) cpu \d+ at (\d+)$/gm)]
    .sort((a, b) => Number(a[1]) - Number(b[1])).map((m) => Number(m[2]));
  if (completions.length !== o.jobs || vm.state !== 'shutdown') throw new Error(`run did not complete: ${vm.state}, ${completions.length} jobs`);
  if (progress) {
    // Jobs that had finished (their process may be gone from memory by the end) count as done.
    progress.jobs.forEach((xs, j) => xs.forEach((_, k) => { if (progress!.time[k]! >= completions[j]!) xs[k] = o.work; }));
  }
  const t = vm.stoppedAt;
  const makespan = Math.max(...completions);
  // What the competitors were entitled to over [0, t]: 1 - the VCPU's share, while each computes.
  const entitledTime = comps.reduce((n, c) => n + Math.max(0, Math.min(t, c.to) - c.from) * (1 - g / (g + c.weight)), 0);
  const bc = ksym('balloon_cycles') - KERNEL_BASE;
  return {
    vcpus: o.vcpus, profile: o.profile.name, jobs: o.jobs, variant: o.variant, seed: o.seed,
    makespan, completions, throughput: o.jobs / (makespan / (1000 * CYCLES_PER_MS)),
    fairness: jain(completions.map((c) => o.work / c)),
    migrations: kernelStats(vm).cpus.reduce((n, c) => n + c.migrations, 0),
    targetChanges: hv.balloon?.updates ?? 0,
    competitorShare: on.length === 0 ? 0 : competitors.reduce((n, c) => n + c.vcpus[0]!.timeIn(VS.RUNNING, t), 0) / (on.length * t),
    competitorEntitled: on.length === 0 ? 0 : entitledTime / (on.length * t),
    balloonCycles: vm.vcpus.reduce((n, _, i) => n + (vm.mem.readWord(bc + 8 * i) >>> 0) + (vm.mem.readWord(bc + 8 * i + 4) >>> 0) * 2 ** 32, 0),
    guestRunning: vm.vcpus.reduce((n, v) => n + v.timeIn(VS.RUNNING, t), 0),
    elapsed: t, guestRan: vm.vcpus.map((v) => v.timeIn(VS.RUNNING, t)),
    othersRan: vm.vcpus.map((_, i) => comps.reduce((n, c, k) => n + (c.pcpu === i ? competitors[k]!.vcpus[0]!.timeIn(VS.RUNNING, t) : 0), 0)),
    phases, progress, targets,
  };
}

/** The makespan of one job alone on a full-speed VCPU: the job length the ideal is computed with. */
export function jobLength(work: number): number {
  return runOne({ vcpus: 2, profile: { name: 'alone', shares: [1, 1] }, jobs: 1, work, variant: 'none', seed: 1 }).makespan;
}

// ---- what a sweep gives (experiment.ts builds it, report.ts shows it) ----------------

export interface Cell {
  vcpus: number;
  profile: string;
  jobs: number;
  variant: Variant;
  /** Makespan over the ideal (preemptive) makespan. */
  ratio: Stat;
  /** Makespan over the non-rotating optimum (NaN for the dynamic run), mean and 95% confidence half-width over seeds. */
  vsOptimum: Stat & { ci: number };
  /** The non-rotating optimum over the ideal, and whether its search finished (else it is the best schedule found). */
  optimum: number;
  optimumExact: boolean;
  /** The best makespan without migration over the ideal (the same for every variant; NaN for the dynamic run). */
  staticRatio: number;
  throughput: Stat;
  fairness: Stat;
  migrations: Stat;
  targetChanges: Stat;
  competitorShare: Stat;
  competitorEntitled: number;
  /** Balloon threads' VCPU cycles over all the guest's VCPU running cycles. */
  balloonFraction: Stat;
}

export interface SweepResult {
  work: number;
  jobLength: number;
  seeds: number[];
  /** When the dynamic run's shares change, cycles. */
  dynamicSwitch: number;
  runs: (RunResult & { ideal: number; static: number })[];
  cells: Cell[];
  /** The dynamic run of the first seed with its samples, per variant (for the progress and target figures). */
  sampled: RunResult[];
}
