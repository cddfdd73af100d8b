/**
 * The balloon controller's target rules with perfect information and no
 * delay: K equal jobs on VCPUs of the profiles' shares, the rule applied at
 * the start and again at every completion, each VCPU sharing itself equally
 * among its jobs in between, as in the non-rotating optimum
 * (hypervisor/sched/balloon-plan.ts). What separates a rule's makespan here
 * from the optimum is the rule itself; what separates a measured run from
 * this is measurement, damping and the guest balancer's delays. The movers
 * are chosen in the rule's favour (the jobs with most work left go to the
 * fastest VCPUs that gain threads), and the start is the commodity
 * balancer's even spread with the extra jobs on the fastest VCPUs.
 *
 *   npx tsx bench/experiments/balloon/rule-fluid.ts
 */
import { BalloonController } from '../../../hypervisor/sched/balloon.ts';
import { NonRotatingPlanner } from '../../../hypervisor/sched/balloon-plan.ts';
import { PROFILES } from './sweep.ts';

/** A rule: the counts wanted, from the counts now and the speeds (as the controller sees them: no work left per thread). */
export type Rule = (counts: readonly number[], speeds: readonly number[]) => number[];

/**
 * The makespan of K jobs of length 1 under a rule re-applied at every
 * completion. The counts say how many threads leave a VCPU, not which: the
 * guest's balancer picks them (the head of the run queue), so `movers` is
 * 'best' (the jobs with most work left move, the longest to the fastest
 * VCPU that gains) or 'worst' (the jobs with least work left move, the
 * shortest to the fastest), a favourable and an unfavourable choice.
 */
export function fluidMakespan(rule: Rule, k: number, speeds: readonly number[], movers: 'best' | 'worst' = 'best'): number {
  const sign = movers === 'best' ? 1 : -1;
  const m = speeds.length;
  let jobs = Array.from({ length: k }, (_, j) => ({ left: 1, cpu: j % m }));
  let t = 0;
  while (jobs.length > 0) {
    const counts = speeds.map((_, i) => jobs.filter((j) => j.cpu === i).length);
    const want = rule(counts, speeds);
    // each VCPU's surplus: its jobs with most (best) or least (worst) work left, taken in that order by the fastest places
    const first = (a: { left: number }, b: { left: number }): number => sign * (b.left - a.left);
    const out = speeds.flatMap((_, i) => jobs.filter((j) => j.cpu === i).sort(first).slice(0, Math.max(0, counts[i]! - want[i]!))).sort(first);
    const slots = speeds.flatMap((_, i) => new Array<number>(Math.max(0, want[i]! - counts[i]!)).fill(i)).sort((a, b) => speeds[b]! - speeds[a]!);
    out.forEach((j, x) => { j.cpu = slots[x]!; });
    const n = speeds.map((_, i) => jobs.filter((j) => j.cpu === i).length);
    const dt = Math.min(...jobs.map((j) => (j.left * n[j.cpu]!) / speeds[j.cpu]!));
    for (const j of jobs) j.left -= (dt * speeds[j.cpu]!) / n[j.cpu]!;
    t += dt;
    jobs = jobs.filter((j) => j.left > 1e-9);
  }
  return t;
}

const controller = (gain: number): BalloonController => new BalloonController(
  { vcpus: [], vms: [], time: 0, now: () => 0, at: () => { throw new Error('not scheduled'); }, raiseIrq: () => undefined }, { gain });

/** The rules compared: today's single moves (with and without the 10% gain), and the plan for fresh equal jobs (target 'plan', which sees counts only). */
export function rules(speeds: readonly number[]): Record<string, Rule> {
  const planner = new NonRotatingPlanner(speeds);
  return {
    moves: (c, s) => controller(0.1).placement(c, s),
    'moves, gain 0': (c, s) => controller(0).placement(c, s),
    'plan, fresh jobs': (c) => planner.firstPlacement(c.reduce((a, b) => a + b, 0)),
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
