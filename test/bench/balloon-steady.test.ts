/**
 * The steady-state time-ballooning runs (bench/experiments/balloon/steady.ts):
 * the metrics on hand-made cases, and a small deterministic stream on the
 * graded 4-VCPU profile whose results hold on every seed with margins.
 */
import { describe, expect, it } from 'vitest';
import { jain, PROFILES } from '../../bench/experiments/balloon/sweep.ts';
import { gapFor, meanWork, runSteady, unitCycles, type SteadyOptions } from '../../bench/experiments/balloon/steady.ts';
import { steadyRows, type SteadyRecord } from '../../bench/experiments/balloon/steady-experiment.ts';

describe('steady-state metrics', () => {
  it('Jain\'s index is 1 for equal slowdowns and 1/n when one job alone is slowed', () => {
    expect(jain([3, 3, 3, 3])).toBe(1);
    expect(jain([1, 0, 0, 0])).toBeCloseTo(0.25, 12);
    expect(jain([1, 2])).toBeCloseTo(9 / 10, 12);
  });

  it('the stream\'s gap offers the load asked for', () => {
    // mean length 0.75 x 600 + 0.25 x 2400 = 1050 units of 2000 cycles, over 1.2 x 2.5 CPUs, in us at 100 cycles/us
    expect(meanWork(600, 2400)).toBe(1050);
    expect(gapFor({ short: 600, long: 2400, load: 1.2, unit: 2000 }, 2.5)).toBe(7000);
  });

  it('the rows give each variant\'s means, then the references on the balloon runs\' streams, and Jain minus processor sharing\'s paired per run', () => {
    const ref = (jain: number, throughput: number) => ({ jain, throughput, slowdown: 2, short: 2, long: 2 });
    const rec = (variant: 'none' | 'balloon' | 'steal', seed: number, throughput: number, jain: number, ps: number): SteadyRecord => ({
      variant, seed, load: 120, throughput, offered: 1.3, jain, slowdown: 2, short: 2, long: 2, from: 0, to: 1, measured: 5,
      refs: { ps: ref(ps, 0.95), share: ref(0.8, 0.96), fcfs: ref(0.7, 0.97) },
    });
    const rows = steadyRows([rec('none', 1, 0.8, 0.7, 0.8), rec('none', 2, 0.8, 0.8, 0.9), rec('balloon', 1, 0.9, 0.8, 0.85), rec('balloon', 2, 0.9, 0.9, 0.85),
      rec('steal', 1, 1, 0.9, 0.9), rec('steal', 2, 1, 0.9, 0.9)]);
    expect(rows.map((r) => [r.variant, r.throughput.mean])).toEqual([['none', 0.8], ['balloon', 0.9], ['steal', 1], ['ps', 0.95], ['share', 0.96], ['fcfs', 0.97]]);
    // none: 0.7 - 0.8 and 0.8 - 0.9, both -0.1: a paired difference with no spread
    expect(rows[0]!.vsPs.mean).toBeCloseTo(-0.1, 12);
    expect(rows[0]!.vsPs.ci).toBeCloseTo(0, 12);
    expect(rows[3]!.jain.mean).toBeCloseTo(0.85, 12);
    expect(rows[5]!.vsPs.mean).toBeCloseTo(-0.15, 12);
  });
});

describe('a short stream on 4 graded VCPUs', () => {
  const unit = unitCycles(100);
  const opts = (variant: SteadyOptions['variant'], seed: number, jobs = 40): SteadyOptions => ({
    profile: PROFILES[4]!.find((p) => p.name === 'graded')!, variant, seed, jobs, short: 300, long: 1200, load: 1.2, unit,
  });

  it('a work unit costs about 2,000 cycles (1,000 iterations of a two-instruction loop)', () => {
    expect(unit).toBeGreaterThan(1900);
    expect(unit).toBeLessThan(2200);
  });

  // Seeds 1-4 measured (kernel of this commit): Jain over slowdowns none 0.782/0.741/0.816/0.742 (mean 0.770),
  // balloon 0.799/0.837/0.919/0.907 (mean 0.866); throughput over capacity 0.80-1.02, no variant ahead on every seed.
  it('the balloon makes slowdowns fairer than the commodity balancer alone (mean over 4 seeds, by more than 0.05)', { timeout: 60_000 }, () => {
    const mean = (variant: SteadyOptions['variant']): number => [1, 2, 3, 4].reduce((a, seed) => {
      const r = runSteady(opts(variant, seed));
      expect(r.measured).toBeGreaterThan(10);
      expect(r.throughput).toBeGreaterThan(0.3);
      expect(r.throughput).toBeLessThan(1.1);
      expect(r.jain).toBeLessThanOrEqual(1);
      return a + r.jain / 4;
    }, 0);
    expect(mean('balloon') - mean('none')).toBeGreaterThan(0.05);
  });

  it('is deterministic: the same options give the same result', { timeout: 30_000 }, () => {
    expect(runSteady(opts('balloon', 2, 16))).toEqual(runSteady(opts('balloon', 2, 16)));
  });
});
