/**
 * The time rows: TIME (monotonic, agrees with rdtime, 64 bits) and
 * SET_TIMER (fires at its deadline, at once for the past, disarms, re-arms,
 * one timer per VCPU, every error), and events a hypercall arms during a
 * round on one PCPU. Guests: guests/time/*.s; exact results are in the
 * files, bounds that depend on the machine's quantum and slice are here.
 */
import { describe, expect, it } from 'vitest';
import { expectClean, expectPromises, QUANTUM, run, run1, SLICE } from './run.ts';

describe('TIME', () => {
  it('is monotonic and agrees with rdtime around the call', () => {
    const r = run1('time/monotonic.s');
    expectPromises(r);
    const [before, lo1, , after, lo2] = r.resN(6);
    expect(lo1).toBeGreaterThanOrEqual(before!);
    expect(lo1).toBeLessThanOrEqual(after!);
    expect(lo2! - lo1!).toBeGreaterThanOrEqual(5000);
    expect(lo2! - lo1!).toBeLessThan(5100);
    expectClean(r);
  });

  it('returns the high word in a1 past 2^32 cycles (and SET_TIMER takes a 64-bit deadline)', () => {
    const r = run1('time/high-word.s', {}, { pcpus: 2, time: 2 ** 32 + 1_000_000 });
    expectPromises(r);
    expect(r.res(1)).toBeGreaterThanOrEqual(5);
    expect(r.res(1)).toBeLessThan(100);
    expectClean(r);
  });
});

describe('SET_TIMER', () => {
  it('raises IRQ_TIMER at the deadline: wfi 1 ms ahead wakes within a quantum after it (2 PCPUs)', () => {
    const r = run1('time/arm-wfi.s', {}, { pcpus: 2 });
    expectPromises(r);
    const [, deadline, woke, ipend, blocked] = r.resN(5);
    expect(woke).toBeGreaterThanOrEqual(deadline!);
    expect(woke).toBeLessThan(deadline! + QUANTUM);
    expect(ipend).toBe(1 << 0);
    expect(blocked).toBeGreaterThan(99_000);
    expect(blocked).toBeLessThanOrEqual(100_000);
    expectClean(r);
  });

  // With one PCPU the same guest stays blocked: see 'one PCPU' below.

  it('fires at once for a deadline in the past (or now)', () => {
    const r = run1('time/past.s');
    expectPromises(r);
    expectClean(r);
  });

  it('0:0 disarms: nothing fires, and wfi then blocks for good (deadlock)', () => {
    const r = run1('time/disarm.s', {}, { pcpus: 2, time: undefined });
    expectPromises(r);
    expect(r.stop).toBe('deadlock');
  });

  it('re-arming replaces the deadline (one shot)', () => {
    const r = run1('time/rearm.s', {}, { pcpus: 2, time: 1_000_000 });
    expectPromises(r);
    expect(r.res(0)).toBeGreaterThanOrEqual(50_000);
    expect(r.res(0)).toBeLessThan(50_000 + QUANTUM);
    expectClean(r);
  });

  it('each VCPU has its own timer', () => {
    const r = run1('time/per-vcpu.s', { vcpus: 2 }, { pcpus: 2 });
    for (const late of r.resN(2)) {
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(QUANTUM);
    }
    expectClean(r);
  });

  it('E_INVAL: hi < 0 or hi >= 2^21 (deadlines stay below 2^53; nothing is armed)', () => {
    const r = run1('time/inval.s');
    expectPromises(r);
    expectClean(r);
  });
});

/**
 * Regression: with one PCPU a round is not cut into quanta, so it must end
 * at events that hypercalls arm during the round (a timer, an IPC timeout);
 * once it ran on to the time limit, or until the PCPU ran out of work.
 */
describe('one PCPU: events armed by a hypercall during a round', () => {
  it('SET_TIMER: wfi 1 ms ahead wakes within a quantum after the deadline (1 PCPU, 20 ms time limit)', () => {
    const r = run1('time/arm-wfi.s', {}, { pcpus: 1 });
    expectPromises(r);
    const [, deadline, woke] = r.resN(3);
    expect(woke).toBeGreaterThanOrEqual(deadline!);
    expect(woke).toBeLessThan(deadline! + QUANTUM); // once: never woke before the 20 ms limit
    expectClean(r);
  });

  it('SET_TIMER: fires on time while another VM keeps the only PCPU busy (no time limit)', () => {
    const r = run(['time/arm-wfi.s', { file: 'spin.s', defines: { CYCLES: 500_000 } }], { pcpus: 1, slice: SLICE, time: undefined });
    expectPromises(r);
    const [, deadline, woke] = r.resN(3);
    expect(woke).toBeGreaterThanOrEqual(deadline!);
    expect(woke).toBeLessThan(deadline! + SLICE); // once: 4 ms late, when VM 1 shut down at 5 ms
  });

  it('IPC_RECV: a 100 us timeout expires on time (1 PCPU)', () => {
    const r = run1('time/recv-timeout.s', {}, { pcpus: 1 });
    expectPromises(r); // once: still blocked at the 20 ms limit
    expect(r.res(1)).toBeGreaterThanOrEqual(10_000);
    expect(r.res(1)).toBeLessThan(10_000 + QUANTUM);
  });
});
