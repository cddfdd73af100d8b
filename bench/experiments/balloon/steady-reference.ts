/**
 * References for the steady-state runs (steady.ts), computed on the very
 * arrivals and lengths a run measured, so each variant is compared with
 * what a fluid scheduler would have done with the same stream:
 *
 * - 'ps': egalitarian processor sharing on the VCPUs' shares. Every job
 *   present gets the same rate, and no job runs faster than one VCPU: with
 *   n jobs on m VCPUs of speeds s1 >= ... >= sm the rate is
 *   (s1 + ... + s_min(n,m)) / n (the n fastest VCPUs shared by rotation
 *   while n < m, all of them after). This is the "fair" schedule the paper's
 *   claim suggests; it needs jobs to rotate between VCPUs.
 * - 'fcfs': arrival order, the earliest-arrived jobs on the fastest VCPUs
 *   (one job per VCPU, the rest wait; a job moves up when one ahead of it
 *   completes). It never rotates, knows no lengths, and keeps every VCPU
 *   busy while there is work: the best a non-preemptive arrival-ordered
 *   placement can do on these speeds.
 * - 'share': jobs re-placed only at arrivals and completions, each VCPU
 *   shared equally among its jobs in between (as the non-rotating optimum
 *   of the makespan sweep); the counts put each job in turn where its rate
 *   would be highest, s_i / (c_i + 1), an empty VCPU first on a tie (so the
 *   slowest job is as fast as it can be), and the earliest-arrived jobs get
 *   the fastest places. About what the balloon's target asks for, with no delay
 *   and with the movers chosen for fairness.
 *
 * Both are exact event simulations: rates are constant between arrivals
 * and completions.
 */
import { mean } from '../summary.ts';
import { jain } from './sweep.ts';

/** One job of a stream: work in full-speed cycles, arrival time in cycles. */
export interface StreamJob { work: number; from: number }

export type ReferenceName = 'ps' | 'share' | 'fcfs';
export const REFERENCES: readonly ReferenceName[] = ['ps', 'share', 'fcfs'];

/** Rates of the present jobs (in arrival order) on speeds sorted fastest first. */
type RateRule = (present: number, speeds: readonly number[]) => number[];

const RULES: Record<ReferenceName, RateRule> = {
  ps: (n, s) => {
    const k = Math.min(n, s.length);
    const r = s.slice(0, k).reduce((a, b) => a + b, 0) / n;
    return new Array<number>(n).fill(r);
  },
  fcfs: (n, s) => Array.from({ length: n }, (_, i) => s[i] ?? 0),
  share: (n, s) => {
    const c = s.map(() => 0);
    for (let j = 0; j < n; j++) {
      let best = 0;
      for (let i = 1; i < s.length; i++) {
        const gain = s[i]! / (c[i]! + 1) - s[best]! / (c[best]! + 1);
        if (gain > 1e-12 || (Math.abs(gain) <= 1e-12 && c[i]! < c[best]!)) best = i;
      }
      c[best]!++;
    }
    return s.flatMap((x, i) => new Array<number>(c[i]!).fill(x / c[i]!)).sort((a, b) => b - a);
  },
};

/** The reference run until `until`: each job's finish time (NaN if not done) and the work it has left. */
export function simulate(rule: ReferenceName, jobs: readonly StreamJob[], speeds: readonly number[], until = Infinity): { finish: number[]; left: number[] } {
  const s = [...speeds].sort((a, b) => b - a);
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[a]!.from - jobs[b]!.from || a - b);
  const left = jobs.map((j) => j.work);
  const finish = new Array<number>(jobs.length).fill(NaN);
  const present: number[] = [];
  let next = 0;
  let t = order.length > 0 ? Math.min(jobs[order[0]!]!.from, until) : until;
  while (t < until && (next < order.length || present.length > 0)) {
    while (next < order.length && jobs[order[next]!]!.from <= t) present.push(order[next++]!);
    const rates = RULES[rule](present.length, s);
    let dt = Math.min(next < order.length ? jobs[order[next]!]!.from : Infinity, until) - t;
    present.forEach((j, i) => { if (rates[i]! > 0) dt = Math.min(dt, left[j]! / rates[i]!); });
    present.forEach((j, i) => { left[j]! -= rates[i]! * dt; });
    t += dt;
    // done when what is left is below the rounding of the job's own size
    for (let i = present.length - 1; i >= 0; i--) {
      const j = present[i]!;
      if (left[j]! <= 1e-9 * jobs[j]!.work) { finish[j] = t; left[j] = 0; present.splice(i, 1); }
    }
  }
  return { finish, left };
}

/** Work the reference does in [a, b] (full-speed cycles): work arrived by b minus what is left at b, less the same at a. */
export function referenceWork(rule: ReferenceName, jobs: readonly StreamJob[], speeds: readonly number[], a: number, b: number): number {
  const doneBy = (t: number): number => {
    const { left } = simulate(rule, jobs, speeds, t);
    return jobs.reduce((n, j, i) => n + (j.from <= t ? j.work - left[i]! : 0), 0);
  };
  return doneBy(b) - doneBy(a);
}

/** What a steady run reports of a schedule: over the jobs that arrived in the window. */
export interface WindowMetrics {
  /** Jain's index over the slowdowns, and the mean slowdown of all, of the short and of the long jobs. */
  jain: number; slowdown: number; short: number; long: number;
}

/** Slowdowns (response over work) of the jobs that arrived in [a, b], summarised; a job is long when its work is the largest of the stream's. */
export function windowMetrics(jobs: readonly StreamJob[], finish: readonly number[], a: number, b: number): WindowMetrics {
  const longest = Math.max(...jobs.map((j) => j.work));
  const inWindow = jobs.flatMap((j, i) => (j.from >= a && j.from <= b ? [{ long: j.work === longest, slow: (finish[i]! - j.from) / j.work }] : []));
  const all = inWindow.map((j) => j.slow);
  return {
    jain: jain(all), slowdown: mean(all),
    short: mean(inWindow.filter((j) => !j.long).map((j) => j.slow)), long: mean(inWindow.filter((j) => j.long).map((j) => j.slow)),
  };
}

/** A reference on a run's stream: its window metrics and its throughput over the capacity in the window. */
export function referenceRun(rule: ReferenceName, jobs: readonly StreamJob[], speeds: readonly number[], a: number, b: number): WindowMetrics & { throughput: number } {
  const capacity = speeds.reduce((x, y) => x + y, 0);
  const { finish } = simulate(rule, jobs, speeds);
  return { ...windowMetrics(jobs, finish, a, b), throughput: referenceWork(rule, jobs, speeds, a, b) / ((b - a) * capacity) };
}
