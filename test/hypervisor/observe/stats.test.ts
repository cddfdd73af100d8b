/**
 * Run statistics: the accounting adds up on real multi-VM runs (every VCPU
 * cycle is in one state, every PCPU cycle busy or idle, what VCPUs ran is
 * what PCPUs were busy with), the gem5-style text dump has one well-formed
 * stat a line, and entitlements water-fill as documented.
 */
import { describe, expect, it } from 'vitest';
import { collectStats, entitlements, formatStatsText, STATS_BEGIN, STATS_END, type MachineStats } from '../../../hypervisor/observe/stats.ts';
import type { Hypervisor } from '../../../hypervisor/machine.ts';
import { SLEEP_AND_SPIN, runMachine, type VmSpec } from '../../helpers/machine.ts';

/** Accounting slack: a PCPU may run past the end of the run by its last instruction's cost. */
const TOLERANCE = 300;

/** VCPU 0 starts VCPU 1; both spin; VCPU 1 shuts the VM down while VCPU 0 may still run elsewhere. */
const PAIR = `
_start: li      a0, HC_VCPU_START
        li      a1, 1
        la      a2, second
        li      t0, 4096
        sub     a3, sp, t0
        li      a4, 0
        hcall
        li      a0, 400000
        call    spin
1:      j       1b
second: li      a0, 90000
        call    spin
        li      a0, HC_SHUTDOWN
        li      a1, 7
        hcall
${SLEEP_AND_SPIN}`;

const SLEEPER = `
_start: li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        li      s0, 6
1:      li      a0, 5000
        call    spin
        li      a0, 40000
        call    sleep
        li      a0, HC_CONSOLE_PUTC
        li      a1, '.'
        hcall
        addi    s0, s0, -1
        bnez    s0, 1b
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
${SLEEP_AND_SPIN}`;

const HOG = `
_start: li      a0, 150000
        call    spin
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
${SLEEP_AND_SPIN}`;

/** Every VCPU computes forever: what entitlement assumes. */
const FOREVER_PAIR = `
_start: li      a0, HC_VCPU_START
        li      a1, 1
        la      a2, 1f
        li      t0, 4096
        sub     a3, sp, t0
        li      a4, 0
        hcall
1:      j       1b
`;
const FOREVER = '_start: j _start';

/** Cycles VCPUs spent running are exactly the cycles PCPUs spent busy. */
function checkRanIsBusy(s: MachineStats): void {
  const ran = s.vms.reduce((n, vm) => n + vm.received, 0);
  const busy = s.pcpus.reduce((n, p) => n + p.busy, 0);
  expect(ran - busy, 'cycles VCPUs ran minus cycles PCPUs were busy').toBe(0);
}

function checkAccounting(hv: Hypervisor, s: MachineStats): void {
  const elapsed = hv.elapsed();
  expect(s.machine.cycles).toBe(elapsed);
  for (const v of hv.vcpus) {
    // The machine's own closed spans, before collectStats adds any open one.
    const closed = v.acc.reduce((a, b) => a + b, 0);
    expect(closed, `${v.name} closed spans`).toBeGreaterThanOrEqual(elapsed - TOLERANCE);
    expect(closed, `${v.name} closed spans`).toBeLessThanOrEqual(elapsed);
    const st = s.vms[v.vm.id]!.vcpus[v.index]!;
    expect(st.running + st.runnable + st.blocked + st.offline + st.stopped, v.name).toBe(closed);
  }
  for (const p of s.pcpus) {
    expect(p.busy + p.idle, `pcpu${p.id}`).toBeGreaterThanOrEqual(elapsed - TOLERANCE);
    expect(p.busy + p.idle, `pcpu${p.id}`).toBeLessThanOrEqual(elapsed);
    expect(p.utilization).toBeCloseTo(p.busy / elapsed, 9);
  }
  checkRanIsBusy(s);
  expect(s.vms.reduce((n, vm) => n + vm.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
  expect(s.vms.reduce((n, vm) => n + vm.entitled, 0)).toBeLessThanOrEqual(1 + 1e-9);
}

const MIXED: VmSpec[] = [{ source: PAIR, vcpus: 2 }, { source: SLEEPER }, { source: HOG, weight: 512 }];

describe('accounting adds up', () => {
  for (const seed of [1, 2, 3]) {
    it(`on a run where every VM shuts down (seed ${seed})`, () => {
      const { hv, stop } = runMachine(MIXED, { pcpus: 2, slice: 30_000, quantum: 500, seed });
      expect(stop).toBe('done');
      const s = collectStats(hv);
      expect(s.vms.map((vm) => [vm.state, vm.exitCode])).toEqual([['shutdown', 7], ['shutdown', 0], ['shutdown', 0]]);
      expect(s.vms[1]!.console.bytes).toBe(6);
      expect(s.vms[1]!.timer.fired).toBe(6);
      expect(s.vms[1]!.vcpus[0]!.blocked).toBeGreaterThan(6 * 30_000);
      checkAccounting(hv, s);
    });
  }

  it('on a time-limited run with caps, and shares track entitlements', () => {
    const vms: VmSpec[] = [{ source: FOREVER_PAIR, vcpus: 2 }, { source: FOREVER, cap: 50 }, { source: FOREVER, weight: 512 }];
    const { hv, stop } = runMachine(vms, { pcpus: 2, slice: 50_000, quantum: 500, capPeriod: 200_000, time: 4_000_000 });
    expect(stop).toBe('time');
    const s = collectStats(hv);
    checkAccounting(hv, s);
    // Weights 256:256:512 of 2 PCPUs = 0.5:0.5:1 PCPU; vm1 is capped at 0.5, vm2 uses at most its 1 VCPU.
    expect(s.vms.map((vm) => vm.entitled)).toEqual([0.25, 0.25, 0.5].map((x) => expect.closeTo(x, 9)));
    expect(s.vms[1]!.share).toBeLessThanOrEqual(0.25 + 0.01);
    expect(s.vms[1]!.cap).toBe(50);
    expect(s.vms[0]!.cap).toBeNull();
  });
});

describe('known machine bug', () => {
  // KNOWN BUG in Hypervisor.stopVm (machine.ts): when a VCPU shuts its VM down, a sibling
  // still RUNNING on another PCPU is moved to STOPPED at the caller's clock (now()), while
  // its PCPU slice and busy time end at that PCPU's own clock. With 3 PCPUs and seed 2,
  // vm0.vcpu1 shuts down at 190080 on PCPU 1 while vm0.vcpu0's PCPU 0 is at 190046: the
  // PCPU slice is 150060-190046 but vcpu0's running span 150060-190080, 34 cycles of
  // running no PCPU spent (PCPU 0's clock goes on from 190046). When the sibling's PCPU
  // is ahead instead, it is busy past the stop for a VCPU already stopped. Remove
  // `.fails` once stopVm closes the sibling's running span at its PCPU's clock. Several
  // seeds, so that a scheduler change that moves the shutdown still hits the bug.
  it('a VCPU stopped by a sibling on another PCPU runs exactly what its PCPU was busy', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const { hv } = runMachine(MIXED, { pcpus: 3, slice: 30_000, quantum: 500, seed });
      checkRanIsBusy(collectStats(hv));
    }
  });
});

describe('collectStats', () => {
  it('is plain JSON and reports the run', () => {
    const { hv } = runMachine(MIXED, { pcpus: 2, slice: 30_000, quantum: 500 });
    const s = collectStats(hv);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s.machine).toMatchObject({ pcpus: 2, slice: 30_000, quantum: 500, seed: 1, policy: 'stride', stopReason: 'done' });
    expect(s.machine.instructions).toBe(hv.vcpus.reduce((n, v) => n + v.cpu.instret, 0));
    expect(s.machine.seconds).toBeCloseTo(s.machine.cycles / 1e8, 12);
    const pair = s.vms[0]!;
    expect(pair.vcpus.map((v) => v.index)).toEqual([0, 1]);
    expect(pair.vcpus[1]!.offline).toBeGreaterThan(0);
    expect(pair.vcpus[0]!.hypercalls).toBe(1);
    expect(pair.vcpus.every((v) => v.stopped > 0)).toBe(true);
    expect(pair.fault).toBeUndefined();
  });
});

describe('formatStatsText', () => {
  const { hv } = runMachine(MIXED, { pcpus: 2, slice: 30_000, quantum: 500 });
  const text = formatStatsText(collectStats(hv));
  const lines = text.trimEnd().split('\n');

  it('has one `name value # description` line per stat between the gem5 markers', () => {
    expect(lines[0]).toBe(STATS_BEGIN);
    expect(lines[lines.length - 1]).toBe(STATS_END);
    const body = lines.slice(1, -1);
    for (const line of body) expect(line).toMatch(/^\S+\s+\S+\s+# .+$/);
    const names = body.map((l) => l.split(/\s+/)[0]!);
    expect(new Set(names).size).toBe(names.length);
  });

  it('aligns values and descriptions in columns', () => {
    const body = lines.slice(1, -1);
    expect(new Set(body.map((l) => l.search(/\S+\s+#/))).size).toBe(1);
    expect(new Set(body.map((l) => l.indexOf('# '))).size).toBe(1);
  });

  it('names the stats like gem5 does, hierarchically', () => {
    const value = (name: string): string | undefined => lines.find((l) => l.startsWith(`${name} `))?.split(/\s+/)[1];
    for (const n of ['sim.cycles', 'sim.seconds', 'sim.instructions',
      'pcpu0.busyCycles', 'pcpu1.idleCycles', 'pcpu0.utilization', 'vm0.vcpu1.runningCycles',
      'vm0.vcpu1.runnableCycles', 'vm0.vcpu1.blockedCycles', 'vm0.vcpu1.offlineCycles', 'vm0.vcpu0.preemptions',
      'vm0.vcpu0.migrations', 'vm0.vcpu0.yields', 'vm0.vcpu0.wakeups', 'vm0.vcpu0.switches', 'vm0.vcpu0.hypercalls',
      'vm0.vcpu0.irqs', 'vm0.vcpu0.instructions', 'vm0.share', 'vm0.entitled', 'vm0.state', 'vm0.exitCode',
      'vm1.console.bytes', 'vm1.timer.fired']) {
      expect(value(n), n).toBeDefined();
    }
    expect(value('sim.cycles')).toBe(String(hv.elapsed()));
    expect(value('vm0.state')).toBe('shutdown');
    expect(value('vm0.exitCode')).toBe('7');
    expect(value('vm1.console.bytes')).toBe('6');
    expect(value('pcpu0.utilization')).toMatch(/^0\.\d{6}$|^1$/);
  });
});

describe('entitlements', () => {
  const T = 1000;

  it('splits by weight when nobody is limited', () => {
    expect(entitlements([{ weight: 1, max: T }, { weight: 1, max: T }], T)).toEqual([500, 500]);
    expect(entitlements([{ weight: 1, max: T }, { weight: 3, max: T }], T)).toEqual([250, 750]);
  });

  it('gives what a capped VM cannot use to the others, by weight', () => {
    // 3 VMs on 2 PCPUs of T cycles: the capped one (25%) gets T/4, the rest share 1.75T by weight 1:2.
    const got = entitlements([{ weight: 1, max: 0.25 * T }, { weight: 1, max: 2 * T }, { weight: 2, max: 2 * T }], 2 * T);
    expect(got[0]).toBeCloseTo(250, 9);
    expect(got[1]).toBeCloseTo(1750 / 3, 9);
    expect(got[2]).toBeCloseTo(3500 / 3, 9);
  });

  it('limits a VM with fewer VCPUs than its share, and fills again after each saturation', () => {
    // 4 PCPUs: a 1-VCPU VM with half the weight gets 1 PCPU, not 2; the others split 3 by 1:2 until one saturates.
    const got = entitlements([{ weight: 4, max: T }, { weight: 1, max: 4 * T }, { weight: 3, max: 2 * T }], 4 * T);
    expect(got[0]).toBeCloseTo(T, 9);
    expect(got[2]).toBeCloseTo(2 * T, 9);
    expect(got[1]).toBeCloseTo(T, 9);
    expect(got.reduce((a, b) => a + b, 0)).toBeCloseTo(4 * T, 9);
  });

  it('leaves capacity nobody can use unassigned, and assigns nothing from nothing', () => {
    expect(entitlements([{ weight: 1, max: 100 }, { weight: 5, max: 200 }], T)).toEqual([100, 200]);
    expect(entitlements([{ weight: 1, max: T }, { weight: 2, max: T }], 0)).toEqual([0, 0]);
    expect(entitlements([{ weight: 1, max: 0 }, { weight: 1, max: T }], T)).toEqual([0, T]);
    expect(entitlements([], T)).toEqual([]);
  });
});

describe('stats are deterministic', () => {
  it('two runs of the same configuration and seed give byte-identical JSON and text (no host figures)', () => {
    const once = (): [string, string] => {
      const { hv } = runMachine(MIXED, { pcpus: 2, time: 3_000_000 });
      const s = collectStats(hv);
      return [JSON.stringify(s, null, 2), formatStatsText(s)];
    };
    const [a, b] = [once(), once()];
    expect(a[0]).toBe(b[0]);
    expect(a[1]).toBe(b[1]);
    expect(a[0]).not.toMatch(/wallMs|mips/);
    expect(a[1]).not.toMatch(/^host\./m);
  });
});
