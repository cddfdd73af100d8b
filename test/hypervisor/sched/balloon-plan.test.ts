/**
 * The non-rotating optimum (hypervisor/sched/balloon-plan.ts) against cases
 * solved by hand, and its search against itself: the exhaustive search
 * never loses to the longest-jobs-on-the-fastest-places rule, and a search
 * cut short by its budget still brackets the optimum.
 */
import { describe, expect, it } from 'vitest';
import { NonRotatingPlanner, nonRotatingMakespan, preemptiveMakespan } from '../../../hypervisor/index.ts';

const equal = (k: number): number[] => new Array<number>(k).fill(1);
const GRADED = [1, 0.75, 0.5, 0.25];

describe('the non-rotating optimum', () => {
  it('one job runs alone on the fastest CPU', () => {
    expect(nonRotatingMakespan(1, 10, [0.5, 1]).makespan).toBeCloseTo(10, 9);
  });

  it('two jobs on speeds 1 and 0.5: one each, then the slow one\'s rest (0.5) moves to the fast CPU at 1: 1.5', () => {
    // Both on the fast CPU: 2. The preemptive optimum is 2 / 1.5 = 1.33 (the jobs would have to rotate).
    const o = nonRotatingMakespan(2, 1, [1, 0.5]);
    expect(o.makespan).toBeCloseTo(1.5, 9);
    expect(o.exact).toBe(true);
    expect(preemptiveMakespan(equal(2), [1, 0.5])).toBeCloseTo(4 / 3, 9);
  });

  it('three jobs on speeds 1 and 0.5: two on the fast CPU and one on the slow, all done at 2, the preemptive optimum', () => {
    expect(nonRotatingMakespan(3, 1, [1, 0.5]).makespan).toBeCloseTo(2, 9);
    expect(new NonRotatingPlanner([1, 0.5]).firstPlacement(3)).toEqual([2, 1]);
  });

  it('three jobs on the graded profile: one each on the three fastest; at 1 the slowest one\'s rest (0.5) moves to the fastest: 1.5', () => {
    const o = nonRotatingMakespan(3, 1, GRADED);
    expect(o.makespan).toBeCloseTo(1.5, 9);
    expect(o.makespan / preemptiveMakespan(equal(3), GRADED)).toBeCloseTo(1.125, 9);
  });

  it('five jobs on the graded profile: 37/36 of the preemptive optimum, starting a job on the slowest CPU at once', () => {
    const o = nonRotatingMakespan(5, 1, GRADED);
    expect(o.makespan / preemptiveMakespan(equal(5), GRADED)).toBeCloseTo(37 / 36, 9);
    expect(new NonRotatingPlanner(GRADED).firstPlacement(5)[3]).toBeGreaterThan(0);
  });

  it('jobs of unequal length: a long job and a short one on speeds 1 and 0.5', () => {
    // Long (2) on the fast CPU, short (1) on the slow: both done at 2 = (2 + 1) / 1.5, the preemptive optimum.
    expect(new NonRotatingPlanner([1, 0.5]).optimum([2, 1]).makespan).toBeCloseTo(2, 9);
  });

  it('the exhaustive search finds schedules the longest-first rule misses (six jobs, graded), and never loses to it', () => {
    const all = new NonRotatingPlanner(GRADED, true).optimum(equal(6)).makespan;
    const ordered = new NonRotatingPlanner(GRADED, false).optimum(equal(6)).makespan;
    expect(all).toBeLessThan(ordered - 1e-3);
    for (const [k, speeds] of [[4, [1, 0.6, 0.3]], [5, [1, 0.7]], [4, [1, 1, 0.5]]] as const) {
      const a = new NonRotatingPlanner(speeds, true).optimum(equal(k)).makespan;
      expect(a).toBeLessThanOrEqual(new NonRotatingPlanner(speeds, false).optimum(equal(k)).makespan + 1e-9);
      expect(a).toBeGreaterThanOrEqual(preemptiveMakespan(equal(k), speeds) - 1e-9);
    }
  });

  it('a search out of budget says so and brackets the optimum between the preemptive optimum and a schedule it found', () => {
    const cut = nonRotatingMakespan(6, 1, GRADED, 10);
    const full = nonRotatingMakespan(6, 1, GRADED);
    expect(cut.exact).toBe(false);
    expect(cut.lower).toBeLessThanOrEqual(full.makespan + 1e-9);
    expect(cut.makespan).toBeGreaterThanOrEqual(full.makespan - 1e-9);
  });

  it('rejects a speed that is not positive', () => {
    expect(() => new NonRotatingPlanner([1, 0])).toThrow(/speeds must be positive/);
  });
});
