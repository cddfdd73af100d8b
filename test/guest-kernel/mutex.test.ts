/**
 * The guest kernel's sleeping mutex (guest-kernel/34-mutex.s), used for
 * request accounting with KernelOptions.mutex: the web server of the LHP
 * experiment on 4 VCPUs, alone and with each VCPU sharing its PCPU with a
 * competing guest. A waiter spins only while the owner runs on a VCPU that
 * runs: when the hypervisor has preempted the owner's VCPU
 * (vcpu_is_preempted) it stops spinning and sleeps, as Linux's
 * mutex_spin_on_owner does, and a spinner queued behind a preempted one
 * leaves the queue (osq_lock); it never yields to the owner.
 */
import { describe, expect, it } from 'vitest';
import { CYCLES_PER_MS } from '../../isa/clock.ts';
import { kernelStats } from '../../guest-kernel/loader/index.ts';
import { setup, strategy } from '../../bench/experiments/lhp/sweep.ts';

function run(name: 'mutex-spin' | 'native') {
  const s = { ...strategy(name === 'native' ? 'native' : 'mutex-spin'), mutex: true };
  const { hv, vm } = setup({ cpus: 4, strategy: s, seed: 1, duration: 150 * CYCLES_PER_MS, warmup: 50 * CYCLES_PER_MS });
  hv.run();
  const ks = kernelStats(vm);
  const net = vm.net!.stats();
  return { ks, m: ks.acctMutex, net, yields: ks.cpus.reduce((n, c) => n + c.preemptYields, 0) };
}

describe('guest mutex with optimistic spinning on the owner', () => {
  const shared = run('mutex-spin');
  const native = run('native');

  it('serves correct responses, every request accounted under the mutex', () => {
    for (const r of [shared, native]) {
      expect(r.net.responses).toBeGreaterThan(100);
      expect(r.net.bad).toBe(0);
      // Each served request took the mutex once (the window's requests and those before it).
      expect(r.m.acquisitions).toBe(r.ks.served.requests);
      // Contended acquisitions happen: by spinning on a running owner, or after sleeping.
      expect(r.m.spun + r.m.sleeps).toBeGreaterThan(0);
    }
  });

  it("stops spinning when the owner's VCPU is preempted, and sleeps instead of yielding to it", () => {
    expect(shared.m.stopPreempted).toBeGreaterThan(0);
    // Leaving the spinner queue (behind a preempted predecessor) is one of those stops.
    expect(shared.m.osqLeft).toBeLessThanOrEqual(shared.m.stopPreempted + shared.m.stopOffCpu);
    // Every stop ends in the slow path: sleeping, unless the mutex came free on the way.
    expect(shared.m.sleeps).toBeLessThanOrEqual(shared.m.stopPreempted + shared.m.stopOffCpu);
    expect(shared.yields).toBe(0); // no confer to the owner (that is POWER's spinlock, preempt-check)
    // Alone on their PCPUs the owners' VCPUs are never preempted.
    expect(native.m.stopPreempted).toBe(0);
  });
});
