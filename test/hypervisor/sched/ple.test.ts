/**
 * Pause-loop exits as KVM and Xen handle them (hypervisor/sched/ple.ts),
 * from guest assembly run through the hypervisor: KVM's window doubles per
 * exit up to ple_window_max and is back at ple_window when the VCPU is
 * scheduled in again; KVM's spinner gives its own PCPU up after boosting a
 * preempted sibling; Xen's exit is a plain yield with a fixed window.
 */
import { describe, expect, it } from 'vitest';
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { KvmPle, PLE_WINDOW, XenPle, growWindow } from '../../../hypervisor/sched/ple.ts';
import type { Hypervisor } from '../../../hypervisor/machine.ts';
import type { PreemptionStrategy } from '../../../hypervisor/sched/policy.ts';
import { VS, type Vcpu } from '../../../hypervisor/vcpu.ts';
import { S } from '../../../hypervisor/cpu/state.ts';
import { STATUS_BITS } from '../../../isa/csrs.ts';
import { machine } from '../../helpers/machine.ts';

/** VCPU 0 (and any other) spins in kernel mode on a flag nobody sets, with pause in the loop. */
const SPINNER = `
_start: la   t0, flag
1:      pause
        lw   t1, 0(t0)
        beqz t1, 1b
        j    1b
flag:   .word 0
`;

/** VCPU 0 starts VCPU 1; both then spin as SPINNER does. */
const SMP_SPINNER = `
_start: li   a0, HC_VCPU_ID
        hcall
        bnez a0, spin
        li   a0, HC_VCPU_START
        li   a1, 1
        la   a2, spin
        li   a3, 0x80080000
        li   a4, 0
        hcall
spin:   la   t0, flag
1:      pause
        lw   t1, 0(t0)
        beqz t1, 1b
        j    1b
flag:   .word 0
`;

/** Spins without pause (a CPU-bound competitor). */
const BUSY = `
_start: addi t0, t0, 1
        j    _start
`;

/** Records the spinner's window after every exit. */
class RecordingPle extends KvmPle {
  readonly windows: number[] = [];
  override afterRun(v: Vcpu, ran: number, pauses: number): Vcpu | null | undefined {
    const before = this.exits;
    const to = super.afterRun(v, ran, pauses);
    if (this.exits !== before) this.windows.push(this.window(v));
    return to;
  }
}

/** The machine with `strategy` in place of the configured one (a seam for the tests: the configuration names the default instance). */
function withStrategy(hv: Hypervisor, strategy: PreemptionStrategy): Hypervisor {
  Object.assign(hv, { preemption: strategy });
  return hv;
}

describe('KVM PLE: adaptive window', () => {
  it('__grow_ple_window: doubles below the base, adds above it, never passes the max', () => {
    expect(growWindow(4096, 4096, 2, 1 << 20)).toBe(8192);
    expect(growWindow(1 << 19, 4096, 2, 1 << 20)).toBe(1 << 20);
    expect(growWindow(1 << 20, 4096, 2, 1 << 20)).toBe(1 << 20);
    expect(growWindow(4096, 4096, 5000, 1 << 20)).toBe(9096);
    expect(growWindow(12345, 4096, 0, 1 << 20)).toBe(4096);
  });

  it('doubles on every exit up to its cap, and is back at the base after each schedule-in', () => {
    const cap = 8 * PLE_WINDOW;
    const ple = new RecordingPle(undefined, PLE_WINDOW, 2, cap);
    // The spinner and a competitor share PCPU 0 (slice ends schedule the spinner out and in again); PCPU 1 idles.
    const hv = withStrategy(machine([{ source: SPINNER, pin: [0] }, { source: BUSY, pin: [0] }], { pcpus: 2, preemption: 'ple', time: 60 * CYCLES_PER_MS }), ple);
    hv.run();
    const spinner = hv.vms[0]!.vcpus[0]!;
    const w = ple.windows;
    expect(w.length).toBeGreaterThan(20);
    // Every window is the previous one doubled, or capped, or (after a schedule-in) the base doubled.
    for (let i = 1; i < w.length; i++) {
      expect([Math.min(2 * w[i - 1]!, cap), 2 * PLE_WINDOW]).toContain(w[i]);
    }
    expect(w.slice(0, 4)).toEqual([2 * PLE_WINDOW, 4 * PLE_WINDOW, 8 * PLE_WINDOW, 8 * PLE_WINDOW]);
    expect(Math.max(...w)).toBe(cap);
    // Each schedule-in after the first resets the grown window (shrink_ple_window with ple_window_shrink 0).
    const resets = w.filter((x, i) => i > 0 && x < w[i - 1]!).length;
    expect(resets).toBeGreaterThan(2);
    expect(ple.shrinks).toBe(spinner.switches - 1);
    expect(resets).toBe(ple.shrinks);
    // No sibling to boost: every exit leaves the spinner on its PCPU.
    expect(ple.directed).toBe(0);
    expect(spinner.pleExits).toBe(0);
  });
});

describe('KVM PLE: kvm_vcpu_on_spin and yield_to', () => {
  it('boosts the preempted sibling, and the spinner gives its own PCPU up to the competitor', () => {
    // Two spinning VCPUs of one VM pinned to PCPUs 0 and 1, each sharing its PCPU with a competitor:
    // whenever one is preempted and the other exits, the exit boosts it (on its own PCPU) and yields.
    const run = (ple: KvmPle) => {
      const hv = withStrategy(machine([{ source: SMP_SPINNER, vcpus: 2, pin: [0, 1] }, { source: BUSY, pin: [0] }, { source: BUSY, pin: [1] }],
        { pcpus: 2, preemption: 'ple', time: 40 * CYCLES_PER_MS }), ple);
      hv.run();
      const competitors = hv.vms.slice(1).reduce((n, vm) => n + vm.vcpus[0]!.timeIn(1, hv.now()), 0);
      return { vm: hv.vms[0]!, ple, competitors };
    };
    const kvm = run(new KvmPle());
    expect(kvm.ple.exits).toBeGreaterThan(0);
    expect(kvm.ple.directed).toBeGreaterThan(0);
    expect(kvm.vm.vcpus.reduce((n, v) => n + v.pleExits, 0)).toBe(kvm.ple.directed);
    // Without yield_to's schedule() the spinner would keep its PCPU after boosting: the competitors get less.
    class KeepPcpu extends KvmPle { override readonly boostThenYield = false; }
    const keep = run(new KeepPcpu());
    expect(keep.ple.directed).toBeGreaterThan(0);
    expect(kvm.competitors).toBeGreaterThan(keep.competitors * 1.1);
  });
});

describe('Xen PLE: SCHEDOP_yield', () => {
  it('a plain yield at a fixed window: the spinner gives its PCPU to the competitor, no directed yield', () => {
    const hv = machine([{ source: SPINNER, pin: [0] }, { source: BUSY, pin: [0] }], { pcpus: 2, preemption: 'xen-ple', time: 60 * CYCLES_PER_MS });
    hv.run();
    const xen = hv.preemption as XenPle;
    const [spinner] = hv.vms[0]!.vcpus;
    // One exit per spinner slice at most: after the yield the competitor runs its whole slice.
    expect(xen.exits).toBeGreaterThan(2);
    expect(spinner!.pleExits).toBe(xen.exits);
    // Each exit yields: the spinner switches out at least once per exit, so the competitor gets most of the PCPU.
    expect(spinner!.switches).toBeGreaterThanOrEqual(xen.exits);
    expect(hv.vms[1]!.vcpus[0]!.timeIn(1, hv.now())).toBeGreaterThan(0.8 * hv.now());
  });
});

describe('KVM PLE: whom kvm_vcpu_on_spin boosts', () => {
  // Four VCPUs of one VM, states set by hand (the machine is built, not run): VCPU 0 spins in kernel
  // mode; the others are runnable, preempted in user mode, preempted in kernel mode, or blocked.
  const setupVm = () => {
    const hv = machine([{ source: SMP_SPINNER, vcpus: 4 }], { pcpus: 2 });
    const [me, user, kernel, blocked] = hv.vms[0]!.vcpus as [Vcpu, Vcpu, Vcpu, Vcpu];
    for (const v of [user, kernel]) { v.state = VS.RUNNABLE; v.switches = 1; }
    user.cpu.st[S.STATUS] = 0; // preempted in user mode
    kernel.cpu.st[S.STATUS] = STATUS_BITS.KERNEL;
    blocked.state = VS.BLOCKED;
    me.state = VS.RUNNING;
    return { me, user, kernel, blocked };
  };
  /** Spin (one pause every 14 cycles) until the window ends in an exit; what the exit boosted. */
  const exit = (ple: KvmPle, me: Vcpu): Vcpu | null | undefined => {
    for (let i = 0; i < 1000; i++) {
      const before = ple.exits;
      const to = ple.afterRun(me, 1400, 100);
      if (ple.exits !== before) return to;
    }
    throw new Error('no exit');
  };

  it('skips a sibling preempted in user mode and a blocked one, and boosts one preempted in kernel mode', () => {
    const { me, kernel } = setupVm();
    const ple = new KvmPle();
    expect(exit(ple, me)).toBe(kernel);
  });

  it('a sibling that is itself in a spin loop is eligible every other time (dy_eligible)', () => {
    const { me, user, kernel } = setupVm();
    const ple = new KvmPle();
    user.cpu.st[S.STATUS] = STATUS_BITS.KERNEL; // two kernel-mode candidates now
    // kernel yielded out of its own spin loop (an exit that boosted someone) and has not run since.
    kernel.state = VS.RUNNING;
    expect(exit(ple, kernel)).toBe(user); // kernel's exit boosts user
    kernel.state = VS.RUNNABLE;
    // me's exits go round robin after the last one boosted. kernel left its own kvm_vcpu_on_spin with
    // dy_eligible cleared, and each look at it flips it: skipped (exit 1), taken (exit 2; exit 3 starts
    // past it), skipped again (exit 4). user, not in a spin loop, is always eligible.
    const picks = [exit(ple, me), exit(ple, me), exit(ple, me), exit(ple, me)];
    expect(picks).toEqual([user, kernel, user, user]);
  });
});

