/**
 * Queued spinlocks in the guest kernel (guest-kernel/32-qspinlock.s), as
 * Linux's qspinlock and pv-qspinlock: 8 threads hammer one kernel lock on 3
 * VCPUs, each VCPU time-sharing its PCPU with a CPU-bound VM, so queue
 * nodes have predecessors that get preempted. The count must stay exact;
 * the kernel panics (kassert) if an unlock ever kicks a CPU that is not the
 * queue head marked halted.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assembleFile } from '../../guest-kernel/loader/index.ts';
import { CYCLES_PER_MS } from '../../isa/clock.ts';
import { bootKernel, kernelStats, ROOT, type KernelOptions } from '../../guest-kernel/loader/index.ts';

const lockstress = assembleFile(join(ROOT, 'programs/kernel/lockstress.s'), { defines: { ROUNDS: 3000 } }).image!;
const busy = assembleFile(join(ROOT, 'programs/sched/busy.s')).image!;

function run(o: Partial<KernelOptions>) {
  const { hv, vm } = bootKernel({ vcpus: 3, pcpus: 3, programs: [lockstress], locks: 'queued', debugLocks: true, time: 4000 * CYCLES_PER_MS, ...o });
  hv.run();
  const ks = kernelStats(vm);
  const sum = (k: 'pvWaits' | 'pvEarly' | 'pvKicks' | 'pvHashed'): number => ks.cpus.reduce((n, c) => n + c[k], 0);
  return { vm, ks, waits: sum('pvWaits'), early: sum('pvEarly'), kicks: sum('pvKicks'), hashed: sum('pvHashed') };
}

const exact = 'lockstress: 8 threads, counter = 24000\n';

describe('queued spinlocks (qspinlock)', () => {
  it('the MCS queue keeps the count exact, alone and time-sharing with other VMs', () => {
    for (const r of [run({}), run({ competitor: busy })]) {
      expect(r.vm.state).toBe('shutdown');
      expect(r.vm.console.text()).toContain(exact);
      expect(r.waits).toBe(0); // without pvspin nobody halts
    }
  });
});

describe('pv-qspinlock', () => {
  it('a waiter behind a preempted predecessor halts before the spin threshold', () => {
    // A threshold no spinner reaches in this run: every halt is an early one (pv_wait_early).
    const r = run({ competitor: busy, pvspin: true, pvSpins: 2 ** 30 });
    expect(r.vm.console.text()).toContain(exact);
    expect(r.early).toBeGreaterThan(0);
    expect(r.waits).toBe(r.early);
    // Alone on their PCPUs no predecessor is ever preempted (or halted): nobody halts.
    const alone = run({ pvspin: true, pvSpins: 2 ** 30 });
    expect(alone.vm.console.text()).toContain(exact);
    expect(alone.waits).toBe(0);
  });

  it('the unlocker kicks only the halted queue head it finds in the hash', () => {
    const r = run({ competitor: busy, pvspin: true, pvSpins: 1024 });
    // No panic: every kick found a hashed head marked halted.
    expect(r.vm.state).toBe('shutdown');
    expect(r.vm.console.text()).toContain(exact);
    expect(r.kicks).toBeGreaterThan(0);
    // Each kick consumes one hashed head (a head that finds the lock free unhashes itself instead).
    expect(r.kicks).toBeLessThanOrEqual(r.hashed);
    // Halts at the threshold happen too (more waits than early halts).
    expect(r.waits).toBeGreaterThan(r.early);
  });
});
