/**
 * Random instruction streams for the differential tests of the interpreter
 * and the compiling tier against the reference: random words with assigned
 * opcodes (a few unassigned) and random fields, non-canonical reserved bits
 * included, immediates biased toward values that hit memory and nearby code;
 * optionally planted counted loops and two VCPUs sharing one memory. Also
 * the comparison of two VCPUs and what a hypervisor does between run()s.
 */
import { OP, OPCODES, OPCODE_BY_NUMBER } from '../../../isa/opcodes.ts';
import { FIELDS, FORMATS } from '../../../isa/formats.ts';
import { STATUS_BITS } from '../../../isa/csrs.ts';
import { KERNEL_BASE, PTE } from '../../../isa/memory.ts';
import { Exit } from '../../../hypervisor/cpu/exits.ts';
import { GuestMemory } from '../../../hypervisor/cpu/memory.ts';
import { F, S, CpuState } from '../../../hypervisor/cpu/state.ts';
import { tlbArchitectural } from '../../../hypervisor/cpu/tlb.ts';

export const MEM_BYTES = 16 * 1024;
const CODE_WORDS = 256; // physical 0..0x3ff: code; user va page 0 maps to it too
const ROOT_PA = 0x2000;
const LEAF_PA = 0x3000;

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  readonly next: () => number;
  constructor(seed: number) { this.next = prng(seed); }
  int(n: number): number { return Math.floor(this.next() * n); }
  u32(): number { return Math.floor(this.next() * 4294967296) | 0; }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
}

const ASSIGNED = OPCODES.map((o) => o.opcode);
const IMM16 = FIELDS.imm16;
const IMM20 = FIELDS.imm20;

/** Replace field f of word w with v. */
function setField(w: number, f: { shift: number; bits: number }, v: number): number {
  const mask = (2 ** f.bits - 1) * 2 ** f.shift;
  return ((w & ~mask) | ((v * 2 ** f.shift) & mask)) >>> 0;
}

/** An immediate that lands near memory and code most of the time. */
function tameImm(g: Gen, w: number): number {
  const info = OPCODE_BY_NUMBER[w & 0xff];
  if (!info) return w;
  switch (info.format) {
    case 'L': case 'S': case 'I': return setField(w, IMM16, g.pick([g.range(-8, 8) * 4, g.range(-3, 3), g.range(0, 64)]));
    case 'IU': case 'U': return setField(w, IMM16, g.pick([g.range(0, 15), 0xffff, 0x8000, g.range(0, 3)]));
    case 'SH': return setField(w, IMM16, g.range(0, 40));
    case 'B': return setField(w, IMM16, g.range(-8, 8));
    case 'J': return setField(w, IMM20, g.range(-8, 8));
    case 'CR': case 'CW': case 'CRW': return setField(w, IMM16, g.range(0, 11));
    default: return w;
  }
}

/** w with every bit its format does not use cleared. */
function canonical(w: number): number {
  const info = OPCODE_BY_NUMBER[w & 0xff];
  if (!info) return w;
  let used = 0xff;
  for (const f of FORMATS[info.format].fields) used |= (2 ** FIELDS[f].bits - 1) * 2 ** FIELDS[f].shift;
  return (w & used) >>> 0;
}

function randomWord(g: Gen): number {
  const op = g.chance(0.03) ? g.int(256) : g.pick(ASSIGNED);
  let w = ((g.u32() & ~0xff) | op) >>> 0;
  if (g.chance(0.8)) w = tameImm(g, w);
  return g.chance(0.5) ? canonical(w) : w;
}

function randomValue(g: Gen): number {
  switch (g.int(6)) {
    case 0: return g.range(-4, 16);
    case 1: return (KERNEL_BASE + (g.int(MEM_BYTES) & ~(g.chance(0.9) ? 3 : 0))) | 0;
    case 2: return g.int(0x5000) & ~(g.chance(0.9) ? 3 : 0);
    case 3: return g.pick([-0x8000_0000, -1, 0x7fff_ffff, KERNEL_BASE + MEM_BYTES, 0x1_0000]) | 0;
    case 4: return (KERNEL_BASE + 4 * g.int(CODE_WORDS)) | 0;
    default: return g.u32();
  }
}

/** User pages 0..5 map to physical pages 0..4 (4 is beyond memory) with mostly-full rights. */
function pageTable(g: Gen, mem: GuestMemory): void {
  const { V, R, W, X, U } = PTE;
  mem.i32[ROOT_PA >>> 2] = LEAF_PA | V;
  if (g.chance(0.1)) mem.i32[(ROOT_PA >>> 2) + 1] = LEAF_PA | V | R;
  for (let p = 0; p < 6; p++) {
    let flags = V | R | W | X | U;
    for (const bit of [V, R, W, X, U]) if (g.chance(0.12)) flags &= ~bit;
    mem.i32[(LEAF_PA >>> 2) + p] = ((p === 0 ? 0 : g.int(5)) * 4096) | flags;
  }
}

/**
 * Plant a few counted loops (addi r, r, -1 ... bne r, zero, back), so that
 * compiled code runs its loops and self-loops, not only straight lines.
 */
function plantLoops(g: Gen, mem: GuestMemory): void {
  for (let k = g.int(4); k > 0; k--) {
    const len = g.range(1, 6);
    const at = g.int(CODE_WORDS - len - 1);
    const r = g.range(1, 15);
    mem.i32[at] = (OP.addi | (r << 8) | (r << 12) | (0xffff << 16)) | 0;
    mem.i32[at + len] = (OP.bne | (r << 8) | (-len << 16)) | 0;
  }
}

/** A random VCPU on mem (its own registers, mode and CSRs). */
function randomVcpu(g: Gen, mem: GuestMemory, user: boolean, id: number): CpuState {
  const cpu = new CpuState(mem, id);
  const st = cpu.st;
  for (let r = 1; r < 16; r++) st[r] = randomValue(g);
  const { IE, KERNEL, PIE, PKERNEL } = STATUS_BITS;
  st[S.STATUS] = (user ? 0 : KERNEL) | (g.chance(0.5) ? IE : 0) | (g.chance(0.5) ? PIE : 0) | (g.chance(0.5) ? PKERNEL : 0);
  st[S.PC] = (user ? 0 : KERNEL_BASE) + 4 * g.int(CODE_WORDS);
  st[S.TVEC] = g.chance(0.9) ? KERNEL_BASE + 4 * g.int(CODE_WORDS) : 0;
  st[S.EPC] = randomValue(g);
  st[S.PTBR] = user || g.chance(0.5) ? ROOT_PA : 0;
  st[S.IMASK] = g.int(32);
  st[S.IPEND] = g.chance(0.3) ? g.int(32) : 0;
  st[S.SCRATCH] = randomValue(g);
  cpu.f64[F.TIME] = g.int(2 ** 20) * 2 ** 20 + g.int(2 ** 20);
  cpu.f64[F.CYCLES] = g.int(2 ** 36);
  return cpu;
}

/** One or two VCPUs over one fresh memory (two share the code, data and page table). */
export function initialState(seed: number, opts: { loops?: boolean; vcpus?: number } = {}): CpuState[] {
  const g = new Gen(seed);
  const mem = new GuestMemory(MEM_BYTES);
  for (let i = 0; i < CODE_WORDS; i++) mem.i32[i] = randomWord(g);
  for (let i = 0; i < 64; i++) mem.i32[(0x1000 >>> 2) + g.int(1024)] = randomValue(g);
  if (opts.loops) plantLoops(g, mem);
  const user = g.chance(0.3);
  if (user || g.chance(0.5)) pageTable(g, mem);
  return Array.from({ length: opts.vcpus ?? 1 }, (_, i) => randomVcpu(g, mem, i === 0 ? user : g.chance(0.3), g.int(4)));
}

/** The same VCPUs over a copy of their (shared) memory. */
export function clone(cpus: readonly CpuState[]): CpuState[] {
  const mem = new GuestMemory(cpus[0]!.mem.size);
  mem.u8.set(cpus[0]!.mem.u8);
  return cpus.map((cpu) => {
    const c = new CpuState(mem, cpu.id);
    new Uint8Array(c.buf).set(new Uint8Array(cpu.buf));
    c.tlb.set(tlbArchitectural(cpu.tlb));
    return c;
  });
}

export const SLOT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(S).map(([k, v]) => [v, k]));
const F_NAMES: Record<number, string> = Object.fromEntries(Object.entries(F).map(([k, v]) => [v, k]));

/** Differences between two VCPUs, as readable lines (empty when identical). */
export function differences(a: CpuState, b: CpuState): string[] {
  const out: string[] = [];
  a.st.forEach((v, i) => { if (v !== b.st[i]) out.push(`${SLOT_NAMES[i] ?? `r${i}`}: run ${v >>> 0} reference ${b.st[i]! >>> 0}`); });
  a.f64.forEach((v, i) => { if (!Object.is(v, b.f64[i])) out.push(`f64 ${F_NAMES[i] ?? i}: run ${v} reference ${b.f64[i]}`); });
  const ta = tlbArchitectural(a.tlb);
  const tb = tlbArchitectural(b.tlb);
  const tlb = ta.findIndex((v, i) => v !== tb[i]);
  if (tlb >= 0) out.push(`tlb[${tlb}]: run ${ta[tlb]} reference ${tb[tlb]}`);
  const same = Buffer.from(a.mem.buf).equals(Buffer.from(b.mem.buf));
  const m = same ? -1 : a.mem.u8.findIndex((v, i) => v !== b.mem.u8[i]);
  if (m >= 0) out.push(`memory at physical 0x${m.toString(16)} differs`);
  return out;
}

/** What the hypervisor does between calls, identically for both VCPUs. */
export function resume(cpu: CpuState, exit: number, line: number): void {
  cpu.f64[F.TIME]! += cpu.f64[F.RAN]!;
  if (exit === Exit.WFI) cpu.raiseIrq(line);
}


/** The budgets of a stream's run() calls: single steps, short, medium, long and (big) very long. */
export function budgetsFor(seed: number, calls = 6, big = false): number[] {
  const g = new Gen(seed ^ 0x5eed);
  return Array.from({ length: calls }, () => g.pick([1, g.range(2, 40), g.range(40, 400), 1200, ...(big ? [g.range(1200, 20_000)] : [])]));
}
