/**
 * Instructions, table-driven from isa/opcodes.ts and isa/formats.ts: every
 * mnemonic assembles with valid operands to the word encode() gives, and
 * every pseudo-instruction to its documented expansion and size.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../assembler/index.ts';
import { assembleSource } from '../../guest-kernel/loader/index.ts';
import { PSEUDOS } from '../../assembler/pseudo.ts';
import { CSR } from '../../isa/csrs.ts';
import { encode, type OperandValue } from '../../isa/encoding.ts';
import { FORMATS, type OperandSpec } from '../../isa/formats.ts';
import { OPCODES, OPCODE_BY_MNEMONIC } from '../../isa/opcodes.ts';
import { REGISTER_BY_NAME } from '../../isa/registers.ts';

const BASE = 0x1000;

/** The words of `.org BASE` + source, failing with the diagnostics if it does not assemble. */
function words(source: string): number[] {
  const res = assembleSource(`.org ${BASE}\n${source}\n`, 'enc.s');
  if (!res.ok) throw new Error(formatDiagnostics(res.diagnostics));
  const seg = res.image!.segments[0]!;
  const view = new DataView(seg.data.buffer, seg.data.byteOffset, seg.data.byteLength);
  return Array.from({ length: seg.data.length / 4 }, (_, i) => view.getUint32(4 * i, true));
}

const REG_CYCLE = ['a1', 't2', 's3', 'sp'];

/** A valid written operand for a spec and the value encode() takes for it. */
function sample(spec: OperandSpec, i: number): { text: string; value: OperandValue } {
  const reg = REG_CYCLE[i % REG_CYCLE.length]!;
  switch (spec.kind) {
    case 'reg': return { text: reg, value: { reg: REGISTER_BY_NAME.get(reg)! } };
    case 'simm16': return { text: '-1234', value: { imm: -1234 } };
    case 'uimm16': return { text: '0xbeef', value: { imm: 0xbeef } };
    case 'shamt': return { text: '17', value: { imm: 17 } };
    case 'csr': return { text: 'CSR_EPC', value: { imm: CSR.EPC } };
    case 'mem': return { text: `-8(${reg})`, value: { reg: REGISTER_BY_NAME.get(reg)!, imm: -8 } };
    case 'amem': return { text: `(${reg})`, value: { reg: REGISTER_BY_NAME.get(reg)! } };
    case 'br16': case 'br20': return { text: '. + 12', value: { imm: 3 } };
  }
}

describe('every mnemonic of OPCODES', () => {
  it.each(OPCODES.map((o) => [o.mnemonic, o] as const))('%s assembles to encode()', (_name, info) => {
    const samples = FORMATS[info.format].operands.map(sample);
    const line = `${info.mnemonic} ${samples.map((s) => s.text).join(', ')}`;
    expect(words(line)).toEqual([encode(info, samples.map((s) => s.value))]);
  });

  it('mnemonics and registers are case-insensitive', () => {
    expect(words('ADD A0, Sp, R15')).toEqual(words('add a0, sp, s3'));
    expect(words('Lw FP, 4(SP)')).toEqual(words('lw s0, 4(sp)'));
  });

  it('mem operands: (reg) is 0(reg), a bare immediate is imm(zero)', () => {
    expect(words('lw a0, (t0)')).toEqual(words('lw a0, 0(t0)'));
    expect(words('lw a0, 0x40')).toEqual(words('lw a0, 0x40(zero)'));
    expect(words('sw a0, (2 + 2) * 4(t0)')).toEqual(words('sw a0, 16(t0)'));
  });

  it('branches encode (target - pc) / 4, backward and forward', () => {
    const [b, j] = words('back: beq a0, a1, back + 8\nj back');
    expect(b).toBe(encode(OPCODE_BY_MNEMONIC.get('beq')!, [{ reg: 3 }, { reg: 4 }, { imm: 2 }]));
    expect(j).toBe(encode(OPCODE_BY_MNEMONIC.get('jal')!, [{ reg: 0 }, { imm: -1 }]));
  });
});

/** Assembles `pseudo` and `expansion` (real instructions) and compares their words. */
function sameAs(pseudo: string, expansion: string): void {
  expect(words(pseudo), pseudo).toEqual(words(expansion));
}

describe('pseudo-instructions', () => {
  it('every pseudo form in the table assembles (its expansion uses real mnemonics)', () => {
    for (const p of PSEUDOS) {
      const ops = p.operands.map((o, i) => (o.shape === 'reg' ? REG_CYCLE[i]! : i === 0 ? `${BASE}` : '8'));
      expect(() => words(`${p.name} ${ops.join(', ')}`), p.name).not.toThrow();
    }
  });

  it.each([
    ['mv a0, a1', 'addi a0, a1, 0'],
    ['not a0, a1', 'sub a0, zero, a1\naddi a0, a0, -1'],
    ['neg a0, a1', 'sub a0, zero, a1'],
    ['subi a0, a1, 5', 'addi a0, a1, -5'],
    ['nop', 'addi zero, zero, 0'],
    ['j . + 8', 'jal zero, . + 8'],
    ['jal . + 8', 'jal ra, . + 8'],
    ['call . + 8', 'jal ra, . + 8'],
    ['jr t0', 'jalr zero, 0(t0)'],
    ['ret', 'jalr zero, 0(ra)'],
    ['beqz a0, . + 8', 'beq a0, zero, . + 8'],
    ['bnez a0, . + 8', 'bne a0, zero, . + 8'],
    ['bltz a0, . + 8', 'blt a0, zero, . + 8'],
    ['bgez a0, . + 8', 'bge a0, zero, . + 8'],
    ['blez a0, . + 8', 'bge zero, a0, . + 8'],
    ['bgtz a0, . + 8', 'blt zero, a0, . + 8'],
    ['bgt a0, a1, . + 8', 'blt a1, a0, . + 8'],
    ['ble a0, a1, . + 8', 'bge a1, a0, . + 8'],
    ['bgtu a0, a1, . + 8', 'bltu a1, a0, . + 8'],
    ['bleu a0, a1, . + 8', 'bgeu a1, a0, . + 8'],
    ['seqz a0, a1', 'sltiu a0, a1, 1'],
    ['snez a0, a1', 'sltu a0, zero, a1'],
    ['push s0', 'addi sp, sp, -4\nsw s0, 0(sp)'],
    ['pop s0', 'lw s0, 0(sp)\naddi sp, sp, 4'],
    ['la a0, 0x12345678', 'lui a0, 0x1234\nori a0, a0, 0x5678'],
  ])('%s', (pseudo, expansion) => sameAs(pseudo, expansion));

  it('li picks one word when pass 1 knows a value that fits, two otherwise', () => {
    sameAs('li a0, 5', 'addi a0, zero, 5');
    sameAs('li a0, -32768', 'addi a0, zero, -32768');
    sameAs('li a0, 0xffff', 'ori a0, zero, 0xffff');
    sameAs('li a0, 0x80000000', 'lui a0, 0x8000');
    sameAs('li a0, 0x12345678', 'lui a0, 0x1234\nori a0, a0, 0x5678');
    sameAs('li a0, -70000', 'lui a0, 0xfffe\nori a0, a0, 0xee90');
    sameAs('.equ K, 7\nli a0, K', '.equ K, 7\naddi a0, zero, 7');
    // A forward reference is not known in pass 1, so li takes two words even for a small value.
    sameAs('li a0, LATER\n.equ LATER, 7', 'lui a0, 0\nori a0, a0, 7');
    // A label is an address whose section base pass 1 does not know: always two words.
    expect(words('here: li a0, here')).toHaveLength(2);
  });

  it('the same name with a different operand count picks the real or the pseudo form', () => {
    sameAs('jal t0, . + 8', 'jal t0, . + 8');
    sameAs('jal . + 8', 'jal ra, . + 8');
  });
});
