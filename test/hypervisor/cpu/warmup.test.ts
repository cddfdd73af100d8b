/**
 * The interpreter's warm-up (hypervisor/cpu/warmup.ts) reaches what it is
 * for: every assigned opcode, an unassigned one, traps and their handler's
 * eret, an interrupt, and the hcall and wfi exits, pass after pass, without
 * ever faulting out.
 */
import { describe, expect, it } from 'vitest';
import { OPCODES, OPCODE_BY_NUMBER } from '../../../isa/opcodes.ts';
import { Exit } from '../../../hypervisor/cpu/exits.ts';
import { S } from '../../../hypervisor/cpu/state.ts';
import { program, warmUpVcpu } from '../../../hypervisor/cpu/warmup.ts';

describe('the interpreter warm-up', () => {
  it('holds every opcode and an unassigned one', () => {
    const ops = new Set(program().map((w) => w & 0xff));
    for (const o of OPCODES) if (o.mnemonic !== 'eret') expect(ops.has(o.opcode), o.mnemonic).toBe(true);
    expect([...ops].some((op) => OPCODE_BY_NUMBER[op] === undefined)).toBe(true);
  });

  it('runs its loop many times, trapping and exiting as planned, never faulting', () => {
    const { cpu, exits } = warmUpVcpu();
    expect([...exits].sort()).toEqual([Exit.BUDGET, Exit.HCALL, Exit.WFI].sort());
    // A pass: the loop, and the 5-instruction handler for ten traps (4 divisions by zero,
    // 3 misaligned, syscall, break, unassigned) and an interrupt.
    const passes = cpu.instret / (program().length + 11 * 5);
    expect(passes).toBeGreaterThan(50);
    expect(cpu.st[S.TRAPS]).toBeGreaterThan(10.5 * passes);
  });
});
