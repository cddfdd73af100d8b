/**
 * The pure parts of the experiment drivers: the ideal makespan on machines
 * of unequal speed (also when the speeds change over time), the best
 * makespan without migration, and Jain's fairness index; and short runs of
 * the time-ballooning driver, static and dynamic.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DYNAMIC, idealMakespan, idealMakespanPhased, jain, PROFILES, runOne, staticMakespan } from '../../bench/experiments/balloon/sweep.ts';

describe('idealMakespan (Gonzalez & Sahni)', () => {
  it('equal machines: total work over machines, but never less than the longest job', () => {
    expect(idealMakespan([1, 1, 1], [1, 1])).toBeCloseTo(1.5);
    expect(idealMakespan([4, 1, 1], [1, 1])).toBe(4);
    expect(idealMakespan([1], [1, 1, 1])).toBe(1);
  });

  it('unequal machines: the fastest ones take the longest jobs', () => {
    expect(idealMakespan([1, 1, 1], [1, 0.5])).toBeCloseTo(2); // 3 units over speed 1.5
    expect(idealMakespan([1, 1], [1, 0.25])).toBeCloseTo(1.6); // 2 / 1.25
    expect(idealMakespan([1, 1, 1], [1, 0.75, 0.5, 0.25])).toBeCloseTo(3 / 2.25);
    expect(idealMakespan([3, 1], [1, 0.1])).toBeCloseTo(4 / 1.1); // the fast machine helps with the short job too
    expect(idealMakespan([3, 1], [1, 1])).toBe(3); // the longest job bounds it
  });

  it('is a lower bound of every feasible schedule: never below total work / total speed, nor the longest job on the fastest machine', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
      (p, s) => {
        const c = idealMakespan(p, s);
        const total = p.reduce((a, b) => a + b, 0) / s.reduce((a, b) => a + b, 0);
        expect(c).toBeGreaterThanOrEqual(total - 1e-9);
        expect(c).toBeGreaterThanOrEqual(Math.max(...p) / Math.max(...s) - 1e-9);
      },
    ));
  });
});

describe('idealMakespanPhased (the same bound when the speeds change over time)', () => {
  it('with one phase it is idealMakespan, for equal jobs', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 10 }),
      fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
      (k, s) => {
        expect(idealMakespanPhased(k, 2, [{ at: 0, shares: s }])).toBeCloseTo(idealMakespan(Array<number>(k).fill(2), s), 9);
      },
    ));
  });

  it('follows the capacity phase by phase', () => {
    // 2 jobs; speeds 1 and 0.5 until t = 1, then 0.25 and 0.25: 1.5 units by t = 1, the last 0.5 at 0.5 per unit of time.
    expect(idealMakespanPhased(2, 1, [{ at: 0, shares: [1, 0.5] }, { at: 1, shares: [0.25, 0.25] }])).toBeCloseTo(2);
    // Reversing the speeds changes no total: 3 jobs on 1.5 units of speed take 2.
    expect(idealMakespanPhased(3, 1, [{ at: 0, shares: [1, 0.5] }, { at: 0.5, shares: [0.5, 1] }])).toBeCloseTo(2);
    // One job: the fastest machine at each moment.
    expect(idealMakespanPhased(1, 1, [{ at: 0, shares: [0.5, 0.25] }, { at: 1, shares: [0.25, 1] }])).toBeCloseTo(1.5);
  });
});

describe('staticMakespan (the best without migration)', () => {
  it('places equal jobs where they finish soonest', () => {
    expect(staticMakespan(3, 1, [1, 0.5])).toBe(2);
    expect(staticMakespan(3, 1, [1, 0.75, 0.5, 0.25])).toBe(2);
    expect(staticMakespan(5, 1, [1, 1, 1, 0.5])).toBe(2);
    expect(staticMakespan(6, 1, [1, 0.75, 0.5, 0.25])).toBe(3);
  });

  it('is never below the preemptive ideal', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 10 }),
      fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
      (k, s) => { expect(staticMakespan(k, 1, s)).toBeGreaterThanOrEqual(idealMakespan(Array<number>(k).fill(1), s) - 1e-9); },
    ));
  });
});

describe('jain', () => {
  it('is 1 for equal rates and 1/n when one of n gets everything', () => {
    expect(jain([2, 2, 2])).toBe(1);
    expect(jain([1, 0, 0, 0])).toBeCloseTo(0.25);
  });
});

describe('the time-ballooning driver', () => {
  it('runs jobs.s to completion and reports every job', () => {
    const r = runOne({ vcpus: 2, profile: PROFILES[2]![0]!, jobs: 3, work: 50, variant: 'balloon', seed: 1 });
    expect(r.completions).toHaveLength(3);
    expect(r.makespan).toBe(Math.max(...r.completions));
    expect(r.fairness).toBeGreaterThan(0.5);
    expect(r.fairness).toBeLessThanOrEqual(1);
    expect(r.throughput).toBeCloseTo(3 / (r.makespan / 100_000_000));
    expect(r.elapsed).toBeGreaterThanOrEqual(r.makespan);
    expect(r.guestRunning).toBeCloseTo(r.guestRan.reduce((a, b) => a + b, 0));
    expect(r.phases).toEqual([{ at: 0, shares: [1, 0.5] }]);
  });

  it('changes the shares mid-run in the dynamic run, and samples each job\'s progress', () => {
    const at = 500_000; // 5 ms
    const r = runOne({ vcpus: 4, profile: DYNAMIC.profile, jobs: 4, work: 600, variant: 'balloon', seed: 1, later: [{ at, shares: DYNAMIC.later }], sample: 200_000 });
    expect(r.completions).toHaveLength(4);
    expect(r.phases.map((p) => p.at)).toEqual([0, at]);
    expect(r.phases[1]!.shares[0]).toBeCloseTo(0.25, 2);
    // Before the switch VCPU 0 has its PCPU (almost) alone, after it the competitor there takes about 3/4.
    expect(r.othersRan[0]! / r.elapsed).toBeGreaterThan(0.1);
    const p = r.progress!;
    expect(p.jobs).toHaveLength(4);
    for (const xs of p.jobs) {
      expect(xs).toHaveLength(p.time.length);
      expect(xs.every((x, k) => k === 0 || x >= xs[k - 1]!)).toBe(true); // progress only grows
      expect(xs[xs.length - 1]).toBeLessThanOrEqual(600);
    }
    expect(r.targets!.target).toHaveLength(4);
  });
});
