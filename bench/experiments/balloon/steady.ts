/**
 * Time ballooning in steady state (`paravm experiment steady`): the paper
 * (Uhlig et al.) claims the balloon gives "optimal and fair load balancing",
 * a property of a machine that keeps receiving work, so here the guest runs
 * a continuing, seeded stream of jobs of mixed lengths (programs/kernel/
 * stream.s: uniform gaps, bimodal lengths) on VCPUs of unequal shares (the
 * balloon experiment's profiles and competitors, sweep.ts). After a warm-up
 * and until the last arrival the host measures the work done per unit time
 * against the sum of the shares (the capacity), and Jain's index over the
 * slowdowns (response time over the job's length alone on a full-speed
 * CPU) of the jobs that arrived in that window; and the same for the
 * references (steady-reference.ts) on the run's own arrivals and lengths.
 */
import { join } from 'node:path';
import { sharedImageCache, bootKernel, ROOT } from '../../../guest-kernel/loader/index.ts';
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { DEFAULTS } from '../../../hypervisor/index.ts';
import { userAddress, type Profile } from './sweep.ts';
import { REFERENCES, referenceRun, windowMetrics, type ReferenceName, type WindowMetrics } from './steady-reference.ts';

/** The variants that run; the references (steady-reference.ts) are computed on each run's own stream. */
export type SteadyVariant = 'none' | 'balloon' | 'steal';
export const STEADY_VARIANTS: readonly SteadyVariant[] = ['none', 'balloon', 'steal'];

export interface SteadyOptions {
  profile: Profile; variant: SteadyVariant; seed: number;
  /** Jobs in the stream, short and long lengths (work units), and the offered load over the capacity. */
  jobs: number; short: number; long: number; load: number;
  /** Cycles one work unit takes alone on a full-speed VCPU (unitCycles). */
  unit: number;
}

export interface SteadyResult {
  variant: SteadyVariant; seed: number;
  /** Work done in the window (in full-speed cycles) over window length x the sum of the shares. */
  throughput: number;
  /** Work that arrived in the window (in full-speed cycles) over window length x the sum of the shares. */
  offered: number;
  /** Jain's index over the slowdowns of the jobs that arrived in the window, their mean, and the mean of the short and of the long jobs. */
  jain: number; slowdown: number; short: number; long: number;
  /** The references on this run's arrivals and lengths: the same metrics, and throughput over capacity. */
  refs: Record<ReferenceName, WindowMetrics & { throughput: number }>;
  /** The window (cycles) and the jobs that arrived in it. */
  from: number; to: number; measured: number;
}

/** The warm-up, as a fraction of the arrival span: no source; long enough for a backlog and the controller's estimates to form. */
export const WARMUP = 0.25;
/** The share of long jobs is stream.s's (1/4); the mean job length in units. */
export const meanWork = (short: number, long: number): number => 0.75 * short + 0.25 * long;

const images = sharedImageCache();

/** The stream's mean gap (microseconds) for the offered load: mean length / (load x capacity). */
export function gapFor(o: Pick<SteadyOptions, 'short' | 'long' | 'load' | 'unit'>, capacity: number): number {
  return Math.max(1, Math.round((meanWork(o.short, o.long) * o.unit) / (o.load * capacity) / (CYCLES_PER_MS / 1000)));
}

/** The shares the competitors' rounded weights really leave (as sweep.ts's runOne), and their weights. */
function competitors(shares: readonly number[]): { real: number[]; on: number[]; weights: number[] } {
  const g = DEFAULTS.vm.weight / shares.length;
  const w = (s: number): number => Math.max(1, Math.round((g * (1 - s)) / s));
  const on = shares.flatMap((s, i) => (s < 1 ? [i] : []));
  return { real: shares.map((s) => (s < 1 ? g / (g + w(s)) : 1)), on, weights: on.map((i) => w(shares[i]!)) };
}

/** Total progress every millisecond until shutdown: [time, units done]. */
function sampler(hv: ReturnType<typeof bootKernel>['hv'], vm: ReturnType<typeof bootKernel>['vm'], sym: number, jobs: number): [number, number][] {
  const out: [number, number][] = [];
  let at = -1;
  const tick = (): void => {
    if (at < 0) at = userAddress(vm, sym);
    let n = 0;
    if (at >= 0) for (let j = 0; j < jobs; j++) n += vm.mem.readWord(at + 4 * j) >>> 0;
    out.push([hv.now(), n]);
    if (vm.running) hv.at(hv.now() + CYCLES_PER_MS, tick);
  };
  hv.at(CYCLES_PER_MS, tick);
  return out;
}

/** Units done by time t, from the last sample at or before it. */
const doneBy = (samples: readonly [number, number][], t: number): number => samples.filter(([s]) => s <= t).at(-1)?.[1] ?? 0;

export function runSteady(o: SteadyOptions): SteadyResult {
  const { real, on, weights } = competitors(o.profile.shares);
  const capacity = real.reduce((a, b) => a + b, 0);
  const defines = { JOBS: o.jobs, SHORT: o.short, LONG: o.long, GAP: gapFor(o, capacity), SEED: o.seed };
  const prog = images.file(join(ROOT, 'programs', 'kernel', 'stream.s'), { defines });
  const { hv, vm } = bootKernel({
    vcpus: real.length, pcpus: real.length, programs: [prog], seed: o.seed, time: 100_000 * CYCLES_PER_MS,
    competitor: images.file(join(ROOT, 'programs', 'sched', 'busy.s'), { defines: {} }), competitorOn: on, competitorWeights: weights,
    stealBalance: o.variant === 'steal', machine: o.variant === 'balloon' ? { balloon: {} } : {},
  });
  const samples = sampler(hv, vm, prog.symbols.find((s) => s.name === 'progress')!.value >>> 0, o.jobs);
  hv.run();
  const jobs = [...vm.console.text().matchAll(/^job \d+ work (\d+) from (\d+) to (\d+)$/gm)]
    .map((m) => ({ work: Number(m[1]), from: Number(m[2]), to: Number(m[3]) }));
  if (jobs.length !== o.jobs || vm.state !== 'shutdown') throw new Error(`steady run did not complete: ${vm.state}, ${jobs.length} jobs`);
  const last = Math.max(...jobs.map((j) => j.from));
  const from = Math.round(WARMUP * last);
  const done = (doneBy(samples, last) - doneBy(samples, from)) * o.unit;
  const stream = jobs.map((j) => ({ work: j.work * o.unit, from: j.from }));
  const offered = stream.filter((j) => j.from >= from && j.from <= last).reduce((n, j) => n + j.work, 0) / ((last - from) * capacity);
  const refs = Object.fromEntries(REFERENCES.map((r) => [r, referenceRun(r, stream, real, from, last)])) as SteadyResult['refs'];
  return {
    variant: o.variant, seed: o.seed, throughput: done / ((last - from) * capacity), offered,
    ...windowMetrics(stream, jobs.map((j) => j.to), from, last), refs,
    from, to: last, measured: stream.filter((j) => j.from >= from && j.from <= last).length,
  };
}

/** Cycles per work unit alone on a full-speed VCPU: the difference of two lone jobs of different lengths (boot and exit cancel). */
export function unitCycles(short: number): number {
  const alone = (work: number): number => {
    const prog = images.file(join(ROOT, 'programs', 'kernel', 'stream.s'), { defines: { JOBS: 1, SHORT: work, LONG: work, GAP: 1, SEED: 1 } });
    const { hv, vm } = bootKernel({ vcpus: 1, pcpus: 1, programs: [prog], seed: 1, time: 100_000 * CYCLES_PER_MS });
    hv.run();
    const m = /^job 0 work \d+ from (\d+) to (\d+)$/m.exec(vm.console.text());
    if (!m) throw new Error('unit calibration run did not complete');
    return Number(m[2]) - Number(m[1]);
  };
  return (alone(2 * short) - alone(short)) / short;
}
