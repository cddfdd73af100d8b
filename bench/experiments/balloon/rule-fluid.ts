/**
 * The balloon controller's target rules with perfect information and no
 * delay: K equal jobs on VCPUs of the profiles' shares, the rule applied at
 * the start and again at every completion, each VCPU sharing itself equally
 * among its jobs in between, as in the non-rotating optimum
 * (hypervisor/sched/balloon-plan.ts). What separates a rule's makespan here
 * from the optimum is the rule itself; what separates a measured run from
 * this is measurement, damping and the guest balancer's delays. The start
 * is the commodity balancer's even spread with the extra jobs on the
 * fastest VCPUs; which threads move is the guest's choice (Movers).
 *
 *   npx tsx bench/experiments/balloon/rule-fluid.ts
 */
import { BalloonController, NonRotatingPlanner, preemptiveMakespan } from '../../../hypervisor/index.ts';
import { PROFILES } from './sweep.ts';

/** A job in the fluid model: work left (of 1) and its VCPU. */
export interface FluidJob { left: number; cpu: number }

/** A rule: the counts wanted, from the jobs as they are (a counts-only rule looks at their VCPUs alone) and the speeds. */
export type Rule = (jobs: readonly FluidJob[], speeds: readonly number[], movers: Movers) => number[];

/**
 * The counts say how many threads leave a VCPU, not which: the guest's
 * balancer picks them (the head of the run queue). 'best': each VCPU's
 * surplus are its jobs with most work left, the longest to the fastest
 * VCPU that gains; 'worst': those with least work left, the shortest to the
 * fastest: a favourable and an unfavourable choice.
 */
export type Movers = 'best' | 'worst';

export const countsOf = (jobs: readonly FluidJob[], m: number): number[] => Array.from({ length: m }, (_, i) => jobs.filter((j) => j.cpu === i).length);

/** The jobs after the guest realises counts `want` (copies; see Movers). */
export function realize(jobs: readonly FluidJob[], want: readonly number[], speeds: readonly number[], movers: Movers): FluidJob[] {
  const sign = movers === 'best' ? 1 : -1;
  const out = jobs.map((j) => ({ ...j }));
  const counts = countsOf(out, speeds.length);
  const first = (a: FluidJob, b: FluidJob): number => sign * (b.left - a.left);
  const moving = speeds.flatMap((_, i) => out.filter((j) => j.cpu === i).sort(first).slice(0, Math.max(0, counts[i]! - want[i]!))).sort(first);
  const slots = speeds.flatMap((_, i) => new Array<number>(Math.max(0, want[i]! - counts[i]!)).fill(i)).sort((a, b) => speeds[b]! - speeds[a]!);
  moving.forEach((j, x) => { j.cpu = slots[x]!; });
  return out;
}

/** Run the jobs where they are until the first completion: the time it took and the jobs left. */
export function advance(jobs: readonly FluidJob[], speeds: readonly number[]): { dt: number; rest: FluidJob[] } {
  const n = countsOf(jobs, speeds.length);
  const dt = Math.min(...jobs.map((j) => (j.left * n[j.cpu]!) / speeds[j.cpu]!));
  const rest = jobs.map((j) => ({ ...j, left: j.left - (dt * speeds[j.cpu]!) / n[j.cpu]! })).filter((j) => j.left > 1e-9);
  return { dt, rest };
}

/** The makespan of K jobs of length 1, started evenly spread (extra jobs on the fastest VCPUs), under a rule re-applied at every completion. */
export function fluidMakespan(rule: Rule, k: number, speeds: readonly number[], movers: Movers = 'best'): number {
  let jobs: FluidJob[] = Array.from({ length: k }, (_, j) => ({ left: 1, cpu: j % speeds.length }));
  let t = 0;
  while (jobs.length > 0) {
    const step = advance(realize(jobs, rule(jobs, speeds, movers), speeds, movers), speeds);
    t += step.dt;
    jobs = step.rest;
  }
  return t;
}

/**
 * Every way to hold `total` jobs on m VCPUs. Unlike the planner's
 * (balloon-plan.ts), VCPUs of equal speed are not interchangeable here: the
 * jobs already sit on particular ones.
 */
function compositions(total: number, m: number): number[][] {
  if (m === 1) return [[total]];
  return Array.from({ length: total + 1 }, (_, x) => compositions(total - x, m - 1).map((c) => [x, ...c])).flat();
}

/**
 * Planning with the work each thread has left (what a per-thread progress
 * signal would allow), still through counts: the counts whose realisation
 * and first step, followed by `tail` of what is left, end soonest. The
 * controller cannot know which threads the guest will move, so it plans as
 * if the guest moved those with most work left ('best'). `keep`: on a tie
 * the counts stay as they are, else the first composition wins.
 */
function planWithWorkLeft(tail: (left: number[]) => number, keep: boolean): Rule {
  return (jobs, speeds) => {
    const here = countsOf(jobs, speeds.length);
    if (jobs.length === 0) return here;
    const valueOf = (want: readonly number[]): number => {
      const { dt, rest } = advance(realize(jobs, want, speeds, 'best'), speeds);
      return dt + (rest.length > 0 ? tail(rest.map((j) => j.left)) : 0);
    };
    let best = here;
    let value = keep ? valueOf(here) : Infinity;
    for (const c of compositions(jobs.length, speeds.length)) {
      const v = valueOf(c);
      if (v < value - 1e-12) { value = v; best = c; }
    }
    return best;
  };
}

const controller = (gain: number): BalloonController => new BalloonController(
  { vcpus: [], vms: [], time: 0, now: () => 0, at: () => { throw new Error('not scheduled'); }, raiseIrq: () => undefined }, { gain });

/**
 * The rules compared: today's single moves (with and without the 10% gain)
 * and the plan for fresh equal jobs (target 'plan'), which see counts only,
 * and planning with each thread's work left (with the non-rotating
 * optimum of what is left after the first step, or the preemptive bound).
 */
export function rules(speeds: readonly number[]): Record<string, Rule> {
  const planner = new NonRotatingPlanner(speeds);
  return {
    moves: (j, s) => controller(0.1).placement(countsOf(j, s.length), s),
    'moves, gain 0': (j, s) => controller(0).placement(countsOf(j, s.length), s),
    'plan, fresh jobs': (j) => planner.firstPlacement(j.length),
    'plan, work left': planWithWorkLeft((left) => planner.optimum(left).makespan, false),
    // The preemptive optimum of what is left: a cheap bound in place of the non-rotating one.
    'plan, work left, preemptive tail': planWithWorkLeft((left) => preemptiveMakespan(left, speeds), true),
  };
}

function main(): void {
  console.log('makespan / non-rotating optimum of K equal jobs, each rule applied at the start and at every completion (perfect information, no delay);');
  console.log('best/worst: the guest moves the threads with most/least work left, that one to the fastest VCPU that gains');
  for (const vcpus of [2, 4]) for (const p of PROFILES[vcpus]!) for (const k of [3, 5, 6, 9]) {
    const opt = new NonRotatingPlanner(p.shares).optimum(new Array<number>(k).fill(1)).makespan;
    const rs = rules(p.shares);
    const cols = Object.entries(rs).map(([name, r]) => `${name} ${(['best', 'worst'] as const).map((mv) => (fluidMakespan(r, k, p.shares, mv) / opt).toFixed(3)).join('/')}`);
    console.log(`${vcpus} ${p.name.padEnd(6)} ${k}: ${cols.join('  ')}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
