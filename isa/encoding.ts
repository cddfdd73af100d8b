/**
 * Encoder and decoder, both derived from isa/formats.ts and isa/opcodes.ts.
 * An operand value is { reg } for registers, { imm } for immediates and
 * branch offsets (in words), and { reg, imm } for `imm(reg)` memory operands.
 */
import { FIELDS, FORMATS, immRange, type FieldName, type OperandKind } from './formats.ts';
import { OPCODE_BY_NUMBER, type OpInfo } from './opcodes.ts';

export interface OperandValue {
  readonly reg?: number;
  readonly imm?: number;
}

export interface Decoded {
  readonly info: OpInfo;
  readonly operands: readonly OperandValue[];
  /** False when reserved bits or fields the format does not use are nonzero. */
  readonly canonical: boolean;
}

function fieldMask(f: FieldName): number {
  const { shift, bits } = FIELDS[f];
  return (((1 << bits) - 1) << shift) >>> 0;
}

function getField(word: number, f: FieldName): number {
  const { shift, bits } = FIELDS[f];
  return (word >>> shift) & ((1 << bits) - 1);
}

function putField(f: FieldName, value: number): number {
  const { shift, bits } = FIELDS[f];
  return ((value & ((1 << bits) - 1)) << shift) >>> 0;
}

function signExtend(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

function isSigned(kind: OperandKind): boolean {
  return kind === 'simm16' || kind === 'mem' || kind === 'br16' || kind === 'br20';
}

/** Encode one instruction. Values are assumed range-checked by the caller. */
export function encode(info: OpInfo, operands: readonly OperandValue[]): number {
  const fmt = FORMATS[info.format];
  let word = info.opcode;
  fmt.operands.forEach((spec, i) => {
    const v = operands[i] ?? {};
    if (spec.kind === 'reg' || spec.kind === 'amem' || spec.kind === 'mem') word |= putField(spec.field, v.reg ?? 0);
    if (spec.kind === 'mem') word |= putField(spec.immField!, v.imm ?? 0);
    else if (spec.kind !== 'reg' && spec.kind !== 'amem') word |= putField(spec.field, v.imm ?? 0);
  });
  return word >>> 0;
}

/** Decode a word; undefined for an unassigned opcode. */
export function decode(word: number): Decoded | undefined {
  const info = OPCODE_BY_NUMBER[word & 0xff];
  if (!info) return undefined;
  const fmt = FORMATS[info.format];
  let used = 0xff;
  for (const f of fmt.fields) used |= fieldMask(f);
  const operands = fmt.operands.map((spec): OperandValue => {
    if (spec.kind === 'reg' || spec.kind === 'amem') return { reg: getField(word, spec.field) };
    if (spec.kind === 'mem') return { reg: getField(word, spec.field), imm: signExtend(getField(word, spec.immField!), 16) };
    const raw = getField(word, spec.field);
    return { imm: isSigned(spec.kind) ? signExtend(raw, FIELDS[spec.field].bits) : raw };
  });
  // Values the assembler would refuse (a shift amount over 31) are not canonical either.
  const inRange = fmt.operands.every((spec, i) => spec.kind !== 'shamt' || operands[i]!.imm! <= immRange('shamt')[1]);
  return { info, operands, canonical: ((word >>> 0) & ~used) === 0 && inRange };
}
