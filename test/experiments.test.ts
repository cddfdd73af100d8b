/**
 * The pure parts of the experiment drivers: the ideal makespan on machines
 * of unequal speed and Jain's fairness index; and one short run of the
 * time-ballooning driver.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { idealMakespan, jain, PROFILES, runOne } from '../bench/experiments/balloon.ts';

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
  });
});
