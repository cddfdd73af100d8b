/**
 * Instruction tracing for `paravm run --itrace`: execute exactly one
 * instruction (run() with a budget of one cycle; every instruction costs at
 * least one) and describe it in one line:
 *
 *   <n> <pc> <word> <disassembly> [; effects]
 *
 * effects: `rd=0x...` for the register the instruction writes (and any
 * other register that changed), `[addr]->0x...` for a load, `[addr]<-0x...`
 * for a store or atomic, `trap CAUSE badaddr=0x...` when it trapped, and
 * `-> target` when control did not fall through. An interrupt gets a line
 * of its own, and so does a hypercall's result (see traceHypercall).
 */
import { decode, type Decoded } from '../../isa/encoding.ts';
import { FORMATS } from '../../isa/formats.ts';
import { NUM_REGS, REG, regName } from '../../isa/registers.ts';
import { causeName } from '../../isa/traps.ts';
import { HYPERCALLS } from '../../isa/hypercalls.ts';
import { describeAddress, nearestSymbol, type Image } from '../../isa/image.ts';
import { disassembleWord } from '../../isa/disasm.ts';
import { run, Exit, type ExitCode, F, S, type CpuState, walk, checkInterrupts, ACCESS_EXEC, ACCESS_READ } from '../cpu/index.ts';

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const BLANK = ' '.repeat(8);

export function peekWord(cpu: CpuState, va: number): number | undefined {
  const page = walk(cpu, va & ~3, ACCESS_EXEC, cpu.kernelMode);
  return page < 0 ? undefined : cpu.mem.i32[(page + (va & 4092)) >>> 2];
}

export interface MemoryAccess { addr: number; size: number; store: boolean }

/** What the instruction will touch, computed from the state before it runs. */
export function accessOf(cpu: CpuState, d: Decoded | undefined): MemoryAccess | undefined {
  if (!d || d.info.bytes === 0) return undefined;
  // Loads and stores take imm(rs1) as their second operand; atomics take (rs1) as their third.
  const m = d.info.group === 'atomic' ? d.operands[2]! : d.operands[1]!;
  return { addr: (cpu.reg(m.reg!) + (m.imm ?? 0)) | 0, size: d.info.bytes, store: d.info.group !== 'load' };
}

/** The register a format writes (its first operand when that is rd), or undefined. */
function destination(d: Decoded | undefined): number | undefined {
  if (!d || FORMATS[d.info.format].operands[0]?.role !== 'rd') return undefined;
  const rd = d.operands[0]!.reg!;
  return rd === 0 ? undefined : rd;
}

function readSized(cpu: CpuState, va: number, size: number): string {
  const page = walk(cpu, va, ACCESS_READ, cpu.kernelMode);
  if (page < 0) return '?';
  const pa = page + (va & 4095);
  const v = size === 4 ? cpu.mem.i32[pa >>> 2]! : size === 2 ? cpu.mem.u16[pa >>> 1]! : cpu.mem.u8[pa]!;
  return `0x${(v >>> 0).toString(16)}`;
}

function registerEffects(cpu: CpuState, before: readonly number[], rd: number | undefined): string[] {
  const out: string[] = [];
  for (let i = 1; i < NUM_REGS; i++) {
    if (i === rd || cpu.st[i] !== before[i]) out.push(`${regName(i)}=${hex(cpu.st[i]!)}`);
  }
  return out;
}

function trapEffect(cpu: CpuState, exit: ExitCode): string {
  const fatal = exit === Exit.FAULT;
  const cause = fatal ? cpu.st[S.FAULT_CAUSE]! : cpu.st[S.CAUSE]!;
  const addr = fatal ? cpu.st[S.FAULT_ADDR]! : cpu.st[S.BADADDR]!;
  return `trap ${causeName(cause)} badaddr=${hex(addr)}${fatal ? ' (no handler)' : ''}`;
}

/** Take a pending interrupt, if one is deliverable, and report it on its own line. */
function traceInterrupt(cpu: CpuState, img: Image | undefined, out: (line: string) => void): boolean {
  const pc = cpu.st[S.PC]!;
  if (!checkInterrupts(cpu)) return false;
  out(`${BLANK}  ${hex(pc).slice(2)}  interrupt: ${causeName(cpu.st[S.CAUSE]!)} -> ${describeAddress(img, cpu.st[S.PC]!)}`);
  cpu.f64[F.RAN] = 0;
  return true;
}

export function traceStep(cpu: CpuState, img: Image | undefined, out: (line: string) => void): ExitCode {
  if (traceInterrupt(cpu, img, out)) return Exit.BUDGET;
  const pc = cpu.st[S.PC]!;
  const before = Array.from(cpu.st.subarray(0, NUM_REGS));
  const traps = cpu.st[S.TRAPS]!;
  const word = peekWord(cpu, pc);
  const d = word === undefined ? undefined : decode(word);
  const access = accessOf(cpu, d);
  const n = cpu.instret;
  const exit = run(cpu, 1);
  const trapped = cpu.st[S.TRAPS] !== traps;
  const effects = registerEffects(cpu, before, trapped ? undefined : destination(d));
  if (access && !trapped) effects.push(`[${hex(access.addr)}]${access.store ? '<-' : '->'}${readSized(cpu, access.addr, access.size)}`);
  if (trapped) effects.push(trapEffect(cpu, exit));
  const next = cpu.st[S.PC]!;
  if (next !== ((pc + 4) | 0) && exit !== Exit.FAULT) effects.push(`-> ${describeAddress(img, next)}`);
  const dis = word === undefined ? '(unreadable)' : disassembleWord(word >>> 0, pc >>> 0, (a) => (img ? symbolExactly(img, a) : undefined));
  const count = cpu.instret > n ? String(n + 1).padStart(8) : BLANK;
  const raw = word === undefined ? '????????' : hex(word).slice(2);
  out(`${count}  ${hex(pc).slice(2)}  ${raw}  ${dis.padEnd(28)}${effects.length ? ` ; ${effects.join(' ')}` : ''}`.trimEnd());
  return exit;
}

/** Argument registers of a hypercall, read before the hypervisor handles it. */
export function hypercallArgs(cpu: CpuState): number[] {
  return [REG.a1, REG.a2, REG.a3, REG.a4, REG.a5].map((r) => cpu.reg(r));
}

/**
 * The line after an hcall, once the hypervisor has handled it:
 * `hcall NAME(args) -> result`, arguments as many as the table lists.
 */
export function traceHypercall(cpu: CpuState, number: number, args: readonly number[], returned: boolean, out: (line: string) => void): void {
  const info = HYPERCALLS.find((h) => h.number === number);
  const shown = args.slice(0, info?.args.length ?? 0).map((v) => `0x${(v >>> 0).toString(16)}`).join(', ');
  const result = returned ? ` -> a0=${hex(cpu.reg(REG.a0))}` : '';
  out(`${' '.repeat(30)}hcall ${info?.name ?? `#${number} (unknown)`}(${shown})${result}`);
}

function symbolExactly(img: Image, addr: number): string | undefined {
  const s = nearestSymbol(img, addr);
  return s && s.offset === 0 ? s.name : undefined;
}
