/**
 * The console's cost follows the bytes it moves (CONSOLE_CYCLES_PER_BYTE):
 * a writing VCPU blocks until its bytes are out, writes of one VM's VCPUs
 * queue behind each other, so a flood puts out at most T / CONSOLE_CYCLES_PER_BYTE
 * bytes in T cycles, plus one CONSOLE_WRITE_MAX per VCPU still under way.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { CONSOLE_CYCLES_PER_BYTE, CONSOLE_WRITE_MAX } from '../../../isa/hypercalls.ts';
import { REG } from '../../../isa/registers.ts';
import { ROOT } from '../../../guest-kernel/loader/root.ts';
import { VS } from '../../../hypervisor/vcpu.ts';
import { runMachine } from '../../helpers/machine.ts';

const FLOOD = readFileSync(join(ROOT, 'test/fixtures/hostile/console-flood.s'), 'utf8');
/** Most bytes a VM with `vcpus` VCPUs can put out in `cycles`. */
const bound = (cycles: number, vcpus: number): number => cycles / CONSOLE_CYCLES_PER_BYTE + vcpus * CONSOLE_WRITE_MAX;

describe('console cost', () => {
  it('is 8 cycles a byte: two byte copies (a shared ring, as Xen\'s console) at the ISA\'s lbu + sb', () => {
    expect(CONSOLE_CYCLES_PER_BYTE).toBe(8);
  });

  it.each([[1, 1], [2, 1], [4, 2]])('a flood (VCPUs: %i, PCPUs: %i) writes bounded bytes per virtual ms', (vcpus, pcpus) => {
    for (const ms of [1, 5, 20]) {
      const { hv } = runMachine([{ source: FLOOD, vcpus }], { pcpus, time: ms * CYCLES_PER_MS });
      const bytes = hv.vms[0]!.console.stats().bytes!;
      expect(bytes).toBeLessThanOrEqual(bound(ms * CYCLES_PER_MS, vcpus));
      // The device is busy the whole time: at least the bytes it could finish.
      expect(bytes).toBeGreaterThanOrEqual(ms * CYCLES_PER_MS / CONSOLE_CYCLES_PER_BYTE - CONSOLE_WRITE_MAX);
      // Waiting for the console is blocked time, not running time.
      const v = hv.vms[0]!.vcpus[0]!;
      expect(v.acc[VS.BLOCKED]!).toBeGreaterThan(v.acc[VS.RUNNING]!);
    }
  });

  it('a short write costs its bytes: PUTC and a 100-byte WRITE', () => {
    const src = `        .text\n_start: rdtime s0\n        li a0, HC_CONSOLE_PUTC\n        li a1, 65\n        hcall\n        rdtime s1\n`
      + `        li a0, HC_CONSOLE_WRITE\n        li a1, KERNEL_BASE\n        li a2, 100\n        hcall\n        rdtime s2\n1:      j 1b\n`;
    const { hv } = runMachine([{ source: src }], { time: 10_000 });
    const r = hv.vms[0]!.vcpus[0]!.cpu;
    const [s0, s1, s2] = [r.reg(REG.s0!), r.reg(REG.s1!), r.reg(REG.s2!)];
    expect(s1 - s0).toBeGreaterThanOrEqual(CONSOLE_CYCLES_PER_BYTE);
    expect(s1 - s0).toBeLessThan(CONSOLE_CYCLES_PER_BYTE + 20);
    expect(s2 - s1).toBeGreaterThanOrEqual(100 * CONSOLE_CYCLES_PER_BYTE);
    expect(s2 - s1).toBeLessThan(100 * CONSOLE_CYCLES_PER_BYTE + 20);
  });

  it('paravm run --time 10ms of the flood puts out at most 190,536 bytes on stdout, cleanly', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'paravm.js'), 'run', '--time', '10ms', 'test/fixtures/hostile/console-flood.s'],
      { cwd: ROOT, maxBuffer: 1 << 30, timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(bound(10 * CYCLES_PER_MS, 1)).toBe(190_536);
    expect(r.stdout.length).toBeLessThanOrEqual(190_536);
    expect(r.stdout.length).toBeGreaterThanOrEqual(10 * CYCLES_PER_MS / CONSOLE_CYCLES_PER_BYTE - CONSOLE_WRITE_MAX);
  }, 120_000);
});
