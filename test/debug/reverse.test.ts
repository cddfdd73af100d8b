/**
 * Reverse execution from snapshots: going back restores the last snapshot
 * before the target and replays from there, so wherever the debugger lands
 * going backwards must show what it showed going forwards. Snapshots here
 * are taken far more often than `paravm debug` takes them, so that every
 * replay starts mid-run and the oldest snapshots are thinned out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleFile, type AsmOptions } from '../../assembler/index.ts';
import { bootKernel, rootPath } from '../../guest-kernel/loader/index.ts';
import { Hypervisor, MAX_SNAPSHOTS, Session, bareMetalConfig, runDebugCommand, type MachineFactory } from '../../hypervisor/index.ts';

const ASM: AsmOptions = { includeDirs: [rootPath('programs')], readFile: (f) => readFileSync(f, 'utf8') };

/** The replies to a script's commands (the text each one printed). */
function debug(build: MachineFactory, script: string[], every: number): string[] {
  const lines = [...script];
  let out = '';
  const io = { read: () => { const l = lines.shift(); if (l !== undefined) out += `> ${l}\n`; return l; }, write: (t: string) => { out += t; } };
  new Session(build, io, runDebugCommand, every).start();
  return out.split(/^> .*\n/m).slice(1);
}

const kernel = (): MachineFactory => {
  const img = assembleFile(rootPath('programs/kernel/workers.s'), ASM).image!;
  return (machine) => bootKernel({ vcpus: 2, pcpus: 2, programs: [img], machine }).hv;
};

describe('reverse execution from snapshots', () => {
  it('on the guest kernel, 60 reverse steps land where 60 fewer forward steps did', () => {
    const build = kernel();
    const look = ['info position', 'regs', 'info csrs', 'info vcpus', 'x/8w $sp'];
    const fwd = debug(build, ['vcpu 1', 'step 3000', ...look], 700);
    const back = debug(build, ['vcpu 1', 'step 3060', ...Array<string>(60).fill('reverse-step'), ...look], 700);
    expect(fwd.slice(2)).toEqual(back.slice(62));
    expect(fwd[2]).toMatch(/^step \d{4,}$/m);
  });

  it('reverse-continue scans back slice by slice to the previous hit, and to the start past the first', () => {
    const r = debug(kernel(), ['break thread_exit', 'c', 'regs', 'c', 'c', 'rc', 'rc', 'regs', 'info snapshots', 'rc'], 2000);
    expect(r[1]).toMatch(/^breakpoint 1\n\[guest\.vcpu\d\] step \d+: 0x[0-9a-f]+ <thread_exit>/);
    expect(r[6]).toBe(r[1]);
    expect(r[7]).toBe(r[2]);
    expect(r[5]).toBe(r[3]);
    const n = Number(/^(\d+) snapshots/.exec(r[8]!)?.[1]);
    expect(n).toBeGreaterThan(4);
    expect(n).toBeLessThanOrEqual(MAX_SNAPSHOTS);
    expect(r[9]).toMatch(/^no earlier breakpoint or watchpoint hit: back at the start\n\[guest\.vcpu0\] step 1: /);
  });

  it('bare metal: a snapshot every few instructions changes nothing the debugger shows', () => {
    const img = assembleFile(rootPath('test/debug/counter.s'), ASM).image!;
    const build: MachineFactory = (opts) => new Hypervisor({ ...bareMetalConfig(), vms: [{ ...bareMetalConfig().vms[0]!, images: ['counter.s'] }] }, [{ images: [img] }], opts);
    const script = ['break bump', 'continue', 'watch counter', 'continue', 'reverse-step', 'x/1w counter', 'print $t0', 'rc', 'rc', 'print $a0',
      'continue', 'continue', 'continue', 'reverse-step', 'reverse-step', 'print $pc', 'info position'];
    const once = debug(build, script, Infinity);
    expect(once[4]).toMatch(/^step 10: .* sw t0, 0\(s1\)/);
    for (const every of [1, 3, 7]) expect(debug(build, script, every), `every ${every}`).toEqual(once);
  });
});
