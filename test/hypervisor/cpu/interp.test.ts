/**
 * Semantics of every instruction, traps, interrupts, CSRs, the MMU and cycle
 * accounting, checked against the documented ISA (isa/*.ts) for both the fast
 * interpreter and the reference one. Programs are built with encode(); code
 * runs in the kernel segment unless a test enters user mode.
 */
import { describe, expect, it } from 'vitest';
import { OPCODES, OPCODE_BY_MNEMONIC, OPCODE_BY_NUMBER } from '../../../isa/opcodes.ts';
import { FORMATS } from '../../../isa/formats.ts';
import { encode } from '../../../isa/encoding.ts';
import { CSR, NUM_CSRS, STATUS_BITS, STATUS_WRITABLE } from '../../../isa/csrs.ts';
import { INTERRUPT_FLAG, IRQ } from '../../../isa/traps.ts';
import { PTE } from '../../../isa/memory.ts';
import { TLB_MISS_COST, TRAP_ENTRY_COST } from '../../../isa/clock.ts';
import { Exit } from '../../../hypervisor/cpu/exits.ts';
import { F, S, CpuState } from '../../../hypervisor/cpu/state.ts';
import { GuestMemory } from '../../../hypervisor/cpu/memory.ts';
import {
  DATA, DATA_PA, HANDLER, HANDLER_DONE, HANDLER_PA, KB, ROOT_PA, MEM_BYTES, RUNNERS, USER, USER_DATA_PA, USER_RO_PA,
  enterUser, faultSeen, ins, installHandler, leafPte, machine, peek, poke, reg, trapSeen, userSpace,
} from '../../helpers/cpu.ts';

const { IE, KERNEL, PIE, PKERNEL } = STATUS_BITS;
const INT_MIN = -0x8000_0000;
const cost = (...ms: string[]) => ms.reduce((sum, m) => sum + OPCODE_BY_MNEMONIC.get(m)!.cost, 0);
const u = (v: number) => v >>> 0;

describe.each(RUNNERS)('%s', (_name, exec) => {
  /** Run until the first exit; return the VCPU. */
  const go = (cpu: CpuState, expected: number = Exit.HCALL, budget = 100_000) => {
    expect(exec(cpu, budget)).toBe(expected);
    return cpu;
  };
  const a0Of = (code: number[], regs: Record<string, number> = {}) => u(go(machine(code, regs)).reg(reg('a0')));

  describe('ALU', () => {
    // [mnemonic, rs1, rs2 or immediate, expected rd]
    const rows: [string, number, number, number][] = [
      ['add', 1, 2, 3], ['add', 0x7fff_ffff, 1, INT_MIN], ['add', 0xffff_ffff, 1, 0],
      ['sub', 0, 1, -1], ['sub', INT_MIN, 1, 0x7fff_ffff],
      ['mul', -3, 5, -15], ['mul', 0xffff_ffff, 0xffff_ffff, 1], ['mul', 0x1_0000, 0x1_0000, 0], ['mul', 0x1234_5678, 0x9abc_def0, 0x242d_2080],
      ['mulh', -1, -1, 0], ['mulh', -1, 1, -1], ['mulh', INT_MIN, INT_MIN, 0x4000_0000], ['mulh', 0x7fff_ffff, 0x7fff_ffff, 0x3fff_ffff],
      ['mulh', -2, 3, -1], ['mulh', INT_MIN, 0x7fff_ffff, 0xc000_0000], ['mulh', 0x1234_5678, -0x6543_2110, 0xf8cc_93d6],
      ['mulhu', 0xffff_ffff, 0xffff_ffff, 0xffff_fffe], ['mulhu', 0xffff_ffff, 1, 0], ['mulhu', INT_MIN, 2, 1], ['mulhu', -2, 3, 2],
      ['div', 7, 2, 3], ['div', -7, 2, -3], ['div', 7, -2, -3], ['div', -7, -2, 3], ['div', INT_MIN, -1, INT_MIN], ['div', INT_MIN, 1, INT_MIN],
      ['divu', -1, 2, 0x7fff_ffff], ['divu', 7, 2, 3], ['divu', INT_MIN, -1, 0],
      ['rem', 7, 2, 1], ['rem', -7, 2, -1], ['rem', 7, -2, 1], ['rem', INT_MIN, -1, 0], ['rem', INT_MIN, 3, -2],
      ['remu', -1, 10, 5], ['remu', 7, -1, 7],
      ['and', 0xff00_ff00, 0x0ff0_0ff0, 0x0f00_0f00], ['or', 0xff00_0000, 0x0000_00ff, 0xff00_00ff], ['xor', -1, 0x0f0f_0f0f, 0xf0f0_f0f0],
      ['sll', 1, 31, INT_MIN], ['sll', 1, 32, 1], ['sll', 1, 33, 2], ['sll', 3, -1, INT_MIN],
      ['srl', INT_MIN, 31, 1], ['srl', -1, 32, -1], ['srl', -1, 36, 0x0fff_ffff],
      ['sra', INT_MIN, 31, -1], ['sra', -16, 2, -4], ['sra', -16, 34, -4], ['sra', 0x7000_0000, 64, 0x7000_0000],
      ['slt', -1, 1, 1], ['slt', 1, -1, 0], ['slt', 1, 1, 0], ['sltu', -1, 1, 0], ['sltu', 1, -1, 1], ['sltu', 1, 1, 0],
      ['addi', 1, -1, 0], ['addi', 0x7fff_ffff, 1, INT_MIN], ['addi', 0, -32768, -32768], ['addi', 0, 32767, 32767],
      ['andi', -1, 0xffff, 0xffff], ['andi', -1, 0x8000, 0x8000], ['ori', 0, 0x8000, 0x8000], ['ori', 0x1_0000, 0xffff, 0x1_ffff],
      ['xori', -1, 0xffff, 0xffff_0000],
      ['slli', 1, 31, INT_MIN], ['slli', 1, 33, 2], ['srli', INT_MIN, 31, 1], ['srli', -1, 36, 0x0fff_ffff],
      ['srai', INT_MIN, 31, -1], ['srai', -16, 34, -4],
      ['slti', -5, -4, 1], ['slti', 5, -4, 0], ['slti', -4, -4, 0],
      ['sltiu', 5, -1, 1], ['sltiu', -1, -1, 0], ['sltiu', 0x7fff_ffff, -32768, 1], ['sltiu', 0xffff_8000, -32768, 0], ['sltiu', 3, 4, 1],
      ['lui', 0, 0x1234, 0x1234_0000], ['lui', 0, 0xffff, 0xffff_0000], ['lui', 0, 0x8000, INT_MIN],
    ];
    it('covers every alu and alu-imm instruction', () => {
      const alu = OPCODES.filter((o) => o.group === 'alu' || o.group === 'alu-imm').map((o) => o.mnemonic);
      expect(new Set(rows.map(([m]) => m))).toEqual(new Set(alu));
    });

    it.each(rows)('%s %d, %d = %d', (m, a, b, expected) => {
      const f = FORMATS[OPCODE_BY_MNEMONIC.get(m)!.format];
      const code = f.name === 'R' ? ins(m, 'a0', 'a1', 'a2') : f.name === 'U' ? ins(m, 'a0', b) : ins(m, 'a0', 'a1', b);
      expect(a0Of([code, ins('hcall')], { a1: a, a2: b })).toBe(u(expected));
    });

    it.each(['div', 'divu', 'rem', 'remu'])('%s by zero without TVEC is Exit.FAULT DIVIDE_BY_ZERO', (m) => {
      const cpu = go(machine([ins('addi', 'a0', 'zero', 1), ins(m, 'a0', 'a1', 'zero')], { a1: 5 }), Exit.FAULT);
      expect(faultSeen(cpu)).toEqual({ cause: 'DIVIDE_BY_ZERO', addr: 0, pc: KB + 4 });
      expect([cpu.pc, cpu.reg(reg('a0'))]).toEqual([KB + 4, 1]);
    });

    it.each(['div', 'divu', 'rem', 'remu'])('%s by zero enters the handler with EPC = the instruction, rd unchanged', (m) => {
      const cpu = go(installHandler(machine([ins('add', 'a2', 'zero', 'zero'), ins(m, 'a0', 'a1', 'a2')], { a0: 77, a1: 5 })));
      expect(trapSeen(cpu)).toMatchObject({ cause: 'DIVIDE_BY_ZERO', epc: KB + 4, badaddr: 0 });
      expect(cpu.reg(reg('a0'))).toBe(77);
    });
  });

  describe('loads and stores', () => {
    const bytes = (cpu: CpuState) => { cpu.mem.u8.set([0x80, 0xff, 0x7f, 0x01, 0x34, 0x12, 0xcd, 0xab], DATA_PA); return cpu; };
    const loads: [string, number, number][] = [
      ['lw', 0, 0x017f_ff80], ['lw', 4, 0xabcd_1234], ['lh', 0, 0xffff_ff80], ['lhu', 0, 0xff80], ['lh', 2, 0x017f],
      ['lh', 6, 0xffff_abcd], ['lhu', 6, 0xabcd], ['lb', 0, 0xffff_ff80], ['lbu', 0, 0x80], ['lb', 1, 0xffff_ffff],
      ['lbu', 1, 0xff], ['lb', 2, 0x7f], ['lbu', 3, 0x01], ['lb', 7, 0xffff_ffab],
    ];
    // Each access runs twice: a TLB miss (slow path), then a hit (fast path).
    it.each(loads)('%s at +%d = %d', (m, off, expected) => {
      // Base above the data with a negative displacement: address = rs1 + sext(imm).
      const code = [ins(m, 'a0', [off - 16, 's0']), ins(m, 'a1', [off - 16, 's0']), ins('hcall')];
      const cpu = go(bytes(machine(code, { s0: DATA + 16 })));
      expect([u(cpu.reg(reg('a0'))), u(cpu.reg(reg('a1')))]).toEqual([expected, expected]);
    });

    const stores: [string, number, number][] = [
      ['sw', 0, 0x1234_5678], ['sh', 0, 0xaaaa_5678], ['sh', 2, 0x5678_aaaa],
      ['sb', 0, 0xaaaa_aa78], ['sb', 1, 0xaaaa_78aa], ['sb', 3, 0x78aa_aaaa],
    ];
    it.each(stores)('%s at +%d leaves %d', (m, off, expected) => {
      const code = [ins(m, 'a0', [off + 8, 's0']), ins(m, 'a0', [off, 's0']), ins('hcall')];
      const cpu = machine(code, { s0: DATA, a0: 0x1234_5678 });
      poke(cpu, DATA_PA, [0xaaaa_aaaa, 0x5555_5555, 0xaaaa_aaaa]);
      go(cpu);
      expect([peek(cpu, DATA_PA), peek(cpu, DATA_PA + 4), peek(cpu, DATA_PA + 8)]).toEqual([expected, 0x5555_5555, expected]);
    });

    // [instruction, byte offset from an aligned address, cause]
    const misaligned: [string, number, string][] = [
      ['lw', 1, 'MISALIGNED_LOAD'], ['lw', 2, 'MISALIGNED_LOAD'], ['lw', 3, 'MISALIGNED_LOAD'], ['lh', 1, 'MISALIGNED_LOAD'],
      ['lhu', 3, 'MISALIGNED_LOAD'], ['sw', 2, 'MISALIGNED_STORE'], ['sh', 1, 'MISALIGNED_STORE'], ['cas', 2, 'MISALIGNED_STORE'],
      ['xchg', 1, 'MISALIGNED_STORE'], ['xadd', 3, 'MISALIGNED_STORE'], ['jalr', 2, 'MISALIGNED_FETCH'], ['jalr', 1, 'MISALIGNED_FETCH'],
    ];
    const access = (m: string, off: number): number => {
      const g = OPCODE_BY_MNEMONIC.get(m)!.group;
      return g === 'atomic' ? ins(m, 'a0', 'a1', 's0') : g === 'store' ? ins(m, 'a0', [off, 's0']) : ins(m, 'ra', [off, 's0']);
    };
    /** An aligned access that puts the page in the TLB table `m` uses (atomics use the write table). */
    const warmup = (m: string, off: number): number => {
      const g = OPCODE_BY_MNEMONIC.get(m)!.group;
      return g === 'jump' ? ins('jal', 'zero', 1) : g === 'atomic' ? ins('sw', 'zero', [-off, 's0']) : ins(m, 'zero', [0, 's0']);
    };
    // With the page already in the TLB (fast path) and not (slow path).
    it.each(misaligned.flatMap((row) => [[...row, true], [...row, false]] as const))('%s at +%d traps %s with BADADDR (TLB warm: %s)', (m, off, cause, warm) => {
      const base = m === 'jalr' ? KB + 8 : DATA;
      const s0 = OPCODE_BY_MNEMONIC.get(m)!.group === 'atomic' ? base + off : base;
      const first = warm ? warmup(m, off) : ins('add', 'ra', 'zero', 'zero');
      const cpu = go(installHandler(machine([first, access(m, off), ins('hcall')], { s0 })));
      expect(trapSeen(cpu)).toMatchObject({ cause, epc: KB + 4, badaddr: base + off });
      expect(cpu.reg(reg('ra'))).toBe(0);
    });

    it.each(misaligned)('%s at +%d without TVEC is Exit.FAULT %s', (m, off, cause) => {
      const base = m === 'jalr' ? KB + 8 : DATA;
      const s0 = OPCODE_BY_MNEMONIC.get(m)!.group === 'atomic' ? base + off : base;
      const cpu = go(machine([access(m, off)], { s0 }), Exit.FAULT);
      expect(faultSeen(cpu)).toEqual({ cause, addr: base + off, pc: KB });
    });
  });

  describe('branches and jumps', () => {
    // [branch, rs1, rs2, taken]
    const rows: [string, number, number, boolean][] = [
      ['beq', 5, 5, true], ['beq', 5, 6, false], ['bne', 5, 6, true], ['bne', 5, 5, false],
      ['blt', -1, 1, true], ['blt', 1, -1, false], ['blt', 3, 3, false],
      ['bge', 1, -1, true], ['bge', 3, 3, true], ['bge', -1, 1, false],
      ['bltu', 1, -1, true], ['bltu', -1, 1, false], ['bltu', 3, 3, false],
      ['bgeu', -1, 1, true], ['bgeu', 3, 3, true], ['bgeu', 1, -1, false],
    ];
    it('covers every branch', () => {
      expect(new Set(rows.map(([m]) => m))).toEqual(new Set(OPCODES.filter((o) => o.group === 'branch').map((o) => o.mnemonic)));
    });
    it.each(rows)('%s %d, %d taken: %s', (m, a, b, taken) => {
      const code = [ins(m, 'a1', 'a2', 3), ins('addi', 'a0', 'zero', 1), ins('hcall'), ins('addi', 'a0', 'zero', 2), ins('hcall')];
      expect(a0Of(code, { a1: a, a2: b })).toBe(taken ? 2 : 1);
    });

    it('branches backward (offset in words from the branch itself)', () => {
      // 0: jal +2 -> 8; 4: hcall; 8: addi a0, 1; 12: bne a0, zero, -2 -> 4
      const code = [ins('jal', 'zero', 2), ins('hcall'), ins('addi', 'a0', 'a0', 1), ins('bne', 'a0', 'zero', -2)];
      const cpu = go(machine(code));
      expect([cpu.pc, cpu.reg(reg('a0'))]).toEqual([KB + 8, 1]);
    });

    it('jal links pc + 4 and jumps forward and backward', () => {
      // 0: jal ra, +3 -> 12; 4: add a0, ra, zero; 8: hcall; 12: add a1, ra, zero; 16: jal ra, -3 -> 4
      const code = [ins('jal', 'ra', 3), ins('add', 'a0', 'ra', 'zero'), ins('hcall'), ins('add', 'a1', 'ra', 'zero'), ins('jal', 'ra', -3)];
      const cpu = go(machine(code));
      expect([u(cpu.reg(reg('a1'))), u(cpu.reg(reg('a0')))]).toEqual([KB + 4, KB + 20]);
    });

    it('jalr jumps to rs1 + imm and links pc + 4, even when rd = rs1', () => {
      // 0: jalr s0, 4(s0) with s0 = KB+8 -> 12; 4: addi a0, 1; 8: hcall; 12: hcall
      const code = [ins('jalr', 's0', [4, 's0']), ins('addi', 'a0', 'zero', 1), ins('hcall'), ins('hcall')];
      const cpu = go(machine(code, { s0: KB + 8 }));
      expect([cpu.pc, u(cpu.reg(reg('s0'))), cpu.reg(reg('a0'))]).toEqual([KB + 16, KB + 4, 0]);
    });
  });

  describe('atomics and counters', () => {
    // [instruction, memory before, rd before, rs2, memory after]; rd after is always the old memory.
    const rows: [string, number, number, number, number][] = [
      ['cas', 5, 5, 9, 9], ['cas', 5, 4, 9, 5], ['xchg', 5, 0, 9, 9], ['xadd', 5, 0, -7, -2], ['xadd', 0x7fff_ffff, 0, 1, INT_MIN],
    ];
    it.each(rows)('%s mem=%d rd=%d rs2=%d leaves mem=%d', (m, before, rd, src, after) => {
      // The same operation on two words of the page: TLB miss, then hit.
      const cpu = machine([ins(m, 'a0', 'a1', 's0'), ins(m, 'a2', 'a1', 's1'), ins('hcall')], { s0: DATA + 8, s1: DATA + 12, a0: rd, a2: rd, a1: src });
      poke(cpu, DATA_PA + 8, [before, before]);
      go(cpu);
      expect([peek(cpu, DATA_PA + 8), peek(cpu, DATA_PA + 12), cpu.reg(reg('a0')), cpu.reg(reg('a2'))]).toEqual([u(after), u(after), before, before]);
    });

    it('fence does nothing; pause counts in S.PAUSES', () => {
      const cpu = machine([ins('pause'), ins('fence'), ins('pause'), ins('hcall')]);
      cpu.st[S.PAUSES] = 40;
      expect(go(cpu).st[S.PAUSES]).toBe(42);
    });

    it('rdtime/rdtimeh read F.TIME plus the cycles of this run so far', () => {
      const cpu = machine([ins('rdtime', 'a0'), ins('rdtimeh', 'a1'), ins('hcall')]);
      cpu.f64[F.TIME] = 2 ** 32 * 5 - 10;
      cpu.f64[F.CYCLES] = 7;
      go(cpu);
      expect(cpu.reg(reg('a0'))).toBe(TLB_MISS_COST + cost('rdtime') - 10);
      expect(cpu.reg(reg('a1'))).toBe(5);
    });

    it('rdtime wraps its low word; rdtimeh is the high word at its own cycle', () => {
      const cpu = machine([ins('rdtime', 'a0'), ins('rdtimeh', 'a1'), ins('hcall')]);
      cpu.f64[F.TIME] = 2 ** 32 * 3 - (TLB_MISS_COST + cost('rdtime'));
      go(cpu);
      expect([cpu.reg(reg('a0')), cpu.reg(reg('a1'))]).toEqual([0, 3]);
    });

    it('rdcycle/rdcycleh read F.CYCLES plus the cycles of this run so far', () => {
      const cpu = machine([ins('rdcycle', 'a0'), ins('rdcycleh', 'a1'), ins('rdcycleh', 'a2'), ins('hcall')]);
      // The first rdcycleh retires one cycle before a 2^32 boundary, the second after it.
      cpu.f64[F.CYCLES] = 2 ** 32 * 9 - (TLB_MISS_COST + cost('rdcycle', 'rdcycleh')) - 1;
      cpu.f64[F.TIME] = 12345;
      go(cpu);
      expect(['a0', 'a1', 'a2'].map((r) => cpu.reg(reg(r)))).toEqual([-1 - cost('rdcycleh'), 8, 9]);
    });
  });

  describe('traps', () => {
    it.each([['syscall', 'SYSCALL'], ['break', 'BREAKPOINT']])('%s traps %s with EPC = itself (kernel)', (m, cause) => {
      const cpu = go(installHandler(machine([ins('addi', 'a0', 'zero', 1), ins(m), ins('addi', 'a0', 'zero', 2)])));
      expect(trapSeen(cpu)).toEqual({ cause, epc: KB + 4, badaddr: 0, status: KERNEL | PKERNEL, ipend: 0 });
    });

    it.each([['syscall', 'SYSCALL'], ['break', 'BREAKPOINT']])('%s traps %s with EPC = itself (user, IE on)', (m, cause) => {
      const cpu = enterUser(userSpace(installHandler(machine([]))), [ins(m)], IE);
      expect(trapSeen(go(cpu))).toEqual({ cause, epc: USER.CODE, badaddr: 0, status: KERNEL | PIE, ipend: 0 });
    });

    it('hcall exits with pc past it, and run() resumes there (kernel and user)', () => {
      const cpu = machine([ins('addi', 'a0', 'zero', 1), ins('hcall'), ins('addi', 'a0', 'a0', 1), ins('hcall')]);
      expect(go(cpu).pc).toBe(KB + 8);
      expect([go(cpu).pc, cpu.reg(reg('a0'))]).toEqual([KB + 16, 2]);
      const user = go(enterUser(userSpace(machine([])), [ins('hcall'), ins('hcall')]));
      expect([user.pc, user.kernelMode]).toEqual([USER.CODE + 4, false]);
    });

    it.each([[0], [0xff], [0x12], [0x3f]])('unassigned opcode %i traps ILLEGAL_INSTRUCTION with the word', (op) => {
      const word = (0xabcd_e000 | op) >>> 0;
      const cpu = go(installHandler(machine([word])));
      expect(trapSeen(cpu)).toMatchObject({ cause: 'ILLEGAL_INSTRUCTION', epc: KB, badaddr: word });
    });

    it('every unassigned opcode is illegal', () => {
      for (let op = 0; op < 256; op++) {
        if (OPCODE_BY_NUMBER[op]) continue;
        const cpu = go(machine([op | 0x1234_5600]), Exit.FAULT);
        expect(faultSeen(cpu)).toEqual({ cause: 'ILLEGAL_INSTRUCTION', addr: (op | 0x1234_5600) >>> 0, pc: KB });
      }
    });

    const privileged = OPCODES.filter((o) => o.priv);
    it.each(privileged.map((o) => [o.mnemonic, o] as const))('%s in user mode traps PRIVILEGED_INSTRUCTION', (_, info) => {
      const word = encode(info, FORMATS[info.format].operands.map(() => ({ reg: 0, imm: 0 })));
      const cpu = go(enterUser(userSpace(installHandler(machine([]))), [word], IE));
      expect(trapSeen(cpu)).toEqual({ cause: 'PRIVILEGED_INSTRUCTION', epc: USER.CODE, badaddr: word, status: KERNEL | PIE, ipend: 0 });
    });

    it('a trap whose handler faults on its first instruction is Exit.FAULT (double fault)', () => {
      const cpu = machine([ins('syscall')]);
      poke(cpu, 0x1000, [ins('lw', 'a0', [0, 'zero'])]);
      cpu.st[S.TVEC] = KB + 0x1000;
      go(cpu, Exit.FAULT);
      expect(faultSeen(cpu)).toEqual({ cause: 'LOAD_PAGE_FAULT', addr: 0, pc: KB + 0x1000 });
    });

    it('a user-mode jump to TVEC is an ordinary FETCH_PAGE_FAULT for the handler, not a double fault', () => {
      const code = [ins('lui', 't0', HANDLER >>> 16), ins('ori', 't0', 't0', HANDLER & 0xffff), ins('jalr', 'zero', [0, 't0'])];
      const cpu = go(enterUser(userSpace(installHandler(machine([]))), code, IE));
      expect(trapSeen(cpu)).toMatchObject({ cause: 'FETCH_PAGE_FAULT', epc: HANDLER, badaddr: HANDLER });
    });

    it('a TVEC beyond memory is a double fault (BUS_ERROR on the vector fetch)', () => {
      const cpu = machine([ins('break')]);
      cpu.st[S.TVEC] = KB + MEM_BYTES;
      go(cpu, Exit.FAULT);
      expect(faultSeen(cpu)).toEqual({ cause: 'BUS_ERROR', addr: KB + MEM_BYTES, pc: KB + MEM_BYTES });
    });
  });

  describe('CSRs and eret', () => {
    it('csrw, csrr, csrrw (also with rd = rs1)', () => {
      const code = [
        ins('csrw', 'SCRATCH', 'a1'), ins('csrr', 'a0', 'SCRATCH'), ins('csrrw', 's1', 'SCRATCH', 'a2'),
        ins('csrr', 's2', 'SCRATCH'), ins('csrrw', 'a2', 'SCRATCH', 'a2'), ins('hcall'),
      ];
      const cpu = go(machine(code, { a1: 0x1111, a2: 0x2222 }));
      expect(['a0', 's1', 's2', 'a2'].map((r) => cpu.reg(reg(r)))).toEqual([0x1111, 0x1111, 0x2222, 0x2222]);
    });

    // [CSR, value before, value written, value read back]
    const rows: [string, number, number, number][] = [
      ['STATUS', KERNEL, -1 & ~IE, STATUS_WRITABLE & ~IE], ['EPC', 0, 0x1235, 0x1235], ['CAUSE', 0, 7, 7], ['BADADDR', 0, -5, -5],
      ['TVEC', 0, KB + 0x1003, KB + 0x1000], ['SCRATCH', 0, -1, -1], ['PTBR', 0, 0x8abc, 0x8000],
      ['IMASK', 0, 0x1f, 0x1f], ['IPEND', 0b1011, 0b0010, 0b1001], ['VCPUID', 0, 9, 0],
    ];
    it('covers every CSR', () => expect(rows.map(([n]) => n).sort()).toEqual(Object.keys(CSR).sort()));
    it.each(rows)('%s: before %d, write %d, reads %d', (name, before, written, after) => {
      const cpu = machine([ins('csrrw', 'a0', name, 'a1'), ins('csrr', 'a2', name), ins('hcall')], { a1: written });
      cpu.st[S.CSR_BASE + CSR[name as keyof typeof CSR]] = before;
      go(cpu);
      expect([cpu.reg(reg('a0')), cpu.reg(reg('a2'))]).toEqual([before, after | 0]);
    });

    it.each([NUM_CSRS, 0xffff])('unknown CSR %d traps ILLEGAL_INSTRUCTION in csrr, csrw and csrrw', (n) => {
      for (const word of [ins('csrr', 'a0', n), ins('csrw', n, 'a1'), ins('csrrw', 'a0', n, 'a1')]) {
        const cpu = go(installHandler(machine([word], { a0: 5 })));
        expect(trapSeen(cpu)).toMatchObject({ cause: 'ILLEGAL_INSTRUCTION', epc: KB, badaddr: word });
      }
    });

    it.each([
      [KERNEL | PKERNEL | PIE, KERNEL | IE | PIE], [KERNEL | PKERNEL, KERNEL | PIE], [KERNEL | IE | PKERNEL, KERNEL | PIE],
    ])('eret from STATUS %d: IE = PIE, KERNEL = PKERNEL, PIE = 1, PKERNEL = 0 (%d)', (before, after) => {
      // 0: csrw STATUS, a1; 4: eret -> EPC = 12; 8: hcall; 12: csrr a0, STATUS; 16: hcall
      const code = [ins('csrw', 'STATUS', 'a1'), ins('eret'), ins('hcall'), ins('csrr', 'a0', 'STATUS'), ins('hcall')];
      const cpu = machine(code, { a1: before });
      cpu.st[S.EPC] = KB + 12;
      expect(go(cpu).reg(reg('a0'))).toBe(after);
    });

    it('eret to user mode, then a syscall saves PIE/PKERNEL and the handler sees it', () => {
      const cpu = userSpace(installHandler(machine([ins('eret')])));
      enterUser(cpu, [ins('addi', 'a0', 'zero', 3), ins('syscall')]);
      cpu.st[S.STATUS] = KERNEL | PIE;
      cpu.st[S.EPC] = USER.CODE;
      cpu.pc = KB;
      expect(trapSeen(go(cpu))).toEqual({ cause: 'SYSCALL', epc: USER.CODE + 4, badaddr: 0, status: KERNEL | PIE, ipend: 0 });
      expect(cpu.reg(reg('a0'))).toBe(3);
    });

    it('eret to a misaligned EPC traps MISALIGNED_FETCH', () => {
      const cpu = installHandler(machine([ins('eret')]));
      cpu.st[S.EPC] = KB + 0x22;
      expect(trapSeen(go(cpu))).toMatchObject({ cause: 'MISALIGNED_FETCH', epc: KB, badaddr: KB + 0x22 });
    });
  });

  describe('interrupts', () => {
    const setup = (code: number[], status: number, imask: number, ipend: number) => {
      const cpu = installHandler(machine(code));
      Object.assign(cpu.st, { [S.STATUS]: status, [S.IMASK]: imask, [S.IPEND]: ipend });
      return cpu;
    };
    const body = [ins('addi', 'a0', 'zero', 7), ins('hcall')];

    it('not taken with IE clear, nor with the line masked', () => {
      for (const [status, imask] of [[KERNEL, 0b10], [KERNEL | IE, 0b01]]) {
        const cpu = go(setup(body, status!, imask!, 0b10));
        expect([cpu.pc, cpu.reg(reg('a0')), cpu.st[S.IPEND]]).toEqual([KB + 8, 7, 0b10]);
      }
    });

    it('taken before the next instruction, lowest enabled line first, clearing its IPEND bit', () => {
      const cpu = go(setup(body, KERNEL | IE, 0b1110, 0b1101));
      expect(trapSeen(cpu)).toEqual({ cause: 'interrupt HV', epc: KB, badaddr: 0, status: KERNEL | PIE | PKERNEL, ipend: 0b1001 });
      expect(cpu.reg(reg('t0'))).toBe((INTERRUPT_FLAG | IRQ.HV) | 0);
      expect(cpu.reg(reg('a0'))).toBe(0);
    });

    it('a line raised between runs is taken at the next instruction boundary', () => {
      const cpu = setup([ins('hcall'), ins('addi', 'a0', 'zero', 1), ins('hcall')], KERNEL | IE, 1 << IRQ.TIMER, 0);
      expect(go(cpu).pc).toBe(KB + 4);
      cpu.raiseIrq(IRQ.TIMER);
      expect(trapSeen(go(cpu))).toMatchObject({ cause: 'interrupt TIMER', epc: KB + 4, ipend: 0 });
    });

    it('ei makes a pending interrupt be taken right after it', () => {
      const code = [ins('addi', 'a0', 'zero', 1), ins('ei'), ins('addi', 'a0', 'zero', 2), ins('hcall')];
      const cpu = go(setup(code, KERNEL, 0b1, 0b1));
      expect(trapSeen(cpu)).toMatchObject({ cause: 'interrupt TIMER', epc: KB + 8, status: KERNEL | PIE | PKERNEL });
      expect(cpu.reg(reg('a0'))).toBe(1);
    });

    it('di keeps a pending interrupt pending', () => {
      const cpu = go(setup([ins('di'), ins('addi', 'a0', 'zero', 2), ins('hcall')], KERNEL, 0b1, 0b1));
      expect([cpu.pc, cpu.reg(reg('a0'))]).toEqual([KB + 12, 2]);
    });

    it('an interrupt in user mode saves PKERNEL = 0', () => {
      const cpu = userSpace(setup([], 0, 0b100, 0b100));
      enterUser(cpu, body, IE);
      expect(trapSeen(go(cpu))).toMatchObject({ cause: 'interrupt HV', epc: USER.CODE, status: KERNEL | PIE });
    });

    it('an interrupt taken at pc = TVEC (reached by a jump, IE on) enters the handler: not a double fault', () => {
      const cpu = setup([ins('jal', 'zero', HANDLER_PA / 4)], KERNEL | IE, 0b1, 0);
      expect(go(cpu).pc).toBe(HANDLER_DONE);
      Object.assign(cpu.st, { [S.PC]: HANDLER, [S.STATUS]: KERNEL | IE });
      cpu.raiseIrq(0);
      expect(trapSeen(go(cpu))).toMatchObject({ cause: 'interrupt TIMER', epc: HANDLER, ipend: 0 });
    });

    it('wfi exits with Exit.WFI, pc past it, when nothing enabled is pending', () => {
      for (const [imask, ipend] of [[0, 0], [0b01, 0b10]]) {
        const cpu = go(setup([ins('wfi'), ins('hcall')], KERNEL, imask!, ipend!), Exit.WFI);
        expect(cpu.pc).toBe(KB + 4);
      }
    });

    it('wfi does not exit while an enabled line is pending, even with IE clear', () => {
      expect(go(setup([ins('wfi'), ins('hcall')], KERNEL, 0b10, 0b10)).pc).toBe(KB + 8);
    });

    it('after wfi, a raised line is taken with EPC past the wfi', () => {
      const cpu = go(setup([ins('wfi'), ins('hcall')], KERNEL | IE, 0b1, 0), Exit.WFI);
      cpu.raiseIrq(0);
      expect(trapSeen(go(cpu))).toMatchObject({ cause: 'interrupt TIMER', epc: KB + 4 });
    });
  });

  describe('r0', () => {
    // Each writes r0 and falls through to the next instruction (jal/jalr jump to it).
    const writers: [string, number][] = [
      ['add', ins('add', 'zero', 'a1', 'a1')], ['addi', ins('addi', 'zero', 'a1', 1)], ['lui', ins('lui', 'zero', 1)],
      ['lw', ins('lw', 'zero', [0, 's0'])], ['jal', ins('jal', 'zero', 1)], ['jalr', ins('jalr', 'zero', [4, 's1'])],
      ['csrr', ins('csrr', 'zero', 'SCRATCH')], ['csrrw', ins('csrrw', 'zero', 'SCRATCH', 'a1')], ['cas', ins('cas', 'zero', 'a1', 's0')],
      ['xadd', ins('xadd', 'zero', 'a1', 's0')], ['rdtime', ins('rdtime', 'zero')], ['rdcycle', ins('rdcycle', 'zero')],
    ];
    it.each(writers)('%s to r0 is discarded', (_, word) => {
      const code = [word, ins('add', 'a0', 'zero', 'zero'), ins('sw', 'zero', [4, 's0']), ins('hcall')];
      const cpu = machine(code, { a0: 99, a1: 0x55, s0: DATA, s1: KB });
      poke(cpu, DATA_PA, [0x77, 0x66]);
      cpu.st[S.SCRATCH] = 0x44;
      go(cpu);
      expect([cpu.pc, cpu.reg(0), cpu.reg(reg('a0')), peek(cpu, DATA_PA + 4)]).toEqual([KB + 16, 0, 0, 0]);
    });
  });

  describe('non-canonical words', () => {
    // Bits a format does not use are ignored: [instruction, extra bits, register to check, expected].
    const rows: [string, number, number, string, number][] = [
      ['add', ins('add', 'a0', 'a1', 'a2'), 0xfff0_0000, 'a0', 5],
      ['lui', ins('lui', 'a0', 1), 0x0000_f000, 'a0', 0x1_0000],
      ['rdcycle', ins('rdcycle', 'a0'), 0xffff_f000, 'a0', TLB_MISS_COST + cost('rdcycle')],
      ['cas', ins('cas', 'a0', 'a2', 's0'), 0xfff0_0000, 'a0', 0],
      ['csrw', ins('csrw', 'SCRATCH', 'a1'), 0x0000_0f00, 'a0', 0x77],
      ['tlbflush', ins('tlbflush', 'zero'), 0xffff_0f00, 'a0', 0x77],
      ['fence', ins('fence'), 0xffff_ff00, 'a0', 0x77],
    ];
    it.each(rows)('%s ignores its unused bits', (_, word, extra, r, expected) => {
      const cpu = go(machine([(word | extra) >>> 0, ins('hcall')], { a0: 0x77, a1: 2, a2: 3, s0: DATA }));
      expect(cpu.reg(reg(r))).toBe(expected);
      expect(cpu.pc).toBe(KB + 8);
    });

    it('hcall with every unused bit set is still hcall', () => {
      expect(go(machine([(ins('hcall') | 0xffff_ff00) >>> 0])).pc).toBe(KB + 4);
    });
  });

  describe('cycle accounting and budget', () => {
    it('cycles = table costs + TLB misses + trap entry; INSTRET counts instructions', () => {
      const code = [ins('addi', 't0', 'zero', 5), ins('lw', 'a0', [0, 's0']), ins('sw', 'a0', [4, 's0']), ins('mul', 'a1', 't0', 't0'), ins('syscall')];
      const cpu = installHandler(machine(code, { s0: DATA }));
      cpu.f64[F.CYCLES] = 1000;
      cpu.f64[F.INSTRET] = 10;
      go(cpu);
      const ran = cost('addi', 'lw', 'sw', 'mul', 'syscall', 'csrr', 'csrr', 'csrr', 'csrr', 'csrr', 'hcall')
        + 4 * TLB_MISS_COST /* code page, data read, data write, handler page */ + TRAP_ENTRY_COST;
      expect([cpu.f64[F.RAN], cpu.f64[F.CYCLES], cpu.f64[F.INSTRET]]).toEqual([ran, 1000 + ran, 10 + 11]);
    });

    it('an instruction that traps is charged, and counts in INSTRET', () => {
      const cpu = installHandler(machine([ins('div', 'a0', 'a0', 'zero')]));
      go(cpu);
      expect([cpu.f64[F.RAN], cpu.f64[F.INSTRET]]).toEqual([
        cost('div', 'csrr', 'csrr', 'csrr', 'csrr', 'csrr', 'hcall') + 2 * TLB_MISS_COST + TRAP_ENTRY_COST, 7,
      ]);
    });

    it('a fetch that faults is not an instruction, but the trap entry is charged', () => {
      const cpu = go(machine([ins('jal', 'zero', 0x1_0000)]), Exit.FAULT);
      expect([cpu.f64[F.RAN], cpu.f64[F.INSTRET], faultSeen(cpu).cause]).toEqual([cost('jal') + TLB_MISS_COST + TRAP_ENTRY_COST, 1, 'BUS_ERROR']);
    });

    it('the budget stops execution at the first instruction boundary at or past it', () => {
      // loop: addi a0, a0, 1; jal zero, -1
      const cpu = machine([ins('addi', 'a0', 'a0', 1), ins('jal', 'zero', -1)]);
      const iter = cost('addi', 'jal');
      let total = 0;
      for (const budget of [50, 1, 77]) {
        expect(exec(cpu, budget)).toBe(Exit.BUDGET);
        const ran = cpu.f64[F.RAN]!;
        const last = cpu.pc === KB ? cost('jal') : cost('addi');
        expect(ran >= budget && ran - last < budget).toBe(true);
        total += ran;
        const n = cpu.reg(reg('a0'));
        expect(total).toBe(TLB_MISS_COST + n * iter - (cpu.pc === KB ? 0 : cost('jal')));
        expect(cpu.f64[F.CYCLES]).toBe(total);
      }
    });

    it('a zero budget executes nothing', () => {
      const cpu = machine([ins('addi', 'a0', 'zero', 1)]);
      expect(exec(cpu, 0)).toBe(Exit.BUDGET);
      expect([cpu.pc, cpu.f64[F.RAN], cpu.reg(reg('a0'))]).toEqual([KB, 0, 0]);
    });
  });

  describe('MMU', () => {
    // [mode, instruction, address, trap cause or undefined]
    type Row = [mode: 'user' | 'kernel', m: 'lw' | 'sw' | 'jalr' | 'cas', va: number, cause?: string];
    const rows: Row[] = [
      ['user', 'lw', USER.DATA + 8], ['user', 'sw', USER.DATA + 8], ['user', 'cas', USER.DATA + 8], ['user', 'lw', USER.RO + 8],
      ['user', 'lw', USER.UNMAPPED + 8, 'LOAD_PAGE_FAULT'], ['user', 'sw', USER.UNMAPPED, 'STORE_PAGE_FAULT'],
      ['user', 'jalr', USER.UNMAPPED + 12, 'FETCH_PAGE_FAULT'], ['user', 'cas', USER.UNMAPPED, 'STORE_PAGE_FAULT'],
      ['user', 'lw', USER.NO_ROOT, 'LOAD_PAGE_FAULT'], ['user', 'lw', USER.BAD_ROOT + 0x1000, 'LOAD_PAGE_FAULT'],
      ['user', 'sw', USER.RO + 4, 'STORE_PAGE_FAULT'], ['user', 'cas', USER.RO, 'STORE_PAGE_FAULT'],
      ['user', 'jalr', USER.DATA, 'FETCH_PAGE_FAULT'], ['user', 'lw', USER.NOU, 'LOAD_PAGE_FAULT'], ['user', 'jalr', USER.NOU, 'FETCH_PAGE_FAULT'],
      ['user', 'lw', DATA, 'LOAD_PAGE_FAULT'], ['user', 'sw', DATA, 'STORE_PAGE_FAULT'], ['user', 'jalr', KB, 'FETCH_PAGE_FAULT'],
      ['user', 'lw', 0, 'LOAD_PAGE_FAULT'], ['user', 'lw', USER.FAR + 4, 'BUS_ERROR'], ['user', 'sw', USER.FAR, 'BUS_ERROR'],
      ['kernel', 'lw', USER.DATA + 8], ['kernel', 'sw', USER.NOU], ['kernel', 'lw', USER.NOU + 4], ['kernel', 'lw', USER.RO],
      ['kernel', 'sw', USER.RO, 'STORE_PAGE_FAULT'], ['kernel', 'lw', USER.UNMAPPED, 'LOAD_PAGE_FAULT'],
      ['kernel', 'lw', KB + MEM_BYTES, 'BUS_ERROR'], ['kernel', 'sw', 0xffff_fffc, 'BUS_ERROR'], ['kernel', 'lw', USER.FAR, 'BUS_ERROR'],
      ['kernel', 'jalr', USER.NOU], ['kernel', 'jalr', USER.DATA, 'FETCH_PAGE_FAULT'],
    ];
    const access = (m: Row[1]) => (m === 'cas' ? ins('cas', 'a0', 'a1', 's0') : m === 'sw' ? ins('sw', 'a1', [0, 's0']) : ins(m, 'a0', [0, 's0']));

    it.each(rows)('%s %s %d: %s', (mode, m, va, cause) => {
      const cpu = userSpace(installHandler(machine([access(m), ins('hcall')], { s0: va, a1: 0x5a5a })));
      if (mode === 'user') enterUser(cpu, [access(m), ins('hcall')]);
      poke(cpu, USER_DATA_PA + 8, [0x1234]);
      poke(cpu, 0x6000, [ins('hcall'), 0x4321]);
      go(cpu);
      const pc = mode === 'user' ? USER.CODE : KB;
      if (cause) expect(trapSeen(cpu)).toMatchObject({ cause, epc: m === 'jalr' ? va : pc, badaddr: va });
      else expect(trapSeen(cpu)).toBeUndefined();
    });

    it('user loads and stores go through the page table', () => {
      const cpu = userSpace(machine([]));
      enterUser(cpu, [ins('lw', 'a0', [8, 's0']), ins('sw', 'a0', [12, 's0']), ins('sh', 'a0', [16, 's0']), ins('lbu', 'a2', [-0x1000 + 8, 's1']), ins('hcall')]);
      Object.assign(cpu.st, { [reg('s0')]: USER.DATA, [reg('s1')]: USER.RO + 0x1000 });
      poke(cpu, USER_DATA_PA + 8, [0xdead_beef]);
      poke(cpu, USER_RO_PA + 8, [0x99]);
      go(cpu);
      expect([peek(cpu, USER_DATA_PA + 12), peek(cpu, USER_DATA_PA + 16), cpu.reg(reg('a2'))]).toEqual([0xdead_beef, 0xbeef, 0x99]);
    });

    it('a PTBR beyond memory is a BUS_ERROR', () => {
      const cpu = installHandler(machine([ins('lw', 'a0', [0, 's0']), ins('hcall')], { s0: USER.DATA }));
      cpu.st[S.PTBR] = MEM_BYTES;
      expect(trapSeen(go(cpu))).toMatchObject({ cause: 'BUS_ERROR', badaddr: USER.DATA });
    });

    it('PTBR = 0 means no user mappings, even for the kernel', () => {
      const cpu = installHandler(machine([ins('lw', 'a0', [0, 's0']), ins('hcall')], { s0: USER.DATA }));
      expect(trapSeen(go(cpu))).toMatchObject({ cause: 'LOAD_PAGE_FAULT', badaddr: USER.DATA });
    });

    const OTHER_PA = 0x7000;
    // After the first hcall the PTE is remapped; a1 must still see the old page, a2 the new one.
    it.each([
      ['tlbflush of the page', [ins('tlbflush', 's1'), ins('lw', 'a2', [0, 's0']), ins('tlbflush', 's0')]],
      ['tlbflush zero', [ins('tlbflush', 's1'), ins('lw', 'a2', [0, 's0']), ins('tlbflush', 'zero')]],
      ['writing PTBR', [ins('tlbflush', 's1'), ins('lw', 'a2', [0, 's0']), ins('csrw', 'PTBR', 't0')]],
    ])('the TLB keeps a stale mapping until %s', (_, flush) => {
      const code = [ins('lw', 'a0', [0, 's0']), ins('hcall'), ins('lw', 'a1', [0, 's0']), ...flush, ins('lw', 'a3', [0, 's0']), ins('hcall')];
      const cpu = userSpace(machine(code, { s0: USER.DATA, s1: USER.RO, t0: ROOT_PA }));
      poke(cpu, USER_DATA_PA, [111]);
      poke(cpu, OTHER_PA, [222]);
      go(cpu);
      poke(cpu, leafPte(USER.DATA), [OTHER_PA | PTE.V | PTE.R | PTE.W | PTE.U]);
      go(cpu);
      expect(['a0', 'a1', 'a2', 'a3'].map((r) => cpu.reg(reg(r)))).toEqual([111, 111, 111, 222]);
    });

    it('a kernel tlbflush drops the user-mode entry too', () => {
      const cpu = userSpace(machine([ins('tlbflush', 's0'), ins('hcall')], { s0: USER.DATA }));
      enterUser(cpu, [ins('lw', 'a0', [0, 's0']), ins('hcall'), ins('lw', 'a1', [0, 's0']), ins('hcall')]);
      poke(cpu, USER_DATA_PA, [111]);
      poke(cpu, 0x7000, [222]);
      go(cpu);
      poke(cpu, leafPte(USER.DATA), [0x7000 | PTE.V | PTE.R | PTE.U]);
      Object.assign(cpu.st, { [S.STATUS]: KERNEL, [S.PC]: KB });
      go(cpu);
      Object.assign(cpu.st, { [S.STATUS]: 0, [S.PC]: USER.CODE + 8 });
      go(cpu);
      expect([cpu.reg(reg('a0')), cpu.reg(reg('a1'))]).toEqual([111, 222]);
    });
  });

  it('a VCPU remembers its id', () => {
    const cpu = new CpuState(new GuestMemory(MEM_BYTES), 3);
    poke(cpu, 0, [ins('csrr', 'a0', 'VCPUID'), ins('hcall')]);
    cpu.pc = KB;
    expect(go(cpu).reg(reg('a0'))).toBe(3);
  });
});
