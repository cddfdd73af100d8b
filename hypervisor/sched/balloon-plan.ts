/**
 * The non-rotating optimum: the shortest makespan of jobs on CPUs of
 * unequal speeds when jobs are (re)placed only when they start and when a
 * job completes, and between two such events every CPU shares itself
 * equally among the jobs placed on it (round robin, as a commodity guest
 * scheduler does). This is the best a controller can reach that steers a
 * commodity balancer: Linux moves a running task only in one-off cases
 * (misfit or reduced capacity, repeated balance failure: kernel/sched/fair.c,
 * load_balance() and need_active_balance()), never to rotate tasks for
 * fairness, so the preemptive optimum (Gonzalez & Sahni 1978), which needs
 * jobs to rotate between CPUs, is out of its reach.
 *
 * Exact, by depth-first branch and bound over placements at events:
 *   - a state is the multiset of the jobs' remaining work (jobs with equal
 *     remaining work are interchangeable, so placements distribute counts of
 *     each class of equal jobs over the CPUs; CPUs of equal speed are
 *     interchangeable too, so their loads are taken in one order only);
 *   - a placement runs until its first completion: on CPU i with n_i jobs
 *     each advances at s_i / n_i, so the event comes after
 *     min over i of (least remaining work on i) n_i / s_i;
 *   - the lower bound of a state is its preemptive optimum (every
 *     non-rotating schedule is a preemptive one), and states already solved
 *     are remembered (with their exact value, or a lower bound when the
 *     search was cut).
 * The controller (balloon.ts) plans with it; the balloon experiment shows it
 * as the reference of each cell.
 */

/** Remaining work equal within this (relative to a job of length 1) counts as equal; at most this counts as done. */
const EPS = 1e-9;

/**
 * The optimal preemptive makespan of jobs of lengths p (at speed 1) on
 * CPUs of speeds s (Gonzalez & Sahni 1978): the largest of total work over
 * total speed and, for k below the number of CPUs, the k longest jobs over
 * the k fastest CPUs.
 */
export function preemptiveMakespan(p: readonly number[], s: readonly number[]): number {
  const jobs = [...p].sort((a, b) => b - a);
  const speeds = [...s].sort((a, b) => b - a);
  const m = Math.min(jobs.length, speeds.length);
  let best = jobs.reduce((a, b) => a + b, 0) / speeds.slice(0, m).reduce((a, b) => a + b, 0);
  let pj = 0;
  let sk = 0;
  for (let k = 0; k < m - 1; k++) {
    pj += jobs[k]!;
    sk += speeds[k]!;
    best = Math.max(best, pj / sk);
  }
  return jobs.length === 0 ? 0 : best;
}

/**
 * A placement: how many jobs each CPU holds, and where each job goes (job k
 * of the state's work, longest first, on CPU cpu[k]).
 */
interface Placement { counts: number[]; cpu: number[] }

interface Child { placement: Placement; tau: number; rest: number[]; bound: number }

/** Every composition of `jobs` over the CPUs; of two adjacent CPUs of equal speed, the second holds no more than the first. */
function compositions(jobs: number, speeds: readonly number[]): number[][] {
  const out: number[][] = [];
  const cur = speeds.map(() => 0);
  const place = (i: number, left: number): void => {
    const same = i > 0 && speeds[i] === speeds[i - 1];
    if (i === speeds.length - 1) {
      if (same && left > cur[i - 1]!) return;
      cur[i] = left;
      out.push([...cur]);
      return;
    }
    for (let k = same ? Math.min(left, cur[i - 1]!) : left; k >= 0; k--) { cur[i] = k; place(i + 1, left - k); }
  };
  place(0, jobs);
  return out;
}

/**
 * The placements searched from a state (work longest first). By default the
 * longest jobs take the fastest places: given how many jobs each CPU holds,
 * the places (a job on CPU i advances at s_i / n_i) are filled in order of
 * rate from the longest job down. With `exhaustive`, every assignment of
 * jobs to CPUs instead (jobs of equal work interchangeable); the tests check
 * on many small cases that both give the same optimum.
 */
function placements(work: readonly number[], speeds: readonly number[], exhaustive: boolean): Placement[] {
  if (!exhaustive) {
    return compositions(work.length, speeds).map((counts) => {
      const cpu = counts.flatMap((n, i) => new Array<number>(n).fill(i));
      cpu.sort((a, b) => speeds[b]! / counts[b]! - speeds[a]! / counts[a]! || a - b);
      return { counts, cpu };
    });
  }
  const out: Placement[] = [];
  const cpu = work.map(() => 0);
  const pick = (k: number): void => {
    if (k === work.length) {
      out.push({ counts: speeds.map((_, i) => cpu.filter((c) => c === i).length), cpu: [...cpu] });
      return;
    }
    // A job of the same work as the one before goes to the same CPU or a later one (equal jobs are interchangeable).
    const from = k > 0 && Math.abs(work[k]! - work[k - 1]!) <= EPS ? cpu[k - 1]! : 0;
    for (let i = from; i < speeds.length; i++) { cpu[k] = i; pick(k + 1); }
  };
  pick(0);
  return out;
}

/** What a placement does until its first completion: the time that takes, and the remaining work after it (longest first). */
function advance(work: readonly number[], p: Placement, speeds: readonly number[]): { tau: number; rest: number[] } {
  const rate = (k: number): number => speeds[p.cpu[k]!]! / p.counts[p.cpu[k]!]!;
  let tau = Infinity;
  work.forEach((w, k) => { tau = Math.min(tau, w / rate(k)); });
  const rest = work.map((w, k) => w - tau * rate(k)).filter((x) => x > EPS);
  return { tau, rest: rest.sort((a, b) => b - a) };
}

const keyOf = (work: readonly number[]): string => work.map((x) => x.toFixed(9)).join(',');

/** A non-rotating optimum, or bounds of it when the search ran out of its budget. */
export interface NonRotating {
  /** A makespan some non-rotating schedule reaches: the optimum when exact. */
  makespan: number;
  /** A lower bound: the optimum when exact, else the preemptive optimum. */
  lower: number;
  exact: boolean;
}

/** The placements searched before the search settles for the best schedule found (about five seconds). */
export const SEARCH_BUDGET = 500_000;

/** How many placements `placements` enumerates exhaustively: per class of m equal jobs, C(m + cpus - 1, cpus - 1). */
function assignments(work: readonly number[], cpus: number): number {
  let n = 1;
  let run = 0;
  work.forEach((w, k) => {
    run = k > 0 && Math.abs(w - work[k - 1]!) <= EPS ? run + 1 : 1;
    n = (n * (run + cpus - 1)) / run; // C(run + cpus - 1, cpus - 1) built up one job at a time
  });
  return n;
}

/** The exact non-rotating optimum (within a search budget), and the placement that starts it. */
export class NonRotatingPlanner {
  private readonly memo = new Map<string, { value: number; exact: boolean }>();
  private readonly speeds: number[];
  private visited = 0;
  /** Set once the budget is spent: from then on every state is finished greedily (by its most promising placement). */
  private truncated = false;
  /** The first placement of the best schedule found by a root search (firstPlacement). */
  private first: number[] | undefined;

  /** exhaustive: every assignment of jobs to CPUs, not only the longest jobs on the fastest places. */
  constructor(speeds: readonly number[], private readonly exhaustive = true, private readonly budget = SEARCH_BUDGET) {
    if (speeds.length === 0 || speeds.some((s) => !(s > 0) || !Number.isFinite(s))) throw new RangeError('non-rotating optimum: speeds must be positive');
    this.speeds = [...speeds];
  }

  /** The shortest non-rotating makespan of jobs with this much work left each (at speed 1), or bounds of it. */
  optimum(work: readonly number[]): NonRotating {
    const w = work.filter((x) => x > EPS).sort((a, b) => b - a);
    const makespan = this.solve(w, Infinity);
    return this.truncated ? { makespan, lower: preemptiveMakespan(w, this.speeds), exact: false } : { makespan, lower: makespan, exact: true };
  }

  /** How many of `jobs` equal jobs each CPU holds first in the best non-rotating schedule found. */
  firstPlacement(jobs: number): number[] {
    if (jobs === 0) return this.speeds.map(() => 0);
    this.first = undefined;
    this.solve(new Array<number>(jobs).fill(1), Infinity, true);
    return this.first!;
  }

  /** The makespan (or the best found within the budget) of equal jobs that start placed `counts` per CPU. */
  makespanFrom(counts: readonly number[]): number {
    const cpu = counts.flatMap((n, i) => new Array<number>(n).fill(i));
    if (cpu.length === 0) return 0;
    const { tau, rest } = advance(cpu.map(() => 1), { counts: [...counts], cpu }, this.speeds);
    return tau + this.solve(rest, Infinity);
  }

  /** The states one placement away, each once (many placements lead to the same one), the most promising first. */
  private children(work: readonly number[]): Child[] {
    const seen = new Map<string, Child>();
    if (this.exhaustive && !this.truncated) {
      this.visited += assignments(work, this.speeds.length);
      if (this.visited > this.budget) this.truncated = true;
    }
    const all = placements(work, this.speeds, this.exhaustive && !this.truncated);
    if (!this.exhaustive && !this.truncated && (this.visited += all.length) > this.budget) this.truncated = true;
    for (const placement of all) {
      const { tau, rest } = advance(work, placement, this.speeds);
      const key = `${tau.toFixed(9)}:${keyOf(rest)}`;
      if (!seen.has(key)) seen.set(key, { placement, tau, rest, bound: tau + preemptiveMakespan(rest, this.speeds) });
    }
    return [...seen.values()].sort((a, b) => a.bound - b.bound);
  }

  /** The optimum from `work` if it is below `cut`; otherwise a lower bound of it that is at least `cut`. */
  private solve(work: readonly number[], cut: number, root = false): number {
    if (work.length === 0) return 0;
    if (this.truncated && !root) {
      const first = this.children(work)[0]!; // the budget is spent: finish greedily, longest jobs on the fastest places
      return first.tau + this.solve(first.rest, Infinity);
    }
    const key = keyOf(work);
    const known = this.memo.get(key);
    if (!root && known && (known.exact || known.value >= cut)) return known.value;
    let best = cut;
    let found = false;
    for (const ch of this.children(work)) {
      if (ch.bound >= best - EPS) break;
      const v = ch.tau + this.solve(ch.rest, best - ch.tau);
      if (v < best - EPS) { best = v; found = true; if (root) this.first = ch.placement.counts; }
      if (this.truncated) break; // out of budget: keep what this child gave
    }
    this.memo.set(key, found ? { value: best, exact: true } : { value: Math.max(cut, known?.value ?? 0), exact: false });
    return best;
  }
}

/** The non-rotating optimum (or its bounds) of `jobs` jobs of length `len` on CPUs of these speeds. */
export function nonRotatingMakespan(jobs: number, len: number, speeds: readonly number[], budget = SEARCH_BUDGET): NonRotating {
  const o = new NonRotatingPlanner(speeds, true, budget).optimum(new Array<number>(jobs).fill(1));
  return { makespan: len * o.makespan, lower: len * o.lower, exact: o.exact };
}
