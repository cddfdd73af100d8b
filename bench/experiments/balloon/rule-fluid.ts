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

/** Every way to hold `total` jobs on m VCPUs. */
function compositions(total: number, m: number): number[][] {
  if (m === 1) return [[total]];
  return Array.from({ length: total + 1 }, (_, x) => compositions(total - x, m - 1).map((c) => [x, ...c])).flat();
}

/**
 * Planning with the work each thread has left (what a per-thread progress
 * signal would allow), still through counts: the counts whose realisation
 * and first step, followed by the non-rotating optimum of what is left, end
 * soonest. The controller cannot know which threads the guest will move, so
 * it plans as if the guest moved those with most work left ('best').
 */
function planWithWorkLeft(planner: NonRotatingPlanner): Rule {
  return (jobs, speeds) => {
    let best: number[] = countsOf(jobs, speeds.length);
    let value = Infinity;
    for (const c of compositions(jobs.length, speeds.length)) {
      const { dt, rest } = advance(realize(jobs, c, speeds, 'best'), speeds);
      const v = dt + (rest.length > 0 ? planner.optimum(rest.map((j) => j.left)).makespan : 0);
      if (v < value - 1e-12) { value = v; best = c; }
    }
    return best;
  };
}

const controller = (gain: number): BalloonController => new BalloonController(
  { vcpus: [], vms: [], time: 0, now: () => 0, at: () => { throw new Error('not scheduled'); }, raiseIrq: () => undefined }, { gain });

/**
 * Where jobs with this much work left each (left[i]: the jobs on CPU i)
 * should be held, as counts per CPU, planned through counts: a placement
 * says how many jobs leave a CPU, not which, so a CPU's surplus is taken to
 * be its jobs with most work left, the longest going to the fastest CPU
 * that gains. The counts whose first step (to the first completion) plus
 * the preemptive optimum of what is left after it (a cheap bound, in
 * place of the non-rotating optimum) is shortest win; where they are on a tie.
 */
function planWorkLeft(left: readonly (readonly number[])[], speeds: readonly number[]): number[] {
  const jobs = left.flatMap((ws, i) => ws.map((w) => ({ w, cpu: i })));
  const here = left.map((ws) => ws.length);
  const valueOf = (want: readonly number[]): number => {
    const moving = left.flatMap((ws, i) => [...ws].sort((a, b) => b - a).slice(0, Math.max(0, here[i]! - want[i]!))).sort((a, b) => b - a);
    const slots = want.flatMap((n, i) => new Array<number>(Math.max(0, n - here[i]!)).fill(i)).sort((a, b) => speeds[b]! - speeds[a]!);
    const placed = left.flatMap((ws, i) => [...ws].sort((a, b) => b - a).slice(Math.max(0, here[i]! - want[i]!)).map((w) => ({ w, cpu: i })));
    moving.forEach((w, x) => placed.push({ w, cpu: slots[x]! }));
    const rate = (cpu: number): number => speeds[cpu]! / want[cpu]!;
    const tau = Math.min(...placed.map((j) => j.w / rate(j.cpu)));
    return tau + preemptiveMakespan(placed.map((j) => j.w - tau * rate(j.cpu)).filter((x) => x > 1e-9), speeds);
  };
  if (jobs.length === 0) return here;
  let best = here;
  let value = valueOf(here);
  for (const c of compositions(jobs.length, speeds.length)) {
    const v = valueOf(c);
    if (v < value - 1e-12) { value = v; best = c; }
  }
  return best;
}

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
    'plan, work left': planWithWorkLeft(planner),
    'plan, work left, preemptive tail': (j, s) => planWorkLeft(s.map((_, i) => j.filter((x) => x.cpu === i).map((x) => x.left)), s),
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
