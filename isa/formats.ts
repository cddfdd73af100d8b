/**
 * Instruction formats: where each field sits in the 32-bit word and how the
 * operands are written. The bit diagram is ENCODING_DIAGRAM below.
 */

/** Every instruction is one little-endian 32-bit word laid out like this (docs/isa.md shows it verbatim). */
export const ENCODING_DIAGRAM = `
  31                16 15   12 11    8 7        0
 +--------------------+-------+-------+----------+
 |       imm16        |   B   |   A   |  opcode  |   formats using imm16
 +----------+---------+-------+-------+----------+
 | reserved |    C    |   B   |   A   |  opcode  |   formats using C
 +----------+---------+-------+-------+----------+
 |            imm20           |   A   |  opcode  |   formats using imm20
 +----------------------------+-------+----------+
`.slice(1);

export const ENCODING_NOTES = 'A, B, C are 4-bit register numbers. Reserved bits and fields a format does not use must be zero '
  + '(the assembler writes zero; the hardware ignores them; the disassembler prints a non-canonical word as `.word`).';

export type FieldName = 'A' | 'B' | 'C' | 'imm16' | 'imm20';

export interface Field {
  readonly shift: number;
  readonly bits: number;
}

export const FIELDS: Readonly<Record<FieldName, Field>> = {
  A: { shift: 8, bits: 4 },
  B: { shift: 12, bits: 4 },
  C: { shift: 16, bits: 4 },
  imm16: { shift: 16, bits: 16 },
  imm20: { shift: 12, bits: 20 },
};

/** Operand kinds; OPERAND_KINDS says what each means. */
export type OperandKind = 'reg' | 'simm16' | 'uimm16' | 'shamt' | 'csr' | 'mem' | 'amem' | 'br16' | 'br20';

export const OPERAND_KINDS: Readonly<Record<OperandKind, string>> = {
  reg: 'a register',
  simm16: 'a 16-bit immediate, sign-extended',
  uimm16: 'a 16-bit immediate, zero-extended',
  shamt: 'a shift amount 0..31 (the hardware uses the low 5 bits of the field)',
  csr: 'a control-register number (the assembler predefines CSR_* names)',
  mem: '`imm(reg)`: a signed 16-bit displacement from a register; `(reg)` means displacement 0',
  amem: '`(reg)` only, for atomics (no displacement)',
  br16: 'a code address, encoded as a signed 16-bit word offset from the instruction\'s own address',
  br20: 'a code address, encoded as a signed 20-bit word offset from the instruction\'s own address',
};

export interface OperandSpec {
  readonly kind: OperandKind;
  /** Role name used in docs: rd, rs1, rs2, imm, target, csr. */
  readonly role: string;
  /** Register field for reg/mem/amem operands; the immediate field for the others. */
  readonly field: FieldName;
  /** For mem: the immediate field carrying the displacement. */
  readonly immField?: FieldName;
}

export type FormatName = 'R' | 'I' | 'IU' | 'SH' | 'U' | 'L' | 'S' | 'B' | 'J' | 'AT' | 'N' | 'D' | 'CR' | 'CW' | 'CRW' | 'F';

export interface Format {
  readonly name: FormatName;
  readonly operands: readonly OperandSpec[];
  /** Fields this format uses; every other bit must be zero in a canonical word. */
  readonly fields: readonly FieldName[];
}

const rd: OperandSpec = { kind: 'reg', role: 'rd', field: 'A' };
const rs1: OperandSpec = { kind: 'reg', role: 'rs1', field: 'B' };
const rs2C: OperandSpec = { kind: 'reg', role: 'rs2', field: 'C' };

function fmt(name: FormatName, operands: OperandSpec[], fields: FieldName[]): Format {
  return { name, operands, fields };
}

export const FORMATS: Readonly<Record<FormatName, Format>> = {
  R: fmt('R', [rd, rs1, rs2C], ['A', 'B', 'C']),
  I: fmt('I', [rd, rs1, { kind: 'simm16', role: 'imm', field: 'imm16' }], ['A', 'B', 'imm16']),
  IU: fmt('IU', [rd, rs1, { kind: 'uimm16', role: 'imm', field: 'imm16' }], ['A', 'B', 'imm16']),
  SH: fmt('SH', [rd, rs1, { kind: 'shamt', role: 'shamt', field: 'imm16' }], ['A', 'B', 'imm16']),
  U: fmt('U', [rd, { kind: 'uimm16', role: 'imm', field: 'imm16' }], ['A', 'imm16']),
  L: fmt('L', [rd, { kind: 'mem', role: 'imm(rs1)', field: 'B', immField: 'imm16' }], ['A', 'B', 'imm16']),
  S: fmt('S', [{ kind: 'reg', role: 'rs2', field: 'A' }, { kind: 'mem', role: 'imm(rs1)', field: 'B', immField: 'imm16' }], ['A', 'B', 'imm16']),
  B: fmt('B', [{ kind: 'reg', role: 'rs1', field: 'A' }, { kind: 'reg', role: 'rs2', field: 'B' }, { kind: 'br16', role: 'target', field: 'imm16' }], ['A', 'B', 'imm16']),
  J: fmt('J', [rd, { kind: 'br20', role: 'target', field: 'imm20' }], ['A', 'imm20']),
  AT: fmt('AT', [rd, rs2C, { kind: 'amem', role: '(rs1)', field: 'B' }], ['A', 'B', 'C']),
  N: fmt('N', [], []),
  D: fmt('D', [rd], ['A']),
  CR: fmt('CR', [rd, { kind: 'csr', role: 'csr', field: 'imm16' }], ['A', 'imm16']),
  CW: fmt('CW', [{ kind: 'csr', role: 'csr', field: 'imm16' }, rs1], ['B', 'imm16']),
  CRW: fmt('CRW', [rd, { kind: 'csr', role: 'csr', field: 'imm16' }, rs1], ['A', 'B', 'imm16']),
  F: fmt('F', [rs1], ['B']),
};

/** Allowed value range of an immediate operand kind (inclusive), as written in source. */
export function immRange(kind: OperandKind): [number, number] {
  switch (kind) {
    case 'simm16': case 'mem': return [-32768, 32767];
    case 'uimm16': case 'csr': return [0, 65535];
    case 'shamt': return [0, 31];
    case 'br16': return [-32768, 32767];
    case 'br20': return [-524288, 524287];
    default: return [0, 0];
  }
}

/** Written syntax of a format's operands, e.g. "rd, imm(rs1)". */
export function operandSyntax(f: Format): string {
  return f.operands.map((o) => o.role).join(', ');
}
