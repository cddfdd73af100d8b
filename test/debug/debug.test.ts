/**
 * `paravm debug` driven by scripts, in process: the transcript (commands
 * after "> ") is checked for the values the machine must show. counter.s
 * calls bump three times (counter += 3, 2, 1), then runs a break instruction.
 */
import { describe, expect, it } from 'vitest';
import { cmdDebug } from '../../bin/debug.ts';
import { assembleFile } from '../../guest-kernel/loader/index.ts';
import { bootKernel } from '../../guest-kernel/loader/index.ts';

const FILE = 'test/debug/counter.s';

/** Runs the script; returns the transcript and the reply to each command (the text up to the next command). */
function debug(script: string[], positionals = [FILE], values: Record<string, unknown> = {}): { out: string; replies: string[] } {
  const lines = [...script];
  let out = '';
  const io = {
    read: () => { const l = lines.shift(); if (l !== undefined) out += `> ${l}\n`; return l; },
    write: (t: string) => { out += t; },
  };
  expect(cmdDebug({ include: ['programs'], ...values } as never, positionals, io)).toBe(0);
  return { out, replies: out.split(/^> .*\n/m).slice(1) };
}

describe('paravm debug', () => {
  it('breaks at a symbol, steps, watches a store and steps back over it', () => {
    const { replies: r } = debug([
      'break bump', 'continue', 'print $a0', 'bt', 'watch counter', 'step', 'x/1w counter',
      'continue', 'x/1w counter', 'print $t0', 'reverse-step', 'x/1w counter', 'print $t0', 'print $pc', 'step', 'x/1w counter',
    ]);
    expect(r[0]).toBe('breakpoint 1 at 0x80000028\n');
    expect(r[1]).toBe('breakpoint 1\nstep 6: 0x80000028 <bump>  addi sp, sp, -8    ; test/debug/counter.s:17\n');
    expect(r[2]).toBe('$a0 = 0x00000003 (3)\n');
    expect(r[3]).toMatch(/^#0 {2}0x80000028 <bump> at test\/debug\/counter.s:17 .*\n#1 {2}0x80000010 <_start\+0x10> at test\/debug\/counter.s:8 /);
    expect(r[5]).toMatch(/^step 7: 0x8000002c <bump\+4>/);
    expect(r[6]).toBe('0x80001000 <counter>:  0x00000000\n');
    expect(r[7]).toBe('watchpoint 2: word at 0x80001000 (counter)  old 0x00000000  new 0x00000003\n'
      + 'step 10 (after): 0x8000003c <bump+20>  lw ra, 4(sp)    ; test/debug/counter.s:22\n');
    expect(r[8]).toBe('0x80001000 <counter>:  0x00000003\n');
    expect(r[9]).toBe('$t0 = 0x00000003 (3)\n');
    // Back before the store: memory as it was, the register that holds the value already computed.
    expect(r[10]).toBe('step 10: 0x80000038 <bump+16>  sw t0, 0(s1)    ; test/debug/counter.s:21\n');
    expect(r[11]).toBe('0x80001000 <counter>:  0x00000000\n');
    expect(r[12]).toBe('$t0 = 0x00000003 (3)\n');
    expect(r[13]).toBe('$pc = 0x80000038 (-2147483592)\n');
    expect(r[14]).toMatch(/^watchpoint 2: .* old 0x00000000 {2}new 0x00000003\nstep 10 \(after\)/);
    expect(r[15]).toBe('0x80001000 <counter>:  0x00000003\n');
  });

  it('reverse-continue goes back to the previous breakpoint hit', () => {
    const { replies: r } = debug(['break bump', 'c', 'c', 'c', 'print $a0', 'reverse-continue', 'print $a0', 'x/1w counter', 'rc', 'print $a0', 'rc']);
    expect(r[4]).toBe('$a0 = 0x00000001 (1)\n');
    expect(r[5]).toMatch(/^breakpoint 1\nstep \d+: 0x80000028 <bump>/);
    expect(r[6]).toBe('$a0 = 0x00000002 (2)\n');
    expect(r[7]).toBe('0x80001000 <counter>:  0x00000003\n');
    expect(r[9]).toBe('$a0 = 0x00000003 (3)\n');
    expect(r[10]).toMatch(/^no earlier breakpoint or watchpoint hit: back at the start\nstep 1: /);
  });

  it('the break instruction stops in the debugger, and continuing passes over it to a clean shutdown', () => {
    const { replies: r } = debug(['continue', 'continue', 'step', 'reverse-step', 'print $pc']);
    expect(r[0]).toMatch(/^break instruction .*\nstep 40: 0x8000001c <_start\+28>  break/);
    expect(r[1]).toBe('the machine stopped (done) after 45 steps: vm0 shutdown\n');
    expect(r[2]).toBe('error: the machine is not running (use reverse-step, reverse-continue or quit)\n');
    expect(r[3]).toMatch(/^step 45: /);
  });

  it('answers bad commands with one line and goes on', () => {
    const bad = ['frobnicate', 'break nosuch', 'break', 'x/zz counter', 'x/4w', 'vcpu 9', 'step -1', 'step x', 'info bogus',
      'catch bogus', 'watch $nosuch', 'rwatch $a0', 'delete 42', 'finish', 'print', 'reverse-step'];
    const { replies: r } = debug([...bad, 'print $s0', 'step', 'print $s0']);
    for (const [i, cmd] of bad.entries()) expect(r[i], cmd).toMatch(/^error: [^\n]+\n$/);
    expect(r[bad.length]).toBe('$s0 = 0x00000000 (0)\n');
    expect(r[bad.length + 2]).toBe('$s0 = 0x00000003 (3)\n');
  });

  it('selects and steps a VCPU of a two-VM run on two PCPUs, forwards and back', () => {
    const { replies: r } = debug(['info vcpus', 'vcpu 1', 'step 3', 'vcpu 1', 'step 3', 'info vcpus', 'print $s0', 'reverse-step', 'print $s0', 'info sched'],
      [FILE, FILE], { pcpus: '2' });
    expect(r[0]).toMatch(/^\* 0 {2}vm0\.vcpu0 .*\n {2}1 {2}vm1\.vcpu0 /);
    expect(r[1]).toMatch(/^vcpu 1: vm1\.vcpu0/);
    expect(r[2]).toMatch(/^break instruction .*\n\[vm0\.vcpu0\] step 40: /); // a hit on another VCPU stops the step
    expect(r[4]).toMatch(/^\[vm1\.vcpu0\] step \d+: 0x80000008 <_start\+8>/); // before its third instruction
    expect(r[5]).toMatch(/\* 1 {2}vm1\.vcpu0 +running +pc 0x80000008 {2}steps 3\n/);
    expect(r[6]).toBe('$s0 = 0x00000003 (3)\n');
    expect(r[7]).toMatch(/^\[vm1\.vcpu0\] step \d+: 0x80000004 <_start\+4>/);
    expect(r[8]).toBe('$s0 = 0x00000003 (3)\n');
    expect(r[9]).toMatch(/^vm1\.vcpu0: running on pcpu \d/);
  });

  it('debugs the SMP guest kernel (--boot): a kernel breakpoint on either VCPU', () => {
    const { replies: r } = debug(['break thread_exit', 'continue', 'info vcpus', 'bt', 'info csrs'], ['programs/kernel/hello.s'], { boot: true });
    expect(r[1]).toMatch(/breakpoint 1\n\[guest\.vcpu\d\] step \d+: 0x[0-9a-f]+ <thread_exit>/);
    expect(r[2]).toMatch(/guest\.vcpu0 .*\n.*guest\.vcpu1 /);
    expect(r[3]).toMatch(/^#0 {2}0x[0-9a-f]+ <thread_exit> at /);
    expect(r[4]).toMatch(/^STATUS /);
  });

  it('single-stepping through the stepper is the run itself: same instructions and virtual time', () => {
    const img = assembleFile('programs/kernel/workers.s', { includeDirs: ['programs'] }).image!;
    const runs = [false, true].map((step) => {
      let out = '';
      const k = bootKernel({ vcpus: 2, pcpus: 2, programs: [img], machine: {
        onConsole: (_, b) => { out += Buffer.from(b).toString(); },
        ...(step ? { stepper: (_v, one) => one() } : {}),
      } });
      k.hv.run();
      return { instructions: k.hv.instructions, elapsed: k.hv.elapsed(), out };
    });
    expect(runs[1]).toEqual(runs[0]);
  });
});
