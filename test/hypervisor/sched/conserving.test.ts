/**
 * The scheduler is work-conserving and idle PCPUs cost nothing: a PCPU with
 * nothing to run only lets time pass, and an idle PCPU's own queue is not
 * stolen by a PCPU whose clock is behind it (which made the VCPU wait while
 * its PCPU idled, as in the IPC showcase at start).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Hypervisor } from '../../../hypervisor/machine.ts';
import { ROOT } from '../../../guest-kernel/loader/root.ts';
import { asmFile } from '../../helpers/guest.ts';
import { machine, machineConfig } from '../../helpers/machine.ts';

describe('work-conserving', () => {
  it('IPC showcase (2 PCPUs): the client starts at once on the idle PCPU, and PCPU 1 works', () => {
    const imgs = ['server.s', 'client.s'].map((f) => asmFile(join(ROOT, 'programs', 'ipc', f)));
    const cfg = machineConfig([{ source: '', name: 'kv' }, { source: '', name: 'client' }], { pcpus: 2, seed: 1 });
    const hv = new Hypervisor(cfg, imgs.map((i) => ({ images: [i] })), { onConsole: () => {} });
    let firstRun = -1;
    const client = hv.vms[1]!.vcpus[0]!;
    const pick = hv.policy.pick.bind(hv.policy);
    hv.policy.pick = (p, now, avoid) => {
      const v = pick(p, now, avoid);
      if (v === client && firstRun < 0) firstRun = now;
      return v;
    };
    hv.run();
    expect(hv.vms.every((vm) => vm.state === 'shutdown')).toBe(true);
    expect(firstRun).toBe(0);
    expect(hv.pcpus.every((p) => p.busy > 0)).toBe(true);
  });
});

describe('idle PCPUs cost nothing', () => {
  it('one busy VCPU on 1,024 PCPUs for 10 ms of virtual time takes well under a second', () => {
    const hv = machine([{ source: '_start: j _start' }], { pcpus: 1024, time: 1_000_000 });
    const t0 = performance.now();
    hv.run();
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(hv.pcpus.reduce((n, p) => n + p.busy + p.idle, 0)).toBeGreaterThanOrEqual(1024 * 1_000_000);
  });
});
