/**
 * Disassembler <-> assembler round trip: for every canonical encoding w of
 * every opcode at any 4-aligned address A, assembling `.org A` followed by
 * disassembleWord(w, A) gives back w. Any other 32-bit word prints as a
 * `.word` that assembles back to itself too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { disassembleImage, disassembleWord } from '../../isa/disasm.ts';
import { formatDiagnostics } from '../../assembler/index.ts';
import { assembleSource } from '../../guest-kernel/loader/index.ts';
import { encode, type OperandValue } from '../../isa/encoding.ts';
import { FORMATS, immRange, type OperandSpec } from '../../isa/formats.ts';
import { OPCODES, OPCODE_BY_MNEMONIC, type OpInfo } from '../../isa/opcodes.ts';

function assembleAt(addr: number, line: string): number {
  const res = assembleSource(`.org 0x${addr.toString(16)}\n${line}\n`, 'rt.s');
  if (!res.ok) throw new Error(`${line}\n${formatDiagnostics(res.diagnostics)}`);
  const d = res.image!.segments[0]!.data;
  return new DataView(d.buffer, d.byteOffset, 4).getUint32(0, true);
}

const reg = fc.integer({ min: 0, max: 15 });
const inRange = (spec: OperandSpec) => {
  const [lo, hi] = immRange(spec.kind);
  return fc.integer({ min: lo, max: hi });
};

/** A random valid operand value for a spec: any register, any immediate in its range. */
function operandArb(spec: OperandSpec): fc.Arbitrary<OperandValue> {
  switch (spec.kind) {
    case 'reg': case 'amem': return reg.map((r) => ({ reg: r }));
    case 'mem': return fc.tuple(reg, inRange(spec)).map(([r, imm]) => ({ reg: r, imm }));
    default: return inRange(spec).map((imm) => ({ imm }));
  }
}

const canonical: fc.Arbitrary<{ info: OpInfo; word: number }> = fc.constantFrom(...OPCODES).chain((info) =>
  fc.tuple(...FORMATS[info.format].operands.map(operandArb)).map((values) => ({ info, word: encode(info, values) })));

const address = fc.integer({ min: 0, max: 0x3fffffff }).map((w) => w * 4);

describe('disassemble then assemble', () => {
  it('gives back every canonical encoding of every opcode', () => {
    fc.assert(fc.property(canonical, address, ({ word }, addr) => {
      const text = disassembleWord(word, addr);
      expect(text.startsWith('.word'), text).toBe(false);
      expect(assembleAt(addr, text)).toBe(word);
    }), { numRuns: 3000 });
  });

  it('gives back any 32-bit word (non-canonical ones as .word)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), address, (word, addr) => {
      expect(assembleAt(addr, disassembleWord(word, addr))).toBe(word);
    }), { numRuns: 500 });
  });

  it('covers the edges: extreme offsets, wrap-around targets, every opcode at its field limits', () => {
    for (const info of OPCODES) {
      for (const pick of [0, 1] as const) {
        const values = FORMATS[info.format].operands.map((spec): OperandValue => {
          if (spec.kind === 'reg' || spec.kind === 'amem') return { reg: pick ? 15 : 0 };
          const [lo, hi] = immRange(spec.kind);
          return spec.kind === 'mem' ? { reg: pick ? 15 : 0, imm: pick ? hi : lo } : { imm: pick ? hi : lo };
        });
        const word = encode(info, values);
        for (const addr of [0, 0x80000000, 0xfffffffc]) expect(assembleAt(addr, disassembleWord(word, addr))).toBe(word);
      }
    }
  });
});

describe('disassembler text', () => {
  const at = 0x80000000;
  const line = (src: string) => disassembleWord(assembleAt(at, src), at);

  it('prints ABI register names, signed and hex immediates, CSR names, absolute targets', () => {
    expect(line('add r3, r4, r15')).toBe('add a0, a1, s3');
    expect(line('addi a0, a0, -5')).toBe('addi a0, a0, -5');
    expect(line('ori a0, a0, 0xff')).toBe('ori a0, a0, 0xff');
    expect(line('ori a0, a0, 7')).toBe('ori a0, a0, 7');
    expect(line('lw a0, -4(sp)')).toBe('lw a0, -4(sp)');
    expect(line('cas a0, a1, (a2)')).toBe('cas a0, a1, (a2)');
    expect(line('csrr t0, 1')).toBe('csrr t0, CSR_EPC');
    expect(line('csrw 0x999, t0')).toBe('csrw 0x999, t0');
    expect(line('beq a0, zero, . + 16')).toBe('beq a0, zero, 0x80000010');
    expect(line('jal ra, . - 4')).toBe('jal ra, 0x7ffffffc');
    expect(line('fence')).toBe('fence');
  });

  it('names a branch target through symbolAt, as a comment the assembler accepts', () => {
    const word = assembleAt(at, 'j . + 8');
    const text = disassembleWord(word, at, (a) => (a === at + 8 ? 'loop' : undefined));
    expect(text).toBe('jal zero, 0x80000008  # <loop>');
    expect(assembleAt(at, text)).toBe(word);
  });

  it('unassigned opcodes, reserved bits and shift amounts over 31 print as .word', () => {
    const add = OPCODE_BY_MNEMONIC.get('add')!;
    const slli = OPCODE_BY_MNEMONIC.get('slli')!;
    expect(disassembleWord(0, at)).toBe('.word 0x00000000');
    const reserved = (encode(add, [{ reg: 1 }, { reg: 2 }, { reg: 3 }]) | 0x1000000) >>> 0;
    expect(disassembleWord(reserved, at)).toBe(`.word 0x${reserved.toString(16).padStart(8, '0')}`);
    expect(disassembleWord(encode(slli, [{ reg: 1 }, { reg: 1 }, { imm: 40 }]), at)).toMatch(/^\.word /);
  });

  it('disassembleImage: address, word, instruction, and label lines', () => {
    const res = assembleSource('.global _start\n_start: li a0, 1\nloop: j loop\n.data\nmsg: .byte 1, 2, 3, 4, 5', 'img.s');
    expect(disassembleImage(res.image!)).toBe([
      '# .text  0x80000000  8 bytes  r-x',
      '_start:',
      '80000000: 00010320  addi a0, zero, 1',
      'loop:',
      '80000004: 00000048  jal zero, 0x80000004  # <loop>',
      '# .data  0x80001000  5 bytes  rw-',
      'msg:',
      '80001000: 04030201  .word 0x04030201',
      '80001004:           .byte 0x05',
      '',
    ].join('\n'));
  });
});
