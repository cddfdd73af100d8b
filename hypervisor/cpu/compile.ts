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
 * returns the new cycle count. Registers live in locals; a loop over a
 * switch on the instruction index carries control between blocks, with
 * fall-through between consecutive blocks and self-loops as JS loops.
 */
import { OPCODE_BY_NUMBER } from '../../isa/opcodes.ts';
import { mulh, mulhu } from './alu.ts';
import { F, S, type CpuState } from './state.ts';
import type { HostMemory } from './memory.ts';
import { discoverRegion, kindOf, targetOf, PAGE_WORDS, type Block, type Region } from './region.ts';
import { branchCond, insnCode, jalrCode, linkCode, pcOf, type Site } from './emit.ts';

export type RegionFn = (cpu: CpuState, st: Int32Array, tlb: Int32Array, vb: number, idx: number, cyc: number, budget: number) => number;

interface Ctx { region: Region; words: Int32Array; kernel: boolean }

const inRegion = (c: Ctx, j: number): boolean => j >= 0 && j < PAGE_WORDS && c.region.entry[j] === 1;

/** Control to instruction index j: inside the region, or out to the driver. */
function goTo(c: Ctx, j: number): string {
  return inRegion(c, j) ? `{ idx = ${j}; continue loop; }` : `{ npc = ${pcOf(j)}; break loop; }`;
}

/** A jump to a computed address `a`: into the region at any entry of this page, else out. */
const DYNAMIC = 'npc = a; if ((a & -4096) === vb) { idx = (a >>> 2) & 1023; e = PRE[idx]; '
  + 'if (ENTRY[idx] === 1 && cyc - (e >> 8) + NEED[idx] < budget) { cyc -= e >> 8; n -= e & 255; continue loop; } } break loop;';

function site(c: Ctx, b: Block, i: number): Site {
  const e = c.region.pre[i]!;
  return { i, preCyc: e >> 8, preN: e & 255, kernel: c.kernel };
}

/** The last instruction's control transfer, after the block's counts are added. */
function terminator(c: Ctx, b: Block, next: Block | undefined): string {
  const last = b.insns[b.insns.length - 1]!;
  const w = c.words[last]!;
  const count = `cyc += ${b.cost}; n += ${b.insns.length};`;
  const fall = next?.start === last + 1 ? '' : goTo(c, last + 1);
  switch (kindOf(OPCODE_BY_NUMBER[w & 0xff])) {
    case 'branch': return b.selfLoop ? `${count} if (!(${branchCond(w)})) break; } ${fall}` : `${count} if (${branchCond(w)}) ${goTo(c, targetOf(w, last))} ${fall}`;
    case 'jal': return `${linkCode(w, last)} ${count} ${goTo(c, targetOf(w, last))}`;
    case 'jalr': return `${jalrCode(site(c, b, last), w)} ${count} ${DYNAMIC}`;
    default: return `${insnCode(site(c, b, last), w)} ${count} ${fall}`;
  }
}

function blockCode(c: Ctx, b: Block, next: Block | undefined): string {
  if (b.exit) return `case ${b.start}: { npc = ${pcOf(b.start)}; break loop; }`;
  const check = `if (cyc + ${b.need} >= budget) { npc = ${pcOf(b.start)}; break loop; }`;
  const body = b.insns.slice(0, -1).map((i, k) => {
    const label = k > 0 && !b.selfLoop ? `case ${i}: ` : '';
    return label + insnCode(site(c, b, i), c.words[i]!);
  });
  const lastLabel = b.insns.length > 1 && !b.selfLoop ? `case ${b.insns[b.insns.length - 1]}: ` : '';
  const head = b.selfLoop ? `case ${b.start}: for (;;) { ${check}` : `case ${b.start}: ${check}`;
  return [head, ...body, lastLabel + terminator(c, b, next)].join('\n');
}

/** The registers used, as locals: declaration and write-back. */
function registers(r: Region): { load: string; store: string } {
  const regs = Array.from({ length: 15 }, (_, k) => k + 1).filter((k) => (r.used >>> k) & 1);
  return {
    load: regs.map((k) => `let x${k} = st[${k}];`).join(' '),
    store: regs.map((k) => `st[${k}] = x${k};`).join(' '),
  };
}

/** The whole function's source (the body of the factory new Function builds). */
export function regionSource(words: Int32Array, entry: number, kernel: boolean): { source: string; region: Region } {
  const region = discoverRegion(words, entry);
  const c: Ctx = { region, words, kernel };
  const { load, store } = registers(region);
  const cases = region.blocks.map((b, k) => blockCode(c, b, region.blocks[k + 1])).join('\n');
  const source = `return function region(cpu, st, tlb, vb, idx, cyc, budget) {
let e = PRE[idx];
if (ENTRY[idx] !== 1 || cyc - (e >> 8) + NEED[idx] >= budget) return cyc;
cyc -= e >> 8; let n = -(e & 255);
${load}
const f64 = cpu.f64; let a = 0, t = 0, pa = 0, old = 0, npc = 0;
loop: for (;;) {
switch (idx) {
${cases}
default: npc = (vb + idx * 4) | 0; break loop;
}
}
${store}
st[${S.PC}] = npc; f64[${F.INSTRET}] += n;
return cyc;
};`;
  return { source, region };
}

/** Compile the region entered at `entry` of a page (its words given) for one mode. */
export function compileRegion(words: Int32Array, entry: number, kernel: boolean, host: HostMemory): { fn: RegionFn; region: Region } {
  const { source, region } = regionSource(words, entry, kernel);
  const factory = new Function('m32', 'i16', 'u16', 'u8', 'mulh', 'mulhu', 'ENTRY', 'PRE', 'NEED', source);
  const fn = factory(host.i32, host.i16, host.u16, host.u8, mulh, mulhu, region.entry, region.pre, region.need) as RegionFn;
  return { fn, region };
}
