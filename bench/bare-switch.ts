/**
 * A bare switch-dispatch loop over the same image, for comparison only: no
 * MMU (addresses masked into memory), no privilege or interrupt checks, no
 * cycle accounting, only the opcodes the bench kernels use. Its cases are
 * generated from isa/opcodes.ts so that they are numeric literals (which V8
 * turns into a jump table) without repeating an opcode number here.
 *
 * It runs in slices of SLICE instructions, returning between them, as the
 * interpreter runs in budgets: a function that is entered once and loops
 * for a whole guest run is only ever optimized on-stack (OSR), and V8's OSR
 * code for such a loop can run far slower than the function compiled as a
 * whole, which made the baseline slower than the interpreter it measures.
 */
import { OP } from '../isa/opcodes.ts';
import { KERNEL_BASE } from '../isa/memory.ts';
import type { Image } from '../isa/image.ts';

const RD = 'r[(w >>> 8) & 15]';
const RS1 = 'r[(w >>> 12) & 15]';
const RS2 = 'r[(w >>> 16) & 15]';
const EA = `((${RS1} + (w >> 16)) & MASK)`;
const BR = 'pc = (pc + ((w >> 16) << 2)) | 0; continue;';

const CASES: Record<string, string> = {
  add: `${RD} = (${RS1} + ${RS2}) | 0; break;`,
  addi: `${RD} = (${RS1} + (w >> 16)) | 0; break;`,
  ori: `${RD} = ${RS1} | (w >>> 16); break;`,
  lui: `${RD} = w & -65536; break;`,
  lw: `${RD} = m32[${EA} >> 2]; break;`,
  sw: `m32[${EA} >> 2] = ${RD}; break;`,
  lbu: `${RD} = m8[${EA}]; break;`,
  sb: `m8[${EA}] = ${RD}; break;`,
  beq: `if (${RD} === ${RS1}) { ${BR} } break;`,
  bne: `if (${RD} !== ${RS1}) { ${BR} } break;`,
  blt: `if (${RD} < ${RS1}) { ${BR} } break;`,
  bge: `if (${RD} >= ${RS1}) { ${BR} } break;`,
  jal: `${RD} = pc + 4 | 0; pc = (pc + ((w >> 12) << 2)) | 0; r[0] = 0; continue;`,
  jalr: `{ const t = (${RS1} + (w >> 16)) | 0; ${RD} = pc + 4 | 0; pc = t; r[0] = 0; continue; }`,
};

/** Instructions per call of the loop: as many as the bench's interpreter budget rounds to, in spirit (a call is long, but returns). */
const SLICE = 1 << 16;

/** st[0] is the pc, carried between slices; the loop returns the instructions it ran, negated when it reached the hcall. */
function source(): string {
  const cases = Object.entries(CASES).map(([m, body]) => `case ${OP[m]}: ${body}`).join('\n');
  const hcall = `case ${OP.hcall}: st[0] = pc; return -n;`;
  return `const m8 = new Uint8Array(m32.buffer); const MASK = m8.length - 1; let pc = st[0]; let n = 0;
for (;;) { if (n === ${SLICE}) { st[0] = pc; return n; } const w = m32[(pc & MASK) >> 2]; n++;
switch (w & 255) {\n${cases}\n${hcall}\ndefault: throw new Error('bare switch: unsupported opcode ' + (w & 255)); }
pc = (pc + 4) | 0; }`;
}

const loop = new Function('m32', 'r', 'st', source()) as (m32: Int32Array, r: Int32Array, st: Int32Array) => number;

/** Run an image to its hcall in a fresh 2 MiB memory; returns instructions executed. */
export function bareSwitchRun(img: Image): number {
  const m32 = new Int32Array(1 << 19);
  const m8 = new Uint8Array(m32.buffer);
  for (const s of img.segments) m8.set(s.data, (s.vaddr >>> 0) - KERNEL_BASE);
  const r = new Int32Array(16);
  r[2] = m8.length - 16;
  const st = Int32Array.of((img.entry >>> 0) - KERNEL_BASE);
  let total = 0;
  for (;;) {
    const n = loop(m32, r, st);
    if (n < 0) return total - n;
    total += n;
  }
}
