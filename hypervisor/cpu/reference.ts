/**
 * The reference interpreter: slow and obvious, for differential tests of
 * interp.ts. It decodes every instruction through isa/encoding.ts, computes
 * with BigInt where overflow matters, looks up the TLB on every access, and
 * charges the same cycles. It shares trap entry, CSRs and the page walk with
 * the fast interpreter (one definition of what a trap does); the semantics of
 * every instruction are written here independently.
 */
import { decode } from '../../isa/encoding.ts';
import { CAUSE } from '../../isa/traps.ts';
import { STATUS_BITS } from '../../isa/csrs.ts';
import { TLB_MISS_COST } from '../../isa/clock.ts';
import { Exit, type ExitCode } from './exits.ts';
import { F, S, type CpuState } from './state.ts';
import { walk } from './mmu.ts';
import { checkInterrupts, csrInstruction, doEret, doTlbFlush, takeTrap } from './trap.ts';
import { ACCESS_EXEC, ACCESS_READ, ACCESS_WRITE, tlbSlot, tlbTable, type Access } from './tlb.ts';

const MISALIGNED = [CAUSE.MISALIGNED_LOAD, CAUSE.MISALIGNED_STORE, CAUSE.MISALIGNED_FETCH];

class Trapped extends Error {}

interface Ctx {
  cpu: CpuState;
  pc: number;
  cyc: number;
}

const s32 = (x: bigint | number): number => Number(BigInt.asIntN(32, BigInt(x)));
const u32 = (x: number): number => x >>> 0;

function trap(c: Ctx, cause: number, addr: number): never {
  takeTrap(c.cpu, c.pc, cause, addr);
  throw new Trapped();
}

function translate(c: Ctx, va: number, size: number, access: Access): number {
  if (u32(va) % size !== 0) trap(c, MISALIGNED[access]!, va);
  const kernel = c.cpu.kernelMode;
  const slot = tlbTable(kernel, access) + tlbSlot(va);
  if (c.cpu.tlb[slot] === (va & -4096)) return c.cpu.tlb[slot + 1]! + (u32(va) % 4096);
  const page = walk(c.cpu, va, access, kernel);
  if (page < 0) trap(c, -page, va);
  c.cpu.tlb[slot] = va & -4096;
  c.cpu.tlb[slot + 1] = page;
  c.cyc += TLB_MISS_COST;
  return page + (u32(va) % 4096);
}

function load(c: Ctx, va: number, size: number, signed: boolean): number {
  const pa = translate(c, va, size, ACCESS_READ);
  const dv = new DataView(c.cpu.mem.buf);
  if (size === 4) return dv.getInt32(pa, true);
  if (size === 2) return signed ? dv.getInt16(pa, true) : dv.getUint16(pa, true);
  return signed ? dv.getInt8(pa) : dv.getUint8(pa);
}

function store(c: Ctx, va: number, size: number, v: number): void {
  const pa = translate(c, va, size, ACCESS_WRITE);
  const dv = new DataView(c.cpu.mem.buf);
  if (size === 4) dv.setInt32(pa, v, true);
  else if (size === 2) dv.setInt16(pa, s32(BigInt.asIntN(16, BigInt(v))), true);
  else dv.setInt8(pa, Number(BigInt.asIntN(8, BigInt(v))));
}

function divide(c: Ctx, a: number, b: number, unsigned: boolean, remainder: boolean): number {
  if (b === 0) trap(c, CAUSE.DIVIDE_BY_ZERO, 0);
  const x = unsigned ? BigInt(u32(a)) : BigInt(a);
  const y = unsigned ? BigInt(u32(b)) : BigInt(b);
  return s32(remainder ? x % y : x / y);
}

type Sem = (c: Ctx, x: number, y: number, imm: number) => number | undefined;

/** ALU semantics: x = rs1, y = rs2, imm = the decoded immediate. */
const ALU: Record<string, Sem> = {
  add: (_, x, y) => s32(BigInt(x) + BigInt(y)),
  sub: (_, x, y) => s32(BigInt(x) - BigInt(y)),
  mul: (_, x, y) => s32(BigInt(x) * BigInt(y)),
  mulh: (_, x, y) => s32((BigInt(x) * BigInt(y)) >> 32n),
  mulhu: (_, x, y) => s32((BigInt(u32(x)) * BigInt(u32(y))) >> 32n),
  div: (c, x, y) => divide(c, x, y, false, false),
  divu: (c, x, y) => divide(c, x, y, true, false),
  rem: (c, x, y) => divide(c, x, y, false, true),
  remu: (c, x, y) => divide(c, x, y, true, true),
  and: (_, x, y) => x & y,
  or: (_, x, y) => x | y,
  xor: (_, x, y) => x ^ y,
  sll: (_, x, y) => s32(BigInt(x) << BigInt(u32(y) % 32)),
  srl: (_, x, y) => s32(BigInt(u32(x)) >> BigInt(u32(y) % 32)),
  sra: (_, x, y) => s32(BigInt(x) >> BigInt(u32(y) % 32)),
  slt: (_, x, y) => (x < y ? 1 : 0),
  sltu: (_, x, y) => (u32(x) < u32(y) ? 1 : 0),
  addi: (_, x, _y, i) => s32(BigInt(x) + BigInt(i)),
  andi: (_, x, _y, i) => x & i,
  ori: (_, x, _y, i) => x | i,
  xori: (_, x, _y, i) => x ^ i,
  slli: (_, x, _y, i) => s32(BigInt(x) << BigInt(i % 32)),
  srli: (_, x, _y, i) => s32(BigInt(u32(x)) >> BigInt(i % 32)),
  srai: (_, x, _y, i) => s32(BigInt(x) >> BigInt(i % 32)),
  slti: (_, x, _y, i) => (x < i ? 1 : 0),
  sltiu: (_, x, _y, i) => (u32(x) < u32(i) ? 1 : 0),
  lui: (_, _x, _y, i) => s32(BigInt(i) * 65536n),
};

const BRANCH: Record<string, (x: number, y: number) => boolean> = {
  beq: (x, y) => x === y,
  bne: (x, y) => x !== y,
  blt: (x, y) => x < y,
  bge: (x, y) => x >= y,
  bltu: (x, y) => u32(x) < u32(y),
  bgeu: (x, y) => u32(x) >= u32(y),
};

const LOADS: Record<string, [number, boolean]> = { lw: [4, true], lh: [2, true], lhu: [2, false], lb: [1, true], lbu: [1, false] };
const STORES: Record<string, number> = { sw: 4, sh: 2, sb: 1 };

/** Execute the instruction at c.pc; returns the next pc (traps throw). */
function execute(c: Ctx, time0: number, cyc0: number): number {
  const { cpu, pc } = c;
  const word = load0(c);
  const d = decode(word);
  c.cyc += d ? d.info.cost : 1;
  cpu.f64[F.INSTRET] += 1;
  if (!d) trap(c, CAUSE.ILLEGAL_INSTRUCTION, word);
  const m = d.info.mnemonic;
  if (d.info.priv && !cpu.kernelMode) trap(c, CAUSE.PRIVILEGED_INSTRUCTION, word);
  const R = (k: number) => cpu.reg(d.operands[k]!.reg!);
  const imm = (k: number) => d.operands[k]!.imm!;
  const next = (pc + 4) | 0;
  const f = ALU[m];
  if (f) {
    const fmtR = d.info.format === 'R';
    cpu.setReg(d.operands[0]!.reg!, f(c, d.operands.length > 1 && d.operands[1]!.reg !== undefined ? R(1) : 0, fmtR ? R(2) : 0, fmtR ? 0 : imm(d.operands.length - 1))!);
    return next;
  }
  if (LOADS[m]) {
    const [size, signed] = LOADS[m]!;
    cpu.setReg(d.operands[0]!.reg!, load(c, s32(R(1) + imm(1)), size, signed));
    return next;
  }
  if (STORES[m]) { store(c, s32(R(1) + imm(1)), STORES[m]!, R(0)); return next; }
  if (BRANCH[m]) return BRANCH[m]!(R(0), R(1)) ? s32(pc + 4 * imm(2)) : next;
  switch (m) {
    case 'jal': cpu.setReg(d.operands[0]!.reg!, next); return s32(pc + 4 * imm(1));
    case 'jalr': {
      const t = s32(R(1) + imm(1));
      if (u32(t) % 4 !== 0) trap(c, CAUSE.MISALIGNED_FETCH, t);
      cpu.setReg(d.operands[0]!.reg!, next);
      return t;
    }
    case 'cas': case 'xchg': case 'xadd': {
      // One translation, for writing, as the whole operation is one store-class access.
      const pa = translate(c, R(2), 4, ACCESS_WRITE);
      const dv = new DataView(cpu.mem.buf);
      const old = dv.getInt32(pa, true);
      const src = R(1);
      if (m === 'xchg' || (m === 'cas' && old === R(0))) dv.setInt32(pa, src, true);
      if (m === 'xadd') dv.setInt32(pa, s32(BigInt(old) + BigInt(src)), true);
      cpu.setReg(d.operands[0]!.reg!, old);
      return next;
    }
    case 'fence': return next;
    case 'pause': cpu.st[S.PAUSES]! += 1; return next;
    case 'rdtime': cpu.setReg(d.operands[0]!.reg!, s32(BigInt(time0 + c.cyc))); return next;
    case 'rdtimeh': cpu.setReg(d.operands[0]!.reg!, s32(BigInt(time0 + c.cyc) >> 32n)); return next;
    case 'rdcycle': cpu.setReg(d.operands[0]!.reg!, s32(BigInt(cyc0 + c.cyc))); return next;
    case 'rdcycleh': cpu.setReg(d.operands[0]!.reg!, s32(BigInt(cyc0 + c.cyc) >> 32n)); return next;
    case 'syscall': trap(c, CAUSE.SYSCALL, 0); break;
    case 'break': trap(c, CAUSE.BREAKPOINT, 0); break;
    case 'hcall': cpu.st[S.EXIT] = Exit.HCALL; return next;
    default: return privileged(c, m, word);
  }
  return next;
}

/** Fetch through the X TLB, exactly like a data access. */
function load0(c: Ctx): number {
  const pa = translate(c, c.pc, 4, ACCESS_EXEC);
  return c.cpu.mem.i32[pa >>> 2]!;
}

function privileged(c: Ctx, m: string, word: number): number {
  const { cpu, pc } = c;
  const next = (pc + 4) | 0;
  switch (m) {
    case 'eret': doEret(cpu, pc); break;
    case 'csrr': csrInstruction(cpu, word, pc, true, false); break;
    case 'csrw': csrInstruction(cpu, word, pc, false, true); break;
    case 'csrrw': csrInstruction(cpu, word, pc, true, true); break;
    case 'ei': cpu.st[S.STATUS]! |= STATUS_BITS.IE; return next;
    case 'di': cpu.st[S.STATUS]! &= ~STATUS_BITS.IE; return next;
    case 'tlbflush': doTlbFlush(cpu, word); return next;
    case 'wfi': if (!cpu.wakeable) cpu.st[S.EXIT] = Exit.WFI; return next;
  }
  if (cpu.st[S.EXIT] !== 0) throw new Trapped();
  return cpu.st[S.PC]!;
}

/** Same contract as run() in interp.ts. */
export function runReference(cpu: CpuState, budget: number): ExitCode {
  const st = cpu.st;
  const time0 = cpu.f64[F.TIME]!;
  const cyc0 = cpu.f64[F.CYCLES]!;
  const c: Ctx = { cpu, pc: st[S.PC]!, cyc: 0 };
  st[S.EXIT] = 0;
  for (;;) {
    c.cyc += st[S.EXTRA_CYCLES]!;
    st[S.EXTRA_CYCLES] = 0;
    if (st[S.EXIT] !== 0) break;
    st[S.PC] = c.pc;
    if (checkInterrupts(cpu)) { c.pc = st[S.PC]!; continue; }
    if (c.cyc >= budget) { st[S.EXIT] = Exit.BUDGET; continue; }
    try {
      c.pc = execute(c, time0, cyc0);
    } catch (e) {
      if (!(e instanceof Trapped)) throw e;
      c.pc = st[S.PC]!;
    }
  }
  st[S.PC] = c.pc;
  cpu.f64[F.CYCLES] = cyc0 + c.cyc;
  cpu.f64[F.RAN] = c.cyc;
  return st[S.EXIT] as ExitCode;
}
