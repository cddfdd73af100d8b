/**
 * Region discovery for the compiling tier (compile.ts calls it): from an
 * entry instruction of a 4 KiB page, the instructions reachable through
 * fall-through and direct branches inside the page, split into blocks, with
 * the per-entry tables that let compiled code start at any instruction of a
 * block and still charge exactly what the interpreter would.
 *
 * Accounting: a block's cycles and instruction count are added at its end;
 * entering at the i-th instruction of a block first subtracts what the
 * block's first i instructions would have added (pre), so the adds at the
 * end come out right. A block runs only if its last instruction starts below
 * the budget (need = the cost of all but the last), which is exactly when
 * the interpreter would run all of it; otherwise the interpreter runs it.
 */
import { COST_TABLE, OP, OPCODE_BY_NUMBER, type OpInfo } from '../../isa/opcodes.ts';
import { NUM_CSRS } from '../../isa/csrs.ts';
import { PLAIN_CSR_WRITES } from './trap.ts';

/** At most this many instructions per region: V8 stops optimizing functions above ~60 KB of bytecode. */
export const MAX_REGION = 96;
export const PAGE_WORDS = 1024;

/** How compiled code treats an instruction. */
export type Kind = 'plain' | 'branch' | 'jal' | 'jalr' | 'exit';

export function kindOf(info: OpInfo | undefined): Kind {
  if (!info || info.group === 'privileged' || info.group === 'trap') return 'exit';
  if (info.group === 'branch') return 'branch';
  if (info.mnemonic === 'jal') return 'jal';
  if (info.mnemonic === 'jalr') return 'jalr';
  return 'plain';
}

/** Instruction index a direct branch or jal at index i targets (may lie outside the page). */
export function targetOf(w: number, i: number): number {
  const k = kindOf(OPCODE_BY_NUMBER[w & 0xff]);
  return k === 'jal' ? i + (w >> 12) : i + (w >> 16);
}

export interface Block {
  start: number;
  /** Instruction indices, consecutive. */
  insns: number[];
  /** Cycles and instructions of the whole block. */
  cost: number;
  /** Cost of all but the last instruction: the block runs if cyc + need < budget. */
  need: number;
  /** The block's last instruction, a branch or jal, goes back to its start: emitted as a JS loop. */
  selfLoop: boolean;
  /** The block is one instruction the interpreter always runs (privileged, trap, unassigned). */
  exit: boolean;
}

export interface Region {
  blocks: Block[];
  /** Per instruction index: 1 if compiled code can be entered there (a block start), 2 if the interpreter runs it (inside a block, or an exit block), else 0. */
  entry: Uint8Array;
  /** Per instruction index: cycles * 256 + instructions of the block before it. */
  pre: Int32Array;
  /** Per instruction index: its block's need. */
  need: Int32Array;
  /** Registers read or written (bit per register). */
  used: number;
  written: number;
}

/**
 * A CSR instruction compiled kernel code runs inline (emit.ts): a read of any
 * CSR, a write to one of PLAIN_CSR_WRITES (trap.ts). One LHP run at 1 us
 * rounds ended a region at every csrr of VCPUID (a third of its interpreter calls; bench/measure.ts
 * lhp-jit, counted), and at the trap path's EPC and SCRATCH accesses.
 */
export function inlineCsr(w: number): boolean {
  const op = w & 0xff;
  const n = w >>> 16;
  return n < NUM_CSRS && (op === OP.csrr || ((op === OP.csrw || op === OP.csrrw) && PLAIN_CSR_WRITES.has(n)));
}

const kindAt = (words: Int32Array, i: number, kernel: boolean): Kind => (kernel && inlineCsr(words[i]) ? 'plain' : kindOf(OPCODE_BY_NUMBER[words[i] & 0xff]));
const inPage = (i: number): boolean => i >= 0 && i < PAGE_WORDS;

/** Instruction indices reachable from entry, and the ones that must start a block. */
function reach(words: Int32Array, entry: number, kernel: boolean): { seen: Uint8Array; starts: Uint8Array } {
  const seen = new Uint8Array(PAGE_WORDS);
  const starts = new Uint8Array(PAGE_WORDS);
  const work = [entry];
  let count = 0;
  starts[entry] = 1;
  while (work.length > 0 && count < MAX_REGION) {
    let i = work.pop()!;
    while (inPage(i) && seen[i] === 0 && count < MAX_REGION) {
      seen[i] = 1;
      count++;
      const k = kindAt(words, i, kernel);
      if (k === 'plain') { i++; continue; }
      if (k === 'exit') starts[i] = 1;
      // An unassigned opcode traps and never falls through: nothing after it is reached from here.
      if (OPCODE_BY_NUMBER[words[i] & 0xff] === undefined) break;
      if (k === 'branch' || k === 'jal') {
        const t = targetOf(words[i], i);
        if (inPage(t)) { starts[t] = 1; work.push(t); }
      }
      // The instruction after a jump starts a block (a call's return site), and so does the one
      // after a backward branch (the branch then ends its block, a loop). After a forward
      // branch the block goes on, unless something jumps there: the branch is an early way out.
      const backward = k === 'branch' && targetOf(words[i], i) <= i;
      if (inPage(i + 1) && (k !== 'branch' || backward)) { starts[i + 1] = 1; if (k !== 'branch') work.push(i + 1); }
      if (k !== 'branch') break;
      i++;
    }
  }
  return { seen, starts };
}

function makeBlock(words: Int32Array, insns: number[], kernel: boolean): Block {
  const costs = insns.map((i) => COST_TABLE[words[i] & 0xff]);
  const cost = costs.reduce((a, b) => a + b, 0);
  const last = insns[insns.length - 1];
  const k = kindAt(words, last, kernel);
  return {
    start: insns[0], insns, cost, need: cost - costs[costs.length - 1],
    selfLoop: (k === 'branch' || k === 'jal') && targetOf(words[last], last) === insns[0],
    exit: k === 'exit',
  };
}

/** Split the reachable instructions into blocks, in address order. */
function split(words: Int32Array, seen: Uint8Array, starts: Uint8Array, kernel: boolean): Block[] {
  const blocks: Block[] = [];
  let cur: number[] = [];
  for (let i = 0; i <= PAGE_WORDS; i++) {
    const ends = i === PAGE_WORDS || seen[i] === 0 || starts[i] === 1;
    if (ends && cur.length > 0) { blocks.push(makeBlock(words, cur, kernel)); cur = []; }
    if (i < PAGE_WORDS && seen[i] === 1) cur.push(i);
  }
  return blocks;
}

/** Register bits an instruction word names in its A, B and C fields. */
function regBits(w: number): number {
  return (1 << ((w >>> 8) & 15)) | (1 << ((w >>> 12) & 15)) | (1 << ((w >>> 16) & 15));
}

/** The region entered at instruction index `entry` of a page whose words are given, in one mode. */
export function discoverRegion(words: Int32Array, entry: number, kernel: boolean): Region {
  const { seen, starts } = reach(words, entry, kernel);
  const blocks = split(words, seen, starts, kernel);
  const entryAt = new Uint8Array(PAGE_WORDS);
  const pre = new Int32Array(PAGE_WORDS);
  const need = new Int32Array(PAGE_WORDS);
  let used = 0;
  for (const b of blocks) {
    let cyc = 0;
    b.insns.forEach((i, n) => {
      // Entries only at block starts: a case label inside a block is a merge of
      // every live register, and TurboFan's compile time grows with them far
      // faster than the code. The interpreter steps to the next block start.
      // An exit block is the interpreter's too: entering compiled code there
      // would only leave it again (a region call for nothing per hypercall).
      entryAt[i] = n === 0 && !b.exit ? 1 : 2;
      pre[i] = cyc * 256 + n;
      need[i] = b.need;
      cyc += COST_TABLE[words[i] & 0xff];
      used |= regBits(words[i]);
    });
  }
  used &= ~1;
  return { blocks, entry: entryAt, pre, need, used, written: used };
}
