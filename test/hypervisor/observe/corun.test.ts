/**
 * The co-run diagnostic (hypervisor/observe/corun.ts): how many of a VM's
 * VCPUs ran at once, on machines where the answer is known, with and
 * without folding spans mid-run, and the Poisson-binomial reference.
 */
import { describe, expect, it } from 'vitest';
import { CYCLES_PER_MS, CYCLES_PER_US } from '../../../isa/clock.ts';
import { collectStats, coRunSummary, poissonBinomial } from '../../../hypervisor/index.ts';
import { runMachine } from '../../helpers/machine.ts';

/** Starts VCPU 1 at the same entry; both VCPUs then spin. */
const SMP2 = `
_start: li   a0, HC_VCPU_ID
        hcall
        bnez a0, spin
        li   a0, HC_VCPU_START
        li   a1, 1
        la   a2, _start
        li   a3, 0x80081000
        li   a4, 0
        hcall
spin:   j    spin
`;

describe('co-run diagnostic', () => {
  it('the Poisson-binomial of equal probabilities is the binomial', () => {
    expect(poissonBinomial([0.5, 0.5, 0.5, 0.5]).map((x) => x * 16)).toEqual([1, 4, 6, 4, 1]);
    expect(poissonBinomial([1, 0])).toEqual([0, 1, 0]);
  });

  it('two VCPUs on two PCPUs run together nearly all the time, as independence with p near 1 predicts', () => {
    const { hv } = runMachine([{ source: SMP2, vcpus: 2 }], { pcpus: 2, time: 20 * CYCLES_PER_MS });
    const h = hv.corun.histogram(hv.vms[0]!);
    expect(h.reduce((a, b) => a + b, 0)).toBe(hv.time);
    const s = collectStats(hv).vms[0]!.corun!;
    expect(s.observed[2]).toBeGreaterThan(0.99);
    expect(s.tv).toBeLessThan(0.01);
  });

  it('two VCPUs on one PCPU never run together: far from independent phases', () => {
    // 20 us slices: thousands of spans, so the histogram is folded many times during the run.
    for (const slice of [CYCLES_PER_MS, 20 * CYCLES_PER_US]) {
      const { hv } = runMachine([{ source: SMP2, vcpus: 2 }], { pcpus: 1, slice, quantum: Math.min(slice, 5 * CYCLES_PER_US), time: 100 * CYCLES_PER_MS });
      const h = hv.corun.histogram(hv.vms[0]!);
      expect(h.reduce((a, b) => a + b, 0)).toBe(hv.time);
      expect(h[2]).toBe(0);
      const s = collectStats(hv).vms[0]!.corun!;
      expect(s.observed[1]).toBeGreaterThan(0.99);
      // Each VCPU ran about half the time: independence would put both on a PCPU a quarter of the time.
      expect(s.independent[2]).toBeGreaterThan(0.24);
      expect(s.tv).toBeGreaterThan(0.24);
    }
  });

  it('a one-VCPU VM has no co-run statistics', () => {
    const { hv } = runMachine([{ source: 'spin: j spin' }], { time: CYCLES_PER_MS });
    expect(collectStats(hv).vms[0]!.corun).toBeUndefined();
  });

  it('the summary of a window: fractions of its time, and the distance from the reference', () => {
    const s = coRunSummary([50, 0, 50], [50, 50]);
    expect(s.observed).toEqual([0.5, 0, 0.5]);
    expect(s.independent).toEqual([0.25, 0.5, 0.25]);
    expect(s.tv).toBeCloseTo(0.5, 12);
  });
});
