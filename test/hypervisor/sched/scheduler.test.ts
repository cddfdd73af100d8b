/**
 * The hypervisor's scheduling, measured from the outside: proportional
 * share, pinning, blocked VCPUs, caps, migration, real interleaving of
 * PCPUs, isolation of faulting VMs, and bit-for-bit determinism.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { causeName } from '../../../isa/traps.ts';
import type { Hypervisor } from '../../../hypervisor/machine.ts';
import { VS } from '../../../hypervisor/vcpu.ts';
import { formatFault } from '../../../hypervisor/observe/report.ts';
import { collectStats } from '../../../hypervisor/observe/stats.ts';
import { runMachine } from '../../helpers/machine.ts';
import { symbol } from '../../helpers/guest.ts';

/** Spins forever, counting in `count`. */
const BUSY = `
_start: la   t0, count
1:      lw   t1, 0(t0)
        addi t1, t1, 1
        sw   t1, 0(t0)
        j    1b
count:  .word 0
`;

/** Blocks forever in wfi (no interrupt source armed). */
const SLEEPER = `
_start: wfi
        j _start
`;

/** Starts VCPUs 1..n-1 at the same entry; every VCPU then spins counting in its own slot. */
const SMP_BUSY = `
_start: li   a0, HC_VCPU_ID
        hcall
        mv   s0, a0
        bnez s0, work
        li   s1, 1
1:      li   a0, HC_VCPU_COUNT
        hcall
        bge  s1, a0, work
        li   a0, HC_VCPU_START
        mv   a1, s1
        la   a2, _start
        slli a3, s1, 12
        li   t0, 0x80080000
        add  a3, a3, t0
        li   a4, 0
        hcall
        addi s1, s1, 1
        j    1b
work:   la   t0, slots
        slli t1, s0, 2
        add  t0, t0, t1
2:      lw   t1, 0(t0)
        addi t1, t1, 1
        sw   t1, 0(t0)
        j    2b
slots:  .space 64
`;

// Two VCPUs add 1 to the same word 20,000 times each. Without atomics the
// interleaving of quanta loses updates; with xadd none is lost.
const racer = (atomic: boolean) => `
_start: li   a0, HC_VCPU_ID
      hcall
      bnez a0, work
      li   a0, HC_VCPU_START
      li   a1, 1
      la   a2, work
      li   a3, 0x80080000
      li   a4, 0
      hcall
work:   la   t0, counter
      li   s0, 20000
1:      ${atomic ? 'li t1, 1\n        xadd t1, t1, (t0)' : 'lw t1, 0(t0)\n        addi t1, t1, 1\n        sw t1, 0(t0)'}
      addi s0, s0, -1
      bnez s0, 1b
      la   t0, done
      li   t1, 1
      xadd t1, t1, (t0)
      beqz t1, 2f
      li   a0, HC_SHUTDOWN
      li   a1, 0
      hcall
2:      wfi
      j 2b
counter: .word 0
done:    .word 0
`;

const running = (hv: Hypervisor, vm: number): number =>
  hv.vms[vm]!.vcpus.reduce((n, v) => n + v.timeIn(VS.RUNNING, hv.elapsed()), 0);

describe('proportional share', () => {
  it('two CPU-bound VMs on one PCPU share it in proportion to their weights, within 2%', () => {
    const { hv } = runMachine([{ source: BUSY, weight: 256 }, { source: BUSY, weight: 512 }],
      { pcpus: 1, slice: CYCLES_PER_MS, time: 300 * CYCLES_PER_MS });
    const a = running(hv, 0);
    const b = running(hv, 1);
    expect(a + b).toBeGreaterThan(0.99 * hv.elapsed());
    expect(Math.abs(a / (a + b) / (1 / 3) - 1)).toBeLessThan(0.02);
    expect(Math.abs(b / (a + b) / (2 / 3) - 1)).toBeLessThan(0.02);
  });

  it('equal weights split the PCPU evenly, and the loser waits (steal time) instead', () => {
    const { hv } = runMachine([{ source: BUSY }, { source: BUSY }], { pcpus: 1, slice: CYCLES_PER_MS, time: 100 * CYCLES_PER_MS });
    const [v0, v1] = [hv.vms[0]!.vcpus[0]!, hv.vms[1]!.vcpus[0]!];
    const t = hv.elapsed();
    expect(Math.abs(v0.timeIn(VS.RUNNING, t) / t - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(v0.timeIn(VS.RUNNABLE, t) / t - 0.5)).toBeLessThan(0.01);
    expect(v0.preemptions).toBeGreaterThan(40);
    expect(v1.preemptions).toBeGreaterThan(40);
  });

  it('a cap limits a VM even on an otherwise idle PCPU', () => {
    const { hv } = runMachine([{ source: BUSY, cap: 25 }], { pcpus: 1, capPeriod: 10 * CYCLES_PER_MS, time: 200 * CYCLES_PER_MS });
    expect(Math.abs(running(hv, 0) / hv.elapsed() - 0.25)).toBeLessThan(0.01);
    expect(hv.pcpus[0]!.idle / hv.elapsed()).toBeGreaterThan(0.74);
  });
});

describe('placement', () => {
  it('pinned VCPUs run only on their PCPU', () => {
    const { hv } = runMachine([{ source: SMP_BUSY, vcpus: 2, pin: [1, 0] }, { source: BUSY }, { source: BUSY }],
      { pcpus: 2, slice: CYCLES_PER_MS, time: 50 * CYCLES_PER_MS });
    const [v0, v1] = hv.vms[0]!.vcpus;
    expect(v0!.lastRan).toBe(1);
    expect(v1!.lastRan).toBe(0);
    expect(v0!.migrations + v1!.migrations).toBe(0);
    expect(v0!.timeIn(VS.RUNNING, hv.elapsed())).toBeGreaterThan(10 * CYCLES_PER_MS);
    expect(v1!.timeIn(VS.RUNNING, hv.elapsed())).toBeGreaterThan(10 * CYCLES_PER_MS);
  });

  it('unpinned VCPUs migrate to balance the PCPUs, and every one makes progress', () => {
    const { hv } = runMachine([{ source: BUSY }, { source: BUSY }, { source: BUSY }],
      { pcpus: 2, slice: CYCLES_PER_MS, time: 60 * CYCLES_PER_MS });
    const t = hv.elapsed();
    const shares = hv.vcpus.map((v) => v.timeIn(VS.RUNNING, t) / t);
    for (const s of shares) expect(s).toBeGreaterThan(0.6); // 2/3 each, not 1/2, 1/2 and 1
    expect(hv.vcpus.reduce((n, v) => n + v.migrations, 0)).toBeGreaterThan(0);
    for (const p of hv.pcpus) expect(p.idle).toBe(0);
  });

  it('blocked VCPUs use no time: a sleeping VM leaves its PCPU to a busy one', () => {
    const { hv } = runMachine([{ source: SLEEPER }, { source: BUSY }], { pcpus: 1, time: 50 * CYCLES_PER_MS });
    const t = hv.elapsed();
    const sleeper = hv.vms[0]!.vcpus[0]!;
    expect(sleeper.state).toBe(VS.BLOCKED);
    expect(sleeper.timeIn(VS.RUNNING, t)).toBeLessThan(100);
    expect(sleeper.timeIn(VS.BLOCKED, t)).toBeGreaterThan(t - 100);
    expect(running(hv, 1)).toBeGreaterThan(t - 100);
  });

  it('idle PCPUs stay idle when nothing is runnable, and a machine of sleepers halts', () => {
    const { hv, stop } = runMachine([{ source: SLEEPER }, { source: SLEEPER }], { pcpus: 2 });
    expect(stop).toBe('deadlock');
    expect(hv.vms.map((vm) => vm.state)).toEqual(['halted', 'halted']);
  });
});

describe('physical CPUs interleave for real', () => {
  const count = (atomic: boolean): number => {
    const { hv } = runMachine([{ source: racer(atomic), vcpus: 2 }], { pcpus: 2, quantum: 200 });
    const img = hv.vms[0]!.image!;
    return hv.vms[0]!.mem.readWord(symbol(img, 'counter') - 0x8000_0000);
  };

  it('plain loads and stores lose updates', () => {
    expect(count(false)).toBeLessThan(40000);
  });

  it('xadd loses none', () => {
    expect(count(true)).toBe(40000);
  });
});

describe('isolation', () => {
  const WILD = `
_start: li   t0, 0x80000000 + 0x100000   # the first byte past this VM's 1 MiB
boom:   sw   zero, 0(t0)
`;

  it('a VM writing outside its memory faults alone; the others run on', () => {
    const { hv, out } = runMachine([
      { source: BUSY },
      { source: WILD },
      { source: `_start: li a0, HC_TIME\n hcall\n li t0, 500000\n bltu a0, t0, _start\n li a0, HC_CONSOLE_PUTC\n li a1, 'k'\n hcall\n li a0, HC_SHUTDOWN\n li a1, 0\n hcall` },
    ], { pcpus: 2, time: 20 * CYCLES_PER_MS });
    const wild = hv.vms[1]!;
    expect(wild.state).toBe('fault');
    expect(causeName(wild.fault!.cause)).toBe('BUS_ERROR');
    expect(formatFault(wild, false)).toMatch(/^paravm: guest fault: VM 1 VCPU 0: BUS_ERROR at pc 0x800000\w+ <boom> at vm1\.s:3, address 0x80100000$/);
    expect(hv.vms[0]!.state).toBe('running');
    expect(hv.vms[2]!.state).toBe('shutdown');
    expect(out[2]).toBe('k');
    // The busy VM's memory is untouched except its own counter.
    expect(hv.vms[0]!.mem.readWord(symbol(hv.vms[0]!.image!, 'count') - 0x8000_0000)).toBeGreaterThan(1000);
  });
});

describe('determinism', () => {
  const hash = (seed: number): string => {
    const { hv } = runMachine([{ source: racer(false), vcpus: 2, weight: 1024 }, { source: SMP_BUSY, vcpus: 3 }, { source: BUSY, weight: 100 }],
      { pcpus: 3, seed, quantum: 300, slice: CYCLES_PER_MS, time: 20 * CYCLES_PER_MS });
    const h = createHash('sha256');
    h.update(hv.host.u8);
    for (const v of hv.vcpus) {
      h.update(new Uint8Array(v.cpu.buf));
      h.update(JSON.stringify([v.acc.join(), v.preemptions, v.migrations, v.switches, v.pcpu]));
    }
    for (const p of hv.pcpus) h.update(JSON.stringify([p.busy, p.idle, p.switches, p.time]));
    // Every statistic --stats writes, except the host's wall time.
    const stats = collectStats(hv);
    h.update(JSON.stringify({ ...stats, machine: { ...stats.machine, wallMs: 0, mips: 0 } }));
    return h.digest('hex');
  };

  it('the same configuration and seed give bit-identical memory, registers and statistics', () => {
    expect(hash(7)).toBe(hash(7));
  });

  it('another seed interleaves differently', () => {
    expect(hash(8)).not.toBe(hash(7));
  });
});

describe('guests cannot hurt the host or the other VMs', () => {
  it('a timer beyond 2^53 cycles is refused (time would stop advancing), and the machine still ends', () => {
    const src = `
_start: li   t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        li   a0, HC_SET_TIMER
        li   a1, 0
        li   a2, 0x40000000
        hcall
        mv   s0, a0
        li   a0, HC_BLOCK
        hcall
        li   a0, HC_SHUTDOWN
        mv   a1, s0
        hcall`;
    const { hv, stop } = runMachine([{ source: src }, { source: SLEEPER }], { pcpus: 2 });
    expect(stop).toBe('deadlock');
    expect(hv.vms[0]!.state).toBe('halted');
  });

  it('directed yields between siblings do not take share from another VM', () => {
    const pingpong = `
_start: li   a0, HC_VCPU_ID
        hcall
        mv   s0, a0
        bnez s0, 1f
        li   a0, HC_VCPU_START
        li   a1, 1
        la   a2, _start
        li   a3, 0x80080000
        li   a4, 0
        hcall
1:      li   t0, 1000
2:      addi t0, t0, -1
        bnez t0, 2b
        li   a0, HC_YIELD
        xori a1, s0, 1
        hcall
        j    1b`;
    const { hv } = runMachine([{ source: pingpong, vcpus: 2 }, { source: BUSY }], { pcpus: 1, slice: CYCLES_PER_MS, time: 100 * CYCLES_PER_MS });
    const share = running(hv, 1) / hv.elapsed();
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
  });

  it('console capture is bounded however much a guest writes', () => {
    const flood = `
_start: li   a0, HC_CONSOLE_WRITE
        li   a1, 0x80000000
        li   a2, 65536
        hcall
        j    _start`;
    // The console moves 12.5 MB a virtual second (CONSOLE_CYCLES_PER_BYTE): 100 ms is more than the capture holds.
    const { hv } = runMachine([{ source: flood }], { pcpus: 1, time: 100 * CYCLES_PER_MS });
    const c = hv.vms[0]!.console;
    expect(c.stats().bytes).toBeGreaterThan(1 << 20);
    expect(c.text().length).toBe(1 << 20);
  });
});
