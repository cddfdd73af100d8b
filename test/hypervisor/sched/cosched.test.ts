/**
 * Co-scheduling policies (hypervisor/sched/cosched.ts), measured on guest
 * programs run through the hypervisor: strict gang scheduling runs an SMP
 * VM's VCPUs together and never beside another SMP VM's; relaxed
 * co-scheduling co-stops a VCPU that leads its slowest sibling by more than
 * the skew bound, and co-starts it when the laggard catches up.
 */
import { describe, expect, it } from 'vitest';
import { CYCLES_PER_MS, CYCLES_PER_US } from '../../../isa/clock.ts';
import { GangPolicy, RelaxedCoschedPolicy, SKEW_THRESHOLD } from '../../../hypervisor/sched/cosched.ts';
import type { Hypervisor } from '../../../hypervisor/machine.ts';
import { DEFAULTS, type PolicyName } from '../../../hypervisor/config/index.ts';
import { VS } from '../../../hypervisor/vcpu.ts';
import { machine } from '../../helpers/machine.ts';

/** VCPU 0 starts VCPU 1; both count forever in their own slot. */
const SMP_BUSY = `
_start: li   a0, HC_VCPU_ID
        hcall
        bnez a0, work
        li   a0, HC_VCPU_START
        li   a1, 1
        la   a2, work
        li   a3, 0x80080000
        li   a4, 0
        hcall
work:   li   a0, HC_VCPU_ID
        hcall
        la   t0, slots
        slli t1, a0, 2
        add  t0, t0, t1
1:      lw   t1, 0(t0)
        addi t1, t1, 1
        sw   t1, 0(t0)
        j    1b
slots:  .space 8
`;

const BUSY = `
_start: addi t0, t0, 1
        j    _start
`;

/** Runs hv to its time limit, sampling at round ends which VM each PCPU runs. */
function sampled(hv: Hypervisor): { together: number; split: number; samples: number } {
  let together = 0;
  let split = 0;
  let samples = 0;
  while (hv.run(500) === 'paused') {
    samples++;
    const [a, b] = hv.pcpus.map((p) => p.current?.vm);
    if (a && b && a.vcpus.length > 1 && b.vcpus.length > 1) { if (a === b) together++; else split++; }
  }
  return { together, split, samples };
}

describe('gang scheduling', () => {
  const run = (policy: PolicyName) => {
    // Two 2-VCPU VMs, each VCPU pinned one per PCPU: whichever VMs the two PCPUs run, both are SMP VMs.
    // Slices of the default, jittered length: the PCPUs' slice ends drift apart, as on real hardware.
    const hv = machine([{ source: SMP_BUSY, vcpus: 2, pin: [0, 1] }, { source: SMP_BUSY, vcpus: 2, pin: [0, 1] }],
      { pcpus: 2, policy, time: 100 * CYCLES_PER_MS, sliceJitter: DEFAULTS.sliceJitter });
    return { hv, ...sampled(hv) };
  };

  it("runs a VM's VCPUs together: the two PCPUs never run VCPUs of different SMP VMs", () => {
    const gang = run('gang');
    const g = gang.hv.policy as GangPolicy;
    expect(gang.samples).toBeGreaterThan(1000);
    expect(gang.together).toBeGreaterThan(0.95 * gang.samples);
    expect(gang.split).toBe(0);
    // Slots alternate between the two VMs, and each VM gets its share.
    expect(g.gangSlots).toBeGreaterThan(5);
    const ran = gang.hv.vms.map((vm) => vm.vcpus.reduce((n, v) => n + v.timeIn(VS.RUNNING, gang.hv.now()), 0));
    expect(Math.min(...ran) / Math.max(...ran)).toBeGreaterThan(0.8);
  });

  it('proportional share alone lets the PCPUs run different VMs (slices end independently)', () => {
    const stride = run('stride');
    expect(stride.split).toBeGreaterThan(0.1 * stride.samples);
  });
});

describe('relaxed co-scheduling', () => {
  // VCPU 0 has PCPU 0 to itself; VCPU 1 shares PCPU 1 with a CPU-bound VM, so it falls behind.
  const run = (policy: PolicyName) => {
    const hv = machine([{ source: SMP_BUSY, vcpus: 2, pin: [0, 1] }, { source: BUSY, pin: [1] }],
      { pcpus: 2, policy, time: 120 * CYCLES_PER_MS });
    hv.run();
    const [v0, v1] = hv.vms[0]!.vcpus;
    const skew = RelaxedCoschedPolicy.progress(v0!, hv.now()) - RelaxedCoschedPolicy.progress(v1!, hv.now());
    return { hv, v0: v0!, v1: v1!, skew };
  };

  it('co-stops the VCPU that leads by more than the skew bound, and co-starts it when the laggard catches up', () => {
    const relaxed = run('relaxed-cosched');
    const r = relaxed.hv.policy as RelaxedCoschedPolicy;
    // VCPU 1 is preempted about every other slice (some 6 times in 120 ms): each time VCPU 0 runs ahead and is co-stopped.
    expect(r.costops).toBeGreaterThan(3);
    // The skew never passes the bound by more than the rounds it takes to notice and stop (a few 5 us quanta).
    expect(r.maxSkew).toBeGreaterThan(SKEW_THRESHOLD);
    expect(r.maxSkew).toBeLessThan(SKEW_THRESHOLD + 50 * CYCLES_PER_US);
    expect(Math.abs(relaxed.skew)).toBeLessThan(SKEW_THRESHOLD + 50 * CYCLES_PER_US);
    // Co-stopped, VCPU 0 waits although its PCPU is free: it runs about as much as VCPU 1 (half the time).
    const now = relaxed.hv.now();
    expect(relaxed.v0.timeIn(VS.RUNNABLE, now)).toBeGreaterThan(0.3 * now);
    expect(relaxed.hv.pcpus[0]!.idle).toBeGreaterThan(0.3 * now);
    // Co-started again each time: VCPU 0 keeps running to the end.
    expect(relaxed.v0.switches).toBeGreaterThan(r.costops - 1);
  });

  it('without co-scheduling the leader runs ahead without bound', () => {
    const stride = run('stride');
    expect(stride.skew).toBeGreaterThan(20 * CYCLES_PER_MS);
  });
});
