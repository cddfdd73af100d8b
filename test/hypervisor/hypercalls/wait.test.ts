/**
 * The rows by which a VCPU gives up its PCPU or wakes another: YIELD
 * (undirected, directed, errors), BLOCK (wakes on a line in IMASK, errors by
 * deadlock), IPI (wakes, self, errors) and PV_WAIT / PV_KICK (no lost
 * wake-up, not woken by interrupts, errors). Guests: guests/wait/*.s;
 * exact results are in the files, bounds on timing and counters are here.
 */
import { describe, expect, it } from 'vitest';
import { expectClean, expectPromises, QUANTUM, run, run1, SLICE } from './run.ts';

describe('YIELD', () => {
  it('YIELD(-1) returns 0 at once when nothing else is runnable', () => {
    const r = run1('wait/yield-alone.s');
    expectPromises(r);
    expect(r.res(1)).toBeLessThan(100);
    expect(r.hv.vms[0]!.vcpus[0]!.yields).toBe(2);
    expectClean(r);
  });

  it('YIELD(-1) gives the PCPU to another VM for its slice', () => {
    const r = run(['wait/yield-vm.s', { file: 'spin.s', defines: { CYCLES: 300_000 } }], { slice: SLICE });
    expectPromises(r);
    expect(r.res(1)).toBeGreaterThanOrEqual(SLICE);
    expect(r.res(1)).toBeLessThan(SLICE + 100);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a directed yield runs the given sibling first', () => {
    const order = (target: number): number[] => {
      const r = run1({ file: 'wait/yield-directed.s', defines: { TARGET: target } }, { vcpus: 3 }, { slice: SLICE });
      expectPromises(r);
      expectClean(r);
      return [r.res(1), r.res(2)];
    };
    expect(order(-1)).toEqual([0, 1]);
    expect(order(2)).toEqual([1, 0]);
  });

  it('E_NOENT: neither -1 nor a VCPU index (an offline sibling is fine)', () => {
    const r = run1('wait/yield-noent.s', { vcpus: 2 });
    expectPromises(r);
    expect(r.hv.vms[0]!.vcpus[0]!.yields).toBe(1);
    expectClean(r);
  });
});

describe('BLOCK', () => {
  it('blocks until a line in IMASK is pending (STATUS.IE off), and the time shows up in STAT_BLOCKED', () => {
    const r = run1('wait/block-timer.s', {}, { pcpus: 2 });
    expectPromises(r);
    const [, , late, blocked] = r.resN(4);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(QUANTUM);
    expect(blocked).toBeGreaterThan(99_900);
    expect(blocked).toBeLessThanOrEqual(100_000);
    expectClean(r);
  });

  it('returns at once if a line in IMASK is already pending', () => {
    const r = run1('wait/block-pending.s');
    expectPromises(r);
    expect(r.res(1)).toBeLessThan(50);
    expectClean(r);
  });

  it('ignores pending lines not in IMASK', () => {
    const r = run1('wait/block-masked.s', {}, { pcpus: 2 });
    expectPromises(r);
    expect(r.res(1)).toBeGreaterThanOrEqual(30_000);
    expect(r.res(1)).toBeLessThan(30_000 + QUANTUM);
    expectClean(r);
  });

  it('is woken by an IPI from a sibling', () => {
    const r = run1('wait/block-ipi.s', { vcpus: 2 }, { pcpus: 2 });
    expectPromises(r);
    expect(r.res(1)).toBeGreaterThan(1000);
    expectClean(r);
  });

  it('with IMASK = 0 never returns (the machine reports a deadlock, no host exception)', () => {
    const r = run1('wait/block-forever.s', {}, { time: undefined });
    expect(r.stop).toBe('deadlock');
    expectPromises(r);
  });
});

describe('IPI', () => {
  it('wakes a VCPU blocked in wfi with IRQ_IPI in IMASK', () => {
    const r = run1('wait/ipi-wfi.s', { vcpus: 2 }, { pcpus: 2 });
    expectPromises(r);
    expect(r.res(4)).toBeGreaterThan(1000);
    expect(r.hv.vms[0]!.vcpus[1]!.wakeups).toBe(1);
    expectClean(r);
  });

  it('leaves a VCPU that waits for other lines blocked (it sees the IPI pending when they come)', () => {
    const r = run1('wait/ipi-other-lines.s', { vcpus: 2 }, { pcpus: 2 });
    expectPromises(r);
    expect(r.res(1)).toBeGreaterThanOrEqual(0);
    expect(r.res(1)).toBeLessThan(QUANTUM);
    expectClean(r);
  });

  it('raises IRQ_IPI on the caller itself', () => {
    const r = run1('wait/ipi-self.s');
    expectPromises(r);
    expectClean(r);
  });

  it('E_NOENT for a bad index, E_STATE for an offline VCPU (which gets nothing)', () => {
    const r = run1('wait/ipi-errors.s', { vcpus: 2 }, { pcpus: 2 });
    expectPromises(r);
    expectClean(r);
  });
});

describe('PV_WAIT and PV_KICK', () => {
  it('PV_WAIT returns at once when the word no longer equals val', () => {
    const r = run1('wait/pv-changed.s');
    expectPromises(r);
    expect(r.hv.vms[0]!.vcpus[0]!.wakeups).toBe(0);
    expectClean(r);
  });

  it('blocks until a sibling kicks it; a pending timer interrupt does not end the wait', () => {
    const r = run1('wait/pv-kick.s', { vcpus: 2 }, { pcpus: 2 });
    expectPromises(r); // IPEND: the timer is pending, it did not wake the wait
    expect(r.res(2)).toBeGreaterThan(10000);
    expect(r.hv.vms[0]!.vcpus[1]!.wakeups).toBe(1);
    expectClean(r);
  });

  it('a kick before the wait makes the next PV_WAIT return at once (no lost wake-up)', () => {
    const r = run1('wait/pv-kick-first.s');
    expectPromises(r);
    expectClean(r);
  });

  it('E_INVAL for an unaligned, user-segment or out-of-memory address; E_NOENT for a bad VCPU', () => {
    const r = run1('wait/pv-errors.s');
    expectPromises(r);
    expectClean(r);
  });
});
