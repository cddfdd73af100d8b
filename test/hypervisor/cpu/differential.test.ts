/**
 * Differential test: random instruction streams through the fast interpreter
 * and the reference one, from the same state with the same budgets, resumed
 * after every exit as a hypervisor would. After each run() the whole VCPU
 * (int and f64 slots), its TLB and guest memory must be identical.
 *
 * Streams are random words with assigned opcodes (a few unassigned) and
 * random fields, non-canonical reserved bits included, immediates biased
 * toward values that hit memory and nearby code. Seeds are fixed; a failure
 * names the seed and the first instruction after which the two disagree.
 */
import { describe, expect, it } from 'vitest';
import { OPCODES, OPCODE_BY_NUMBER } from '../../../isa/opcodes.ts';
import { FIELDS, FORMATS } from '../../../isa/formats.ts';
import { STATUS_BITS } from '../../../isa/csrs.ts';
import { KERNEL_BASE, PTE } from '../../../isa/memory.ts';
import { Exit, EXIT_NAMES } from '../../../hypervisor/cpu/exits.ts';
import { run } from '../../../hypervisor/cpu/interp.ts';
import { runReference } from '../../../hypervisor/cpu/reference.ts';
import { GuestMemory } from '../../../hypervisor/cpu/memory.ts';
import { F, S, CpuState } from '../../../hypervisor/cpu/state.ts';

const MEM_BYTES = 16 * 1024;
const CODE_WORDS = 256; // physical 0..0x3ff: code; user va page 0 maps to it too
const ROOT_PA = 0x2000;
const LEAF_PA = 0x3000;
const STREAMS = 5000;
const CALLS = 6;

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

class Gen {
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

function initialState(seed: number): CpuState {
  const g = new Gen(seed);
  const mem = new GuestMemory(MEM_BYTES);
  for (let i = 0; i < CODE_WORDS; i++) mem.i32[i] = randomWord(g);
  for (let i = 0; i < 64; i++) mem.i32[(0x1000 >>> 2) + g.int(1024)] = randomValue(g);
  const cpu = new CpuState(mem, g.int(4));
  const user = g.chance(0.3);
  if (user || g.chance(0.5)) pageTable(g, mem);
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

function clone(cpu: CpuState): CpuState {
  const mem = new GuestMemory(cpu.mem.size);
  mem.u8.set(cpu.mem.u8);
  const c = new CpuState(mem, cpu.id);
  new Uint8Array(c.buf).set(new Uint8Array(cpu.buf));
  c.tlb.set(cpu.tlb);
  return c;
}

const SLOT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(S).map(([k, v]) => [v, k]));
const F_NAMES: Record<number, string> = Object.fromEntries(Object.entries(F).map(([k, v]) => [v, k]));

/** Differences between two VCPUs, as readable lines (empty when identical). */
function differences(a: CpuState, b: CpuState): string[] {
  const out: string[] = [];
  a.st.forEach((v, i) => { if (v !== b.st[i]) out.push(`${SLOT_NAMES[i] ?? `r${i}`}: run ${v >>> 0} reference ${b.st[i]! >>> 0}`); });
  a.f64.forEach((v, i) => { if (!Object.is(v, b.f64[i])) out.push(`f64 ${F_NAMES[i] ?? i}: run ${v} reference ${b.f64[i]}`); });
  const tlb = a.tlb.findIndex((v, i) => v !== b.tlb[i]);
  if (tlb >= 0) out.push(`tlb[${tlb}]: run ${a.tlb[tlb]} reference ${b.tlb[tlb]}`);
  const same = Buffer.from(a.mem.buf).equals(Buffer.from(b.mem.buf));
  const m = same ? -1 : a.mem.u8.findIndex((v, i) => v !== b.mem.u8[i]);
  if (m >= 0) out.push(`memory at physical 0x${m.toString(16)} differs`);
  return out;
}

/** What the hypervisor does between calls, identically for both VCPUs. */
function resume(cpu: CpuState, exit: number, line: number): void {
  cpu.f64[F.TIME]! += cpu.f64[F.RAN]!;
  if (exit === Exit.WFI) cpu.raiseIrq(line);
}

interface Outcome { exits: number[]; diff: string[] }

function compare(seed: number, budgets: readonly number[]): Outcome {
  const fast = initialState(seed);
  const ref = clone(fast);
  const exits: number[] = [];
  for (const [i, budget] of budgets.entries()) {
    const e1 = run(fast, budget);
    const e2 = runReference(ref, budget);
    exits.push(e1);
    const diff = differences(fast, ref);
    if (e1 !== e2) diff.unshift(`exit: run ${EXIT_NAMES[e1]} reference ${EXIT_NAMES[e2]}`);
    if (diff.length > 0) return { exits, diff: [`call ${i} (budget ${budget}, pc 0x${fast.pc.toString(16)})`, ...diff] };
    if (e1 === Exit.FAULT) break;
    resume(fast, e1, i % 5);
    resume(ref, e2, i % 5);
  }
  return { exits, diff: [] };
}

function budgetsFor(seed: number): number[] {
  const g = new Gen(seed ^ 0x5eed);
  return Array.from({ length: CALLS }, () => g.pick([1, g.range(2, 40), g.range(40, 400), 1200]));
}

/** For a report: single-step both from the start and name the first instruction they disagree after. */
function firstDivergence(seed: number, steps = 20_000): string {
  const fast = initialState(seed);
  const ref = clone(fast);
  for (let step = 0; step < steps; step++) {
    const pc = fast.pc;
    const e1 = run(fast, 1);
    const e2 = runReference(ref, 1);
    const diff = differences(fast, ref);
    if (e1 !== e2 || diff.length > 0) {
      const word = fast.mem.i32[((pc - (pc >= KERNEL_BASE ? KERNEL_BASE : 0)) >>> 2) & (MEM_BYTES / 4 - 1)]! >>> 0;
      return `single-stepping: step ${step} at pc 0x${pc.toString(16)}, word 0x${word.toString(16)} (${OPCODE_BY_NUMBER[word & 0xff]?.mnemonic ?? 'unassigned'}): ${diff.join('; ')}`;
    }
    if (e1 === Exit.FAULT) return 'single-stepping does not reproduce it';
    resume(fast, e1, step % 5);
    resume(ref, e2, step % 5);
  }
  return 'single-stepping does not reproduce it';
}

describe('fast interpreter vs reference', () => {
  it(`agree on ${STREAMS} random streams`, () => {
    const exitCounts: Record<string, number> = {};
    for (let seed = 1; seed <= STREAMS; seed++) {
      const { exits, diff } = compare(seed, budgetsFor(seed));
      if (diff.length > 0) expect.fail(`seed ${seed}: ${diff.join('\n')}\n${firstDivergence(seed)}`);
      for (const e of exits) exitCounts[EXIT_NAMES[e]!] = (exitCounts[EXIT_NAMES[e]!] ?? 0) + 1;
    }
    // The streams must exercise every way out of run(), or the test proves little.
    expect(Object.keys(exitCounts).sort()).toEqual(Object.values(EXIT_NAMES).sort());
  });

  it('single-stepping (budget 1) agrees too', () => {
    for (let seed = 100_001; seed <= 100_100; seed++) {
      const msg = firstDivergence(seed, 300);
      expect(msg, `seed ${seed}`).toBe('single-stepping does not reproduce it');
    }
  });
});
