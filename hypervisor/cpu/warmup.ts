/**
 * A warm-up for the interpreter: V8 compiles run() with TurboFan from the
 * type feedback gathered so far; a case of its switch not yet reached by
 * then has none, becomes a deoptimization point, and throws the optimized
 * code away when first reached. A cold `paravm run` of the sieve measured 6
 * such deoptimizations, one per opcode case reached late.
 *
 * warmUp() runs a small program on a throwaway VCPU and memory that
 * reaches every case and every slow path inside the loop: each opcode, TLB
 * misses of each access kind (a full flush before each), misaligned
 * accesses and jumps, division by zero, syscall, break, an unassigned
 * opcode, csr instructions, eret, the hcall and wfi exits, an interrupt,
 * and calls that end on their budget. Its trap handler steps over the
 * trapping instruction. Nothing it touches is shared with a machine.
 *
 * Machines do not call it: measured over fresh processes (bench/measure.ts,
 * cold-warm against cold-interp), a warmed-up process ran the cold sieve
 * slower, not faster. With feedback for every case and slow path, TurboFan
 * inlines the slow paths and one compilation of run() took 130-520 ms of
 * CPU (--trace-opt), where the deoptimize-and-recompile sequence of a cold
 * process compiles only the cases the program uses. The bench keeps the
 * comparison; the test keeps the coverage.
 */
import { OP } from '../../isa/opcodes.ts';
import { CSR, STATUS_BITS } from '../../isa/csrs.ts';
import { KERNEL_BASE } from '../../isa/memory.ts';
import { Exit } from './exits.ts';
import { run } from './interp.ts';
import { GuestMemory } from './memory.ts';
import { CpuState, S } from './state.ts';

const MEMORY = 16 * 1024;
const DATA = KERNEL_BASE + 0x1000;
const HANDLER = 0x200; // word index of the trap handler
/** run() calls and their budgets: a long one ends at wfi or hcall, a short one (after hcall) on its budget. */
const CALLS = 256;
const BUDGET = 4000;
const SHORT = 100;

/** An instruction word: opcode, fields A and B, and C or a 16-bit immediate. */
const w = (op: number, a = 0, b = 0, imm = 0): number => (op | (a << 8) | (b << 12) | (imm << 16)) | 0;
/** A jal word with a 20-bit offset in words. */
const jal = (rd: number, off: number): number => (OP.jal! | (rd << 8) | (off << 12)) | 0;

const R_OPS = ['add', 'sub', 'mul', 'mulh', 'mulhu', 'div', 'divu', 'rem', 'remu', 'and', 'or', 'xor', 'sll', 'srl', 'sra', 'slt', 'sltu'];
const I_OPS = ['addi', 'andi', 'ori', 'xori', 'slli', 'srli', 'srai', 'slti', 'sltiu', 'lui'];
const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];

/** The loop: r1 = data address, r2 = 3, r3 = 7, r9 = all ones; writes r5..r7 only. */
export function program(): number[] {
  const o = (m: string): number => OP[m]!;
  const p: number[] = [];
  for (const m of R_OPS) p.push(w(o(m), 7, 3, 2));
  for (const m of ['div', 'divu', 'rem', 'remu']) p.push(w(o(m), 7, 3, 0));
  p.push(w(o('lw'), 7, 1, 2), w(o('sw'), 3, 1, 2), w(o('jalr'), 5, 1, 1), w(o('syscall')), w(o('break')), 0xff);
  for (const m of I_OPS) p.push(w(o(m), 7, 3, 3));
  // Each access after a full TLB flush, so each kind also takes its miss path (and the fetch after it too).
  for (const m of ['lw', 'lh', 'lhu', 'lb', 'lbu']) p.push(w(o('tlbflush')), w(o(m), 7, 1, 8));
  for (const m of ['sw', 'sh', 'sb']) p.push(w(o('tlbflush')), w(o(m), 3, 1, 8));
  for (const m of ['cas', 'xchg', 'xadd']) p.push(w(o('tlbflush')), w(o(m), 7, 1, 2));
  for (const m of BRANCHES) p.push(w(o(m), 3, 2, 1), w(o(m), 2, 3, 1)); // taken or not, to the next word
  p.push(jal(6, 1), w(o('jalr'), 5, 6, 4)); // r6 = the jalr's address; it jumps past itself
  for (const m of ['fence', 'pause']) p.push(w(o(m)));
  for (const m of ['rdtime', 'rdtimeh', 'rdcycle', 'rdcycleh']) p.push(w(o(m), 7));
  p.push(w(o('csrr'), 7, 0, CSR.SCRATCH), w(o('csrw'), 0, 3, CSR.SCRATCH), w(o('csrrw'), 7, 3, CSR.SCRATCH));
  p.push(w(o('di')), w(o('ei')), w(o('tlbflush')), w(o('wfi')));
  // hcall exits to the driver, which may raise an interrupt; its handler steps over the fence after it.
  p.push(w(o('hcall')), w(o('fence')));
  p.push(jal(0, -p.length));
  return p;
}

/** The handler: EPC += 4, acknowledge every interrupt line, eret. */
function handler(): number[] {
  return [
    w(OP.csrr!, 8, 0, CSR.EPC), w(OP.addi!, 8, 8, 4), w(OP.csrw!, 0, 8, CSR.EPC),
    w(OP.csrw!, 0, 9, CSR.IPEND), w(OP.eret!),
  ];
}

let warmed = false;

/** Run the warm-up program, once per process (the bench's cold-warm variant). */
export function warmUp(): void {
  if (warmed) return;
  warmed = true;
  warmUpVcpu();
}

/** The warm-up itself, on a new VCPU: what it ran (tests check it reaches everything). */
export function warmUpVcpu(): { cpu: CpuState; exits: Set<number> } {
  const exits = new Set<number>();
  const mem = new GuestMemory(MEMORY);
  mem.i32.set(program(), 0);
  mem.i32.set(handler(), HANDLER);
  const cpu = new CpuState(mem, 0);
  const st = cpu.st;
  st[S.PC] = KERNEL_BASE;
  st[S.TVEC] = KERNEL_BASE + 4 * HANDLER;
  st[S.IMASK] = 1;
  st[S.STATUS] |= STATUS_BITS.IE;
  [st[1], st[2], st[3], st[9]] = [DATA, 3, 7, -1];
  for (let i = 0; i < CALLS; i++) {
    // Every third call ends on its budget, as most calls of a machine do.
    const exit = run(cpu, i % 3 === 0 ? SHORT : BUDGET);
    exits.add(exit);
    if (exit === Exit.HCALL) cpu.raiseIrq(0);
    else if (exit !== Exit.BUDGET && exit !== Exit.WFI) break;
  }
  return { cpu, exits };
}
