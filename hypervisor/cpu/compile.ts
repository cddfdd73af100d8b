/**
 * The compiling tier's code generator: one region (region.ts) of a page
 * becomes one JavaScript function (`new Function`), called by the code cache
 * (codecache.ts) on behalf of runCompiled (engine.ts):
 *
 *   fn(cpu, st, tlb, vb, idx, cyc, budget) -> cycles
 *
 * vb is the virtual page address (the code is position-independent within
 * its physical page, so aliases share it), idx the instruction index to
 * start at, cyc the cycles run() has charged so far and budget its limit.
 * The function runs whole blocks while they fit (the interpreter finishes
 * the tail), leaves the next pc in st, adds its instructions to INSTRET and
 * returns the new cycle count, or its complement (~cyc, negative) when it
 * stopped at a block that does not fit the budget, the first one included:
 * the run ends inside that block, so the interpreter finishes it without
 * the driver looking for code again. Registers live in locals; a loop over a
 * switch on the instruction index carries control between blocks, with
 * fall-through between consecutive blocks and self-loops as JS loops.
 */
import { COST_TABLE, OPCODE_BY_NUMBER } from '../../isa/opcodes.ts';
import { mulh, mulhu } from './alu.ts';
import { F, S, type CpuState } from './state.ts';
import { discoverRegion, kindOf, targetOf, PAGE_WORDS, type Block, type Region } from './region.ts';
import { Exits, branchCond, insnCode, jalrCode, leave, linkCode, stop, type Site } from './emit.ts';

export type RegionFn = (cpu: CpuState, st: Int32Array, tlb: Int32Array, vb: number, idx: number, cyc: number, budget: number) => number;

interface Ctx { region: Region; words: Int32Array; kernel: boolean; exits: Exits }

const inRegion = (c: Ctx, j: number): boolean => j >= 0 && j < PAGE_WORDS && c.region.entry[j] === 1;

/** Control to instruction index j: inside the region, or out to the driver. */
function goTo(c: Ctx, j: number): string {
  return inRegion(c, j) ? `{ idx = ${j}; continue loop; }` : leave(c.exits, j);
}

/** A jump to a computed address `a`: into the region at any entry of this page, else out. */
const DYNAMIC = 'npc = a; if ((a & -4096) === vb) { idx = (a >>> 2) & 1023; e = PRE[idx]; '
  + 'if (ENTRY[idx] === 1) { if (cyc - (e >> 8) + NEED[idx] < budget) { cyc -= e >> 8; n -= e & 255; continue loop; } over = 1; } } break loop;';

function site(c: Ctx, i: number, b: Block): Site {
  const e = c.region.pre[i];
  return { exits: c.exits, i, preCyc: e >> 8, preN: e & 255, kernel: c.kernel, fix: b.selfLoop ? loopCount(b) : undefined };
}

/**
 * A self-loop counts only cycles per pass; the instructions of its passes
 * are added on leaving it, from the cycles: one add and one compare less a
 * pass (lc: cycles at its start, lb: the last cycle count a pass may start at).
 */
const loopCount = (b: Block): string => `n += (((cyc - lc) / ${b.cost}) | 0) * ${b.insns.length};`;

/** A conditional branch inside a block: when taken, the block's counts so far, then to the target. */
function earlyOut(c: Ctx, b: Block, i: number): string {
  const s = site(c, i, b);
  const w = c.words[i];
  const counts = `cyc += ${s.preCyc + COST_TABLE[w & 0xff]}; n += ${s.preN + 1};`;
  return `if (${branchCond(w)}) { ${s.fix ?? ''} ${counts} ${goTo(c, targetOf(w, i))} }`;
}

/** The last instruction's control transfer, after the block's counts are added. */
function terminator(c: Ctx, b: Block, next: Block | undefined): string {
  const last = b.insns[b.insns.length - 1];
  const w = c.words[last];
  const count = b.selfLoop ? `cyc += ${b.cost};` : `cyc += ${b.cost}; n += ${b.insns.length};`;
  const fall = next?.start === last + 1 ? '' : goTo(c, last + 1);
  switch (kindOf(OPCODE_BY_NUMBER[w & 0xff])) {
    case 'branch':
      return b.selfLoop ? `${count} if (!(${branchCond(w)})) break; } ${loopCount(b)} ${fall}` : `${count} if (${branchCond(w)}) ${goTo(c, targetOf(w, last))} ${fall}`;
    case 'jal': return b.selfLoop ? `${linkCode(w, last)} ${count} }` : `${linkCode(w, last)} ${count} ${goTo(c, targetOf(w, last))}`;
    case 'jalr': return `${jalrCode(site(c, last, b), w)} ${count} ${DYNAMIC}`;
    default: return `${insnCode(site(c, last, b), w)} ${count} ${fall}`;
  }
}

function blockCode(c: Ctx, b: Block, next: Block | undefined): string {
  if (b.exit) return `case ${b.start}: ${leave(c.exits, b.start)}`; // reached by falling through only
  const body = b.insns.slice(0, -1).map((i) => (kindOf(OPCODE_BY_NUMBER[c.words[i] & 0xff]) === 'branch' ? earlyOut(c, b, i) : insnCode(site(c, i, b), c.words[i])));
  const head = b.selfLoop
    ? `case ${b.start}: lc = cyc; lb = budget - ${b.need}; for (;;) { if (cyc >= lb) { ${loopCount(b)} ${stop(c.exits, b.start)} }`
    : `case ${b.start}: if (cyc + ${b.need} >= budget) ${stop(c.exits, b.start)}`;
  return [head, ...body, terminator(c, b, next)].join('\n');
}

/** The registers used, as locals: declaration and write-back. */
function registers(r: Region): { load: string; store: string } {
  const regs = Array.from({ length: 15 }, (_, k) => k + 1).filter((k) => (r.used >>> k) & 1);
  return {
    load: regs.map((k) => `let x${k} = st[${k}];`).join(' '),
    store: regs.map((k) => `st[${k}] = x${k};`).join(' '),
  };
}

/** The entry tables and the exit table, as literals in the source (so equal sources mean equal functions). */
function tables(r: Region, exits: Exits): string {
  const entries: number[] = [];
  for (let i = 0; i < PAGE_WORDS; i++) if (r.entry[i] === 1) entries.push(i, r.pre[i], r.need[i]);
  return `const ENTRY = new Uint8Array(${PAGE_WORDS}), PRE = new Int32Array(${PAGE_WORDS}), NEED = new Int32Array(${PAGE_WORDS});
const E = [${entries.join(',')}];
for (let k = 0; k < E.length; k += 3) { ENTRY[E[k]] = 1; PRE[E[k]] = E[k + 1]; NEED[E[k]] = E[k + 2]; }
const XP = new Int32Array([${exits.pcs.map((j) => 4 * j).join(',')}]);
const XC = new Int32Array([${exits.cycles.join(',')}]), XN = new Int32Array([${exits.counts.join(',')}]);`;
}

/** The factory's source: tables, then the region function. */
export function regionSource(words: Int32Array, entry: number, kernel: boolean, region = discoverRegion(words, entry, kernel)): string {
  const c: Ctx = { region, words, kernel, exits: new Exits() };
  const { load, store } = registers(region);
  const cases = region.blocks.map((b, k) => blockCode(c, b, region.blocks[k + 1])).join('\n');
  return `${tables(region, c.exits)}
return function region(cpu, st, tlb, vb, idx, cyc, budget) {
let e = PRE[idx];
if (ENTRY[idx] !== 1) return cyc;
if (cyc - (e >> 8) + NEED[idx] >= budget) return ~cyc;
cyc -= e >> 8; let n = -(e & 255);
${load}
const mem = cpu.mem, m32 = mem.i32, u8 = mem.u8, i16 = mem.i16, u16 = mem.u16, f64 = cpu.f64;
let a = 0, t = 0, pa = 0, old = 0, npc = 0, xe = -1, lc = 0, lb = 0, over = 0;
loop: for (;;) {
switch (idx) {
${cases}
default: npc = (vb + idx * 4) | 0; break loop;
}
}
if (xe >= 0) { cyc += XC[xe]; n += XN[xe]; npc = (vb + XP[xe]) | 0; }
${store}
st[${S.PC}] = npc; f64[${F.INSTRET}] += n;
return over === 0 ? cyc : ~cyc;
};`;
}

/**
 * Per instruction inside a block (not its start): the interpreter budget
 * that runs from there exactly through the block's last instruction. The
 * interpreter runs an instruction while its cycles are below the budget,
 * so: the cycles before the last instruction, plus one. (A TLB miss's extra
 * cycles stop it earlier, which is as correct, only slower.)
 */
function rest(r: Region): Int32Array {
  const out = new Int32Array(PAGE_WORDS);
  for (let i = 0; i < PAGE_WORDS; i++) if (r.entry[i] === 2) out[i] = r.need[i]! - (r.pre[i]! >> 8) + 1;
  return out;
}

/**
 * Functions by source, for the whole process: the same guest code (same
 * words, entry and mode) compiled for another memory or another machine
 * reuses the function V8 has already optimized. A pure memo, bounded.
 */
const BY_SOURCE = new Map<string, RegionFn>();
const MAX_SOURCES = 4096;

/** The function for the region entered at `entry` of a page (its words given) in one mode. */
export function compileRegion(words: Int32Array, entry: number, kernel: boolean): { fn: RegionFn; entries: Uint8Array; rest: Int32Array } {
  const region = discoverRegion(words, entry, kernel);
  const source = regionSource(words, entry, kernel, region);
  let fn = BY_SOURCE.get(source);
  if (fn === undefined) {
    if (BY_SOURCE.size >= MAX_SOURCES) BY_SOURCE.clear();
    fn = new Function('mulh', 'mulhu', source)(mulh, mulhu) as RegionFn;
    BY_SOURCE.set(source, fn);
  }
  return { fn, entries: region.entry, rest: rest(region) };
}
