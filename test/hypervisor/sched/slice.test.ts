/**
 * Slice lengths (hypervisor/sched/slice.ts): jittered by default within the
 * stated bounds and the same for the same seed; exact with zero jitter; the
 * explicit phase offset sets the PCPUs' first slices.
 */
import { describe, expect, it } from 'vitest';
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { DEFAULTS, defaultMachine, SliceLengths, type MachineConfig } from '../../../hypervisor/index.ts';

const config = (over: Partial<MachineConfig> = {}): MachineConfig => ({ ...defaultMachine(), pcpus: 4, ...over });
const draws = (s: SliceLengths, p: number, n: number): number[] => Array.from({ length: n }, () => s.next(p));

describe('slice lengths', () => {
  it('default: every slice within slice ± jitter/2, mean near the slice, PCPUs on streams of their own', () => {
    const s = new SliceLengths(config(), [1, 1, 1, 1]);
    const a = draws(s, 0, 2000);
    const half = DEFAULTS.sliceJitter / 2;
    expect(DEFAULTS.sliceJitter).toBe(4 * CYCLES_PER_MS);
    for (const x of a) { expect(x).toBeGreaterThanOrEqual(DEFAULTS.slice - half); expect(x).toBeLessThanOrEqual(DEFAULTS.slice + half); }
    const mean = a.reduce((m, x) => m + x, 0) / a.length;
    // Uniform over 4 ms: the mean of 2000 draws has a standard deviation of 26 us.
    expect(Math.abs(mean - DEFAULTS.slice)).toBeLessThan(0.2 * CYCLES_PER_MS);
    expect(new Set(a).size).toBeGreaterThan(1900);
    expect(draws(s, 1, 50)).not.toEqual(a.slice(0, 50));
  });

  it('the same seed gives the same lengths; another seed others', () => {
    expect(draws(new SliceLengths(config({ seed: 7 }), [1, 1, 1, 1]), 2, 20)).toEqual(draws(new SliceLengths(config({ seed: 7 }), [1, 1, 1, 1]), 2, 20));
    expect(draws(new SliceLengths(config({ seed: 8 }), [1, 1, 1, 1]), 2, 20)).not.toEqual(draws(new SliceLengths(config({ seed: 7 }), [1, 1, 1, 1]), 2, 20));
  });

  it('zero jitter: exact slices', () => {
    const s = new SliceLengths(config({ sliceJitter: 0 }), [1, 1, 1, 1]);
    expect(new Set(draws(s, 3, 100))).toEqual(new Set([DEFAULTS.slice]));
  });

  it('jitter is at most the slice', () => {
    const s = new SliceLengths(config({ slice: CYCLES_PER_MS }), [1, 1, 1, 1]);
    for (const x of draws(s, 0, 500)) { expect(x).toBeGreaterThanOrEqual(CYCLES_PER_MS / 2); expect(x).toBeLessThanOrEqual(1.5 * CYCLES_PER_MS); }
  });

  it('first slices: seeded by default, an explicit phase offset apart when given', () => {
    expect([0, 1, 2, 3].map((p) => new SliceLengths(config(), [5, 6, 7, 8]).firstSlice(p))).toEqual([5, 6, 7, 8]);
    const lockstep = new SliceLengths(config({ slicePhase: 0 }), [5, 6, 7, 8]);
    expect([0, 1, 2, 3].map((p) => lockstep.firstSlice(p))).toEqual(Array(4).fill(DEFAULTS.slice));
    const half = new SliceLengths(config({ slicePhase: DEFAULTS.slice / 2 }), [5, 6, 7, 8]);
    expect([0, 1, 2, 3].map((p) => half.firstSlice(p))).toEqual([1, 0.5, 1, 0.5].map((f) => f * DEFAULTS.slice));
  });
});
