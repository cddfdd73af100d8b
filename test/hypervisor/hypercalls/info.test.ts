/**
 * The rows that report on the VCPU: INFO_REGISTER (the shared info page:
 * fields, ends of memory, errors, unregistering, STEAL, PREEMPTED), STAT
 * (every counter, under contention, per VCPU, errors) and DEBUG_MARK.
 * Guests: guests/info/*.s; exact results are in the files, relations
 * between counters and bounds are here. The STAT selector errors are
 * generated: the bad selectors derive from the STATS table.
 */
import { describe, expect, it } from 'vitest';
import { E, STATS } from '../../../isa/hypercalls.ts';
import { expectClean, expectPromises, kernelSource, run, run1, SLICE, type Run } from './run.ts';

const spinner = (cycles: number) => ({ file: 'spin.s', defines: { CYCLES: cycles } });

describe('INFO_REGISTER', () => {
  it('fills VERSION, VCPU and the run-state fields at once; each VCPU gets its own page', () => {
    const r = run1('info/register.s', { vcpus: 2 }, { pcpus: 2 });
    expectPromises(r);
    expect(r.res(4)).toBeGreaterThan(0); // RUNNING_LO
    expectClean(r);
  });

  it('accepts the first and the last page of memory', () => {
    const r = run1('info/register-ends.s');
    expectPromises(r);
    expectClean(r);
  });

  it('E_INVAL: unaligned, user-segment, beyond memory, grant window (and nothing is registered)', () => {
    const r = run1('info/register-inval.s');
    expectPromises(r);
    expect(r.hv.vms[0]!.vcpus[0]!.info).toBe(-1);
    expectClean(r);
  });

  /** Two VMs on one PCPU with a short slice: VM 0 runs `file`, VM 1 spins 600000 cycles. */
  const contended = (file: string): Run => run([file, spinner(600_000)], { slice: SLICE, time: 2_000_000 });

  it('0 unregisters: the hypervisor stops writing the page', () => {
    const r = contended('info/unregister.s');
    expectPromises(r);
    expect(r.res(5)).toBeGreaterThanOrEqual(1);
    expect(r.hv.vms[0]!.vcpus[0]!.info).toBe(-1);
    expectClean(r);
  });

  it('STEAL grows while another VM holds the shared PCPU, and equals STAT_RUNNABLE', () => {
    const r = contended('info/steal.s');
    expectPromises(r);
    const [, steal, , runnable, running, statRunning] = r.resN(6);
    expect(steal).toBeGreaterThanOrEqual(SLICE);
    expect(steal).toBe(runnable);
    expect(running).toBeGreaterThan(0);
    expect(running).toBeLessThanOrEqual(statRunning!);
    expectClean(r);
  });

  it('PREEMPTED of a sibling is 1 while it is preempted, 0 once it blocks', () => {
    // VCPUs 0 and 1 pinned to PCPU 0 (PCPU 1 idles); VCPU 1 spins until told to stop.
    const r = run1('info/preempted.s', { vcpus: 2, pin: [0, 0] }, { pcpus: 2, slice: SLICE });
    expectPromises(r);
    expect(r.res(3)).toBeGreaterThanOrEqual(1);
    expectClean(r);
  });
});

describe('STAT', () => {
  it('has one selector per STATS row, numbered 0..n-1', () => {
    expect(STATS.map((s) => s.selector)).toEqual(STATS.map((_, i) => i));
  });

  it('reads every counter of a lone VCPU (a1 = high word = 0)', () => {
    const r = run1('info/stat-lone.s');
    expectPromises(r);
    expect(r.res(4)).toBeGreaterThanOrEqual(-20);
    expect(r.res(4)).toBeLessThanOrEqual(0);
    expectClean(r);
  });

  it('RUNNABLE, PREEMPTIONS and BLOCKED under contention: running + runnable + blocked = time', () => {
    // Both on PCPU 0; two PCPUs so that the IPC timeout is on time.
    const r = run([{ file: 'info/stat-contended.s', pin: [0] }, { ...spinner(600_000), pin: [0] }], { pcpus: 2, slice: SLICE });
    expectPromises(r);
    const [, running, runnable, blocked, now, preemptions] = r.resN(6);
    expect(runnable).toBeGreaterThanOrEqual(SLICE);
    expect(blocked).toBeGreaterThanOrEqual(10_000);
    expect(preemptions).toBeGreaterThanOrEqual(1);
    expect(now! - (running! + runnable! + blocked!)).toBeGreaterThanOrEqual(0);
    expect(now! - (running! + runnable! + blocked!)).toBeLessThan(50);
    expectClean(r);
  });

  it("reads the calling VCPU's own counters", () => {
    const r = run1('info/stat-own.s', { vcpus: 2 }, { pcpus: 2 });
    expectPromises(r);
    expectClean(r);
  });

  it('MIGRATIONS counts moves to another PCPU', () => {
    // VMs 0 and 2 take turns on PCPU 0, VM 1 has PCPU 1; once VM 1 blocks, PCPU 1 takes over one of the others.
    const r = run(['info/stat-migrations.s', 'info/recv-self.s', 'info/stat-migrations.s'], { pcpus: 2, slice: SLICE });
    expect(r.res(0, 0) + r.res(0, 2)).toBeGreaterThanOrEqual(1);
    expectPromises(r, 0);
    expectPromises(r, 2);
    for (const vm of [0, 1, 2]) expectClean(r, vm);
  });

  it('E_INVAL for a selector not in STATS', () => {
    const sels = [STATS.length, -1, 1000, 0x7fffffff, 0x80000000];
    const r = run1({ source: kernelSource(sels.map((s, i) => `hc HC_STAT, ${s}\n keep a0, ${i}`).join('\n')) });
    expect(r.resN(sels.length)).toEqual(sels.map(() => E.INVAL));
    expectClean(r);
  });
});

describe('DEBUG_MARK', () => {
  it('returns 0 and counts each mark in vm.debugMarks, whatever the value', () => {
    const r = run1('info/debug-mark.s');
    expectPromises(r);
    expect(r.hv.vms[0]!.debugMarks).toBe(3);
    expectClean(r);
  });
});
