/**
 * JavaScript snippets for one guest instruction inside a compiled region
 * (compile.ts calls insnCode). Registers are the locals x1..x15 (r0 reads as
 * 0, writes to it are dropped); `cyc` is the cycle count at the start of the
 * current block, so an instruction `pre` cycles into its block sees
 * cyc + pre. Anything the interpreter must do (a TLB miss, a trap, a store
 * to a page with compiled code, which the TLB marks) is a side exit taken
 * before the instruction has any effect: exitAt hands its pc and exact
 * counts to the interpreter.
 *
 * The semantics mirror interp.ts case by case; the differential test holds
 * both to the reference interpreter.
 */
import { OPCODE_BY_NUMBER } from '../../isa/opcodes.ts';
import { F, S } from './state.ts';
import { ACCESS_READ, ACCESS_WRITE, tlbTable } from './tlb.ts';
import { CSR_WRITE_MASK } from '../../isa/csrs.ts';
import { inlineCsr } from './region.ts';

/**
 * The ways out of a region: exit k leaves at instruction index pcs[k] after
 * adding cycles[k] and counts[k]. Exits are table-driven so that a side exit
 * never taken before V8 optimized the function holds no arithmetic of its
 * own (arithmetic without type feedback deoptimizes when first reached).
 */
export class Exits {
  readonly pcs: number[] = [];
  readonly cycles: number[] = [];
  readonly counts: number[] = [];
  private readonly index = new Map<string, number>();

  add(j: number, cyc: number, n: number): number {
    const key = `${j},${cyc},${n}`;
    let k = this.index.get(key);
    if (k === undefined) {
      k = this.pcs.length;
      this.index.set(key, k);
      this.pcs.push(j);
      this.cycles.push(cyc);
      this.counts.push(n);
    }
    return k;
  }
}

/** What an instruction's snippet needs to know about where it sits. */
export interface Site {
  exits: Exits;
  /** Instruction index in the page. */
  i: number;
  /** Cycles and instructions of its block before it. */
  preCyc: number;
  preN: number;
  /** Mode of the code: selects the TLB tables. */
  kernel: boolean;
  /** Code every exit from here runs first (a self-loop's instruction count). */
  fix?: string;
}

const A = (w: number): number => (w >>> 8) & 15;
const B = (w: number): number => (w >>> 12) & 15;
const C = (w: number): number => (w >>> 16) & 15;
const reg = (k: number): string => (k === 0 ? '0' : `x${k}`);
/** An assignment to register k, or an expression statement evaluated for nothing. */
const set = (k: number, v: string): string => (k === 0 ? '' : `x${k} = ${v};`);

/** Leave for the interpreter at instruction index j, with its block's first instructions counted. */
export function exitAt(s: Site, j = s.i): string {
  const out = leave(s.exits, j, s.preCyc, s.preN);
  return s.fix === undefined ? out : `{ ${s.fix} ${out} }`;
}

/** Leave at instruction index j (any, even outside the page) after adding cyc and n. */
export function leave(exits: Exits, j: number, cyc = 0, n = 0): string {
  return `{ xe = ${exits.add(j, cyc, n)}; break loop; }`;
}

/** Leave at instruction index j because its block does not fit the budget (the function returns ~cyc). */
export function stop(exits: Exits, j: number): string {
  return `{ xe = ${exits.add(j, 0, 0)}; over = 1; break loop; }`;
}

const ALU: Readonly<Record<string, (a: string, b: string) => string>> = {
  add: (a, b) => `(${a} + ${b}) | 0`,
  sub: (a, b) => `(${a} - ${b}) | 0`,
  mul: (a, b) => `Math.imul(${a}, ${b})`,
  mulh: (a, b) => `mulh(${a}, ${b})`,
  mulhu: (a, b) => `mulhu(${a}, ${b})`,
  and: (a, b) => `${a} & ${b}`,
  or: (a, b) => `${a} | ${b}`,
  xor: (a, b) => `${a} ^ ${b}`,
  sll: (a, b) => `${a} << ${b}`,
  srl: (a, b) => `(${a} >>> ${b}) | 0`,
  sra: (a, b) => `${a} >> ${b}`,
  slt: (a, b) => `${a} < ${b} ? 1 : 0`,
  sltu: (a, b) => `${a} >>> 0 < ${b} >>> 0 ? 1 : 0`,
};

const DIV: Readonly<Record<string, (a: string, b: string) => string>> = {
  div: (a, b) => `(${a} / ${b}) | 0`,
  divu: (a, b) => `((${a} >>> 0) / (${b} >>> 0)) | 0`,
  rem: (a, b) => `(${a} % ${b}) | 0`,
  remu: (a, b) => `((${a} >>> 0) % (${b} >>> 0)) | 0`,
};

function aluImm(m: string, w: number): string | undefined {
  const a = reg(B(w));
  const s16 = w >> 16;
  const u16 = w >>> 16;
  switch (m) {
    case 'addi': return `(${a} + ${s16}) | 0`;
    case 'andi': return `${a} & ${u16}`;
    case 'ori': return `${a} | ${u16}`;
    case 'xori': return `${a} ^ ${u16}`;
    case 'slli': return `${a} << ${u16 & 31}`;
    case 'srli': return `(${a} >>> ${u16 & 31}) | 0`;
    case 'srai': return `${a} >> ${u16 & 31}`;
    case 'slti': return `${a} < ${s16} ? 1 : 0`;
    case 'sltiu': return `${a} >>> 0 < ${s16 >>> 0} ? 1 : 0`;
    case 'lui': return `${w & -65536}`;
  }
  return undefined;
}

// Tags are page addresses: one mask extracts the page and keeps the low bits
// an aligned access must have clear (see interp.ts).
const ALIGN: Readonly<Record<number, number>> = { 4: -4096 | 3, 2: -4096 | 1, 1: -4096 };

/** The inline TLB lookup: leaves pa = physical address in `pa`, or exits. */
function translate(s: Site, addr: string, bytes: number, write: boolean): string {
  const table = tlbTable(s.kernel, write ? ACCESS_WRITE : ACCESS_READ);
  return `a = ${addr}; t = ${table} + ((a >>> 11) & 510); if (tlb[t] !== (a & ${ALIGN[bytes]})) ${exitAt(s)} pa = tlb[t + 1] | (a & 4095);`;
}

const LOAD: Readonly<Record<string, string>> = {
  lw: 'm32[pa >> 2]', lh: 'i16[pa >> 1]', lhu: 'u16[pa >> 1]', lb: '(u8[pa] << 24) >> 24', lbu: 'u8[pa]',
};
const STORE: Readonly<Record<string, (v: string) => string>> = {
  sw: (v) => `m32[pa >> 2] = ${v};`, sh: (v) => `i16[pa >> 1] = ${v};`, sb: (v) => `u8[pa] = ${v};`,
};

function memory(s: Site, m: string, w: number, bytes: number): string {
  const addr = `(${reg(B(w))} + ${w >> 16}) | 0`;
  if (m in LOAD) return translate(s, addr, bytes, false) + set(A(w), LOAD[m]);
  return translate(s, addr, bytes, true) + STORE[m](reg(A(w)));
}

function atomic(s: Site, m: string, w: number): string {
  const src = reg(C(w));
  const write = m === 'xchg' ? `m32[pa >> 2] = ${src};`
    : m === 'xadd' ? `m32[pa >> 2] = (old + ${src}) | 0;`
      : `if (old === ${reg(A(w))}) m32[pa >> 2] = ${src};`;
  return `${translate(s, reg(B(w)), 4, true)} old = m32[pa >> 2]; ${write} ${set(A(w), 'old')}`;
}

/** rdtime and friends see the cycles up to and including themselves, as in interp.ts. */
function counter(s: Site, m: string, w: number): string {
  const now = `cyc + ${s.preCyc + 1}`;
  const v = m === 'rdtime' ? `(f64[${F.TIME}] + ${now}) | 0`
    : m === 'rdtimeh' ? `((f64[${F.TIME}] + ${now}) / 4294967296) | 0`
      : m === 'rdcycle' ? `(f64[${F.CYCLES}] + ${now}) | 0`
        : `((f64[${F.CYCLES}] + ${now}) / 4294967296) | 0`;
  return set(A(w), v);
}

/** csrr, csrw, csrrw of a CSR region.ts lets compiled code access (as csrInstruction in trap.ts). */
function csr(m: string, w: number): string {
  const n = w >>> 16;
  const slot = `st[${S.CSR_BASE + n}]`;
  const keep = CSR_WRITE_MASK[n]!;
  const v = keep === -1 ? reg(B(w)) : `${reg(B(w))} & ${keep}`;
  if (m === 'csrr') return set(A(w), slot);
  if (m === 'csrw') return `${slot} = ${v};`;
  return `t = ${slot}; ${slot} = ${v}; ${set(A(w), 't')}`;
}

/** The code of a straight-line instruction (everything but branches, jumps and exits). */
export function insnCode(s: Site, w: number): string {
  const info = OPCODE_BY_NUMBER[w & 0xff]!;
  const m = info.mnemonic;
  if (m in ALU) return set(A(w), ALU[m](reg(B(w)), reg(C(w))));
  if (m in DIV) return `if (${reg(C(w))} === 0) ${exitAt(s)} ${set(A(w), DIV[m](reg(B(w)), reg(C(w))))}`;
  const imm = aluImm(m, w);
  if (imm !== undefined) return set(A(w), imm);
  if (info.group === 'load' || info.group === 'store') return memory(s, m, w, info.bytes);
  if (m === 'cas' || m === 'xchg' || m === 'xadd') return atomic(s, m, w);
  if (m === 'fence') return '';
  if (m === 'pause') return `st[${S.PAUSES}] = (st[${S.PAUSES}] + 1) | 0;`;
  if (info.group === 'counter') return counter(s, m, w);
  if (s.kernel && inlineCsr(w)) return csr(m, w);
  throw new Error(`emit: ${m} is not straight-line`);
}

const COND: Readonly<Record<string, (a: string, b: string) => string>> = {
  beq: (a, b) => `${a} === ${b}`,
  bne: (a, b) => `${a} !== ${b}`,
  blt: (a, b) => `${a} < ${b}`,
  bge: (a, b) => `${a} >= ${b}`,
  bltu: (a, b) => `${a} >>> 0 < ${b} >>> 0`,
  bgeu: (a, b) => `${a} >>> 0 >= ${b} >>> 0`,
};

/** The condition of a conditional branch word. */
export function branchCond(w: number): string {
  return COND[OPCODE_BY_NUMBER[w & 0xff]!.mnemonic]!(reg(A(w)), reg(B(w)));
}

/** The link a jal or jalr at index i writes. */
export function linkCode(w: number, i: number): string {
  return set(A(w), `(vb + ${4 * i + 4}) | 0`);
}

/** jalr: the target into `a` (checked for alignment, before any effect), then the link. */
export function jalrCode(s: Site, w: number): string {
  return `a = (${reg(B(w))} + ${w >> 16}) | 0; if ((a & 3) !== 0) ${exitAt(s)} ${linkCode(w, s.i)}`;
}
