/**
 * THE instruction table: one row per instruction. The encoder, decoder,
 * disassembler, assembler operand checks, the cycle costs of the interpreter
 * and docs/isa.md all derive from it; the interpreter's numeric `case` labels
 * are checked against it by test/isa/table.test.ts.
 *
 * cost: virtual cycles the instruction takes (see isa/clock.ts for the nominal
 * frequency). priv: traps with CAUSE_PRIVILEGED_INSTRUCTION in user mode.
 * Opcode 0x00 is deliberately unassigned so that zeroed memory traps.
 */
import { byName } from './table.ts';
import type { FormatName } from './formats.ts';

export type Group = 'alu' | 'alu-imm' | 'load' | 'store' | 'branch' | 'jump' | 'atomic' | 'counter' | 'trap' | 'privileged';

/** Each group's heading and the rules its rows share, in the order docs/isa.md lists them. */
export const GROUPS: Readonly<Record<Group, { readonly title: string; readonly note: string }>> = {
  alu: { title: 'Register-register ALU', note: 'Shift amounts use the low 5 bits of rs2.' },
  'alu-imm': { title: 'Register-immediate ALU', note: 'addi, slti and sltiu sign-extend the immediate; andi, ori and xori zero-extend it.' },
  load: { title: 'Loads', note: 'Address = rs1 + sext(imm). Words must be 4-aligned, halves 2-aligned.' },
  store: { title: 'Stores', note: 'Address = rs1 + sext(imm). Words must be 4-aligned, halves 2-aligned.' },
  branch: { title: 'Branches', note: 'target = address of the branch + 4 * sext(imm16).' },
  jump: { title: 'Jumps', note: '' },
  atomic: { title: 'Atomics', note: 'Word-sized, 4-aligned; each is indivisible with respect to every VCPU. The access is checked as a store (W permission, MISALIGNED_STORE).' },
  counter: { title: 'Counters', note: 'Readable from user mode.' },
  trap: { title: 'Transfers to the guest kernel or the hypervisor', note: '' },
  privileged: { title: 'Privileged', note: 'In user mode each traps with CAUSE_PRIVILEGED_INSTRUCTION.' },
};

export interface OpInfo {
  readonly mnemonic: string;
  readonly opcode: number;
  readonly format: FormatName;
  readonly cost: number;
  readonly priv: boolean;
  readonly group: Group;
  /** One-line meaning, written as it appears in docs/isa.md. */
  readonly summary: string;
  /** Bytes a load, store or atomic accesses (0 for other instructions). */
  readonly bytes: 0 | 1 | 2 | 4;
}

function op(mnemonic: string, opcode: number, format: FormatName, cost: number, group: Group, summary: string, priv = false): OpInfo {
  return { mnemonic, opcode, format, cost, priv, group, summary, bytes: 0 };
}

/** A memory instruction: also records how many bytes it accesses. */
function mem(bytes: 1 | 2 | 4, ...args: Parameters<typeof op>): OpInfo {
  return { ...op(...args), bytes };
}

export const OPCODES = [
  // alu
  op('add', 0x01, 'R', 1, 'alu', 'rd = rs1 + rs2 (wraps)'),
  op('sub', 0x02, 'R', 1, 'alu', 'rd = rs1 - rs2 (wraps)'),
  op('mul', 0x03, 'R', 3, 'alu', 'rd = low 32 bits of rs1 * rs2'),
  op('mulh', 0x04, 'R', 3, 'alu', 'rd = high 32 bits of signed rs1 * signed rs2'),
  op('mulhu', 0x05, 'R', 3, 'alu', 'rd = high 32 bits of unsigned rs1 * unsigned rs2'),
  op('div', 0x06, 'R', 20, 'alu', 'rd = rs1 / rs2 signed, toward zero; INT_MIN / -1 = INT_MIN; rs2 = 0 traps DIVIDE_BY_ZERO'),
  op('divu', 0x07, 'R', 20, 'alu', 'rd = rs1 / rs2 unsigned; rs2 = 0 traps DIVIDE_BY_ZERO'),
  op('rem', 0x08, 'R', 20, 'alu', 'rd = rs1 % rs2 signed (sign of rs1); INT_MIN % -1 = 0; rs2 = 0 traps DIVIDE_BY_ZERO'),
  op('remu', 0x09, 'R', 20, 'alu', 'rd = rs1 % rs2 unsigned; rs2 = 0 traps DIVIDE_BY_ZERO'),
  op('and', 0x0a, 'R', 1, 'alu', 'rd = rs1 & rs2'),
  op('or', 0x0b, 'R', 1, 'alu', 'rd = rs1 | rs2'),
  op('xor', 0x0c, 'R', 1, 'alu', 'rd = rs1 ^ rs2'),
  op('sll', 0x0d, 'R', 1, 'alu', 'rd = rs1 << (rs2 & 31)'),
  op('srl', 0x0e, 'R', 1, 'alu', 'rd = rs1 >>> (rs2 & 31) (logical)'),
  op('sra', 0x0f, 'R', 1, 'alu', 'rd = rs1 >> (rs2 & 31) (arithmetic)'),
  op('slt', 0x10, 'R', 1, 'alu', 'rd = (signed rs1 < signed rs2) ? 1 : 0'),
  op('sltu', 0x11, 'R', 1, 'alu', 'rd = (unsigned rs1 < unsigned rs2) ? 1 : 0'),

  // alu-imm
  op('addi', 0x20, 'I', 1, 'alu-imm', 'rd = rs1 + sext(imm)'),
  op('andi', 0x21, 'IU', 1, 'alu-imm', 'rd = rs1 & zext(imm)'),
  op('ori', 0x22, 'IU', 1, 'alu-imm', 'rd = rs1 | zext(imm)'),
  op('xori', 0x23, 'IU', 1, 'alu-imm', 'rd = rs1 ^ zext(imm)'),
  op('slli', 0x24, 'SH', 1, 'alu-imm', 'rd = rs1 << shamt'),
  op('srli', 0x25, 'SH', 1, 'alu-imm', 'rd = rs1 >>> shamt (logical)'),
  op('srai', 0x26, 'SH', 1, 'alu-imm', 'rd = rs1 >> shamt (arithmetic)'),
  op('slti', 0x27, 'I', 1, 'alu-imm', 'rd = (signed rs1 < sext(imm)) ? 1 : 0'),
  op('sltiu', 0x28, 'I', 1, 'alu-imm', 'rd = (unsigned rs1 < unsigned sext(imm)) ? 1 : 0'),
  op('lui', 0x29, 'U', 1, 'alu-imm', 'rd = imm << 16 (with ori: any 32-bit constant)'),

  // load, store
  mem(4, 'lw', 0x30, 'L', 2, 'load', 'rd = mem32[rs1 + imm]'),
  mem(2, 'lh', 0x31, 'L', 2, 'load', 'rd = sext(mem16[rs1 + imm])'),
  mem(2, 'lhu', 0x32, 'L', 2, 'load', 'rd = zext(mem16[rs1 + imm])'),
  mem(1, 'lb', 0x33, 'L', 2, 'load', 'rd = sext(mem8[rs1 + imm])'),
  mem(1, 'lbu', 0x34, 'L', 2, 'load', 'rd = zext(mem8[rs1 + imm])'),
  mem(4, 'sw', 0x38, 'S', 2, 'store', 'mem32[rs1 + imm] = rs2'),
  mem(2, 'sh', 0x39, 'S', 2, 'store', 'mem16[rs1 + imm] = low 16 bits of rs2'),
  mem(1, 'sb', 0x3a, 'S', 2, 'store', 'mem8[rs1 + imm] = low 8 bits of rs2'),

  // branch, jump
  op('beq', 0x40, 'B', 1, 'branch', 'if rs1 == rs2 goto target'),
  op('bne', 0x41, 'B', 1, 'branch', 'if rs1 != rs2 goto target'),
  op('blt', 0x42, 'B', 1, 'branch', 'if signed rs1 < signed rs2 goto target'),
  op('bge', 0x43, 'B', 1, 'branch', 'if signed rs1 >= signed rs2 goto target'),
  op('bltu', 0x44, 'B', 1, 'branch', 'if unsigned rs1 < unsigned rs2 goto target'),
  op('bgeu', 0x45, 'B', 1, 'branch', 'if unsigned rs1 >= unsigned rs2 goto target'),
  op('jal', 0x48, 'J', 2, 'jump', 'rd = pc + 4; pc = pc + 4 * sext(imm20)'),
  op('jalr', 0x49, 'L', 2, 'jump', 'rd = pc + 4; pc = rs1 + sext(imm) (target must be 4-aligned)'),

  // atomic
  mem(4, 'cas', 0x50, 'AT', 10, 'atomic', 'old = mem32[rs1]; if old == rd then mem32[rs1] = rs2; rd = old'),
  mem(4, 'xchg', 0x51, 'AT', 10, 'atomic', 'old = mem32[rs1]; mem32[rs1] = rs2; rd = old'),
  mem(4, 'xadd', 0x52, 'AT', 10, 'atomic', 'old = mem32[rs1]; mem32[rs1] = old + rs2; rd = old'),
  op('fence', 0x53, 'N', 4, 'atomic', 'orders memory accesses (execution is sequentially consistent; kept for portability and cost)'),
  op('pause', 0x54, 'N', 10, 'atomic', 'spin-loop hint; counted by the hypervisor for pause-loop detection'),

  // counter
  op('rdtime', 0x58, 'D', 1, 'counter', 'rd = low 32 bits of global virtual time (cycles)'),
  op('rdtimeh', 0x59, 'D', 1, 'counter', 'rd = high 32 bits of global virtual time'),
  op('rdcycle', 0x5a, 'D', 1, 'counter', "rd = low 32 bits of this VCPU's retired cycles"),
  op('rdcycleh', 0x5b, 'D', 1, 'counter', "rd = high 32 bits of this VCPU's retired cycles"),

  // trap
  op('syscall', 0x60, 'N', 5, 'trap', 'trap to the guest kernel with CAUSE_SYSCALL (EPC = this instruction)'),
  op('hcall', 0x61, 'N', 5, 'trap', 'call the hypervisor: number in a0, arguments in a1..a5, result in a0'),
  op('break', 0x62, 'N', 5, 'trap', 'trap with CAUSE_BREAKPOINT (EPC = this instruction)'),

  // privileged
  op('eret', 0x70, 'N', 5, 'privileged', 'return from trap: pc = EPC, mode = STATUS.PKERNEL, IE = STATUS.PIE', true),
  op('csrr', 0x71, 'CR', 2, 'privileged', 'rd = csr', true),
  op('csrw', 0x72, 'CW', 2, 'privileged', 'csr = rs1', true),
  op('csrrw', 0x73, 'CRW', 2, 'privileged', 'tmp = csr; csr = rs1; rd = tmp', true),
  op('ei', 0x74, 'N', 1, 'privileged', 'enable interrupts (STATUS.IE = 1)', true),
  op('di', 0x75, 'N', 1, 'privileged', 'disable interrupts (STATUS.IE = 0)', true),
  op('tlbflush', 0x76, 'F', 20, 'privileged', 'drop the TLB entry of the page holding rs1; `tlbflush zero` drops all', true),
  op('wfi', 0x77, 'N', 1, 'privileged', 'wait for an interrupt: the VCPU blocks until a line enabled in IMASK is pending', true),
] as const satisfies readonly OpInfo[];

export const OPCODE_BY_MNEMONIC: ReadonlyMap<string, OpInfo> = new Map(OPCODES.map((o) => [o.mnemonic, o]));

/** Indexed by opcode byte; undefined for unassigned opcodes (they trap as illegal). */
export const OPCODE_BY_NUMBER: readonly (OpInfo | undefined)[] = (() => {
  const t: (OpInfo | undefined)[] = new Array(256).fill(undefined);
  for (const o of OPCODES) t[o.opcode] = o;
  return t;
})();

/** Cycle cost per opcode byte, for the interpreter; unassigned opcodes cost 1. */
export const COST_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(256).fill(1);
  for (const o of OPCODES) t[o.opcode] = o.cost;
  return t;
})();

/** Opcode numbers by mnemonic, for tests and tools (never for guest code: it uses mnemonics). */
export const OP = byName(OPCODES, 'mnemonic', 'opcode');
