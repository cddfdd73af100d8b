/**
 * Instruction tracing for `paravm run --trace`: execute exactly one
 * instruction (run() with a budget of one cycle; every instruction costs at
 * least one) and describe it in one line:
 *
 *   <n> <pc> <word> <disassembly> [; effects]
 *
 * effects: `rd=0x...` for each register written, `[addr]->0x...` for a
 * load, `[addr]<-0x...` for a store or atomic, `trap CAUSE (badaddr=...)` or
 * `interrupt LINE` when one was taken, `-> 0x...` when the pc went anywhere
 * but the next instruction.
 */
import { decode } from '../isa/encoding.ts';
import { regName } from '../isa/registers.ts';
import { causeName } from '../isa/traps.ts';
import { describeAddress, type Image } from '../isa/image.ts';
import { disassembleWord } from '../assembler/disasm.ts';
import { nearestSymbol } from '../isa/image.ts';
import { run } from './cpu/interp.ts';
import { Exit, type ExitCode } from './cpu/exits.ts';
import { F, S, type Vcpu } from './cpu/state.ts';
import { checkInterrupts } from './cpu/trap.ts';
import { walk } from './cpu/mmu.ts';

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

function peekWord(cpu: Vcpu, va: number): number | undefined {
  const page = walk(cpu, va & ~3, 2, cpu.kernelMode);
  return page < 0 ? undefined : cpu.mem.i32[(page + (va & 4092)) >>> 2];
}

function effectiveAddress(cpu: Vcpu, word: number): { addr: number; size: number; store: boolean } | undefined {
  const d = decode(word);
  if (!d) return undefined;
  const { group, bytes } = d.info;
  if (bytes === 0) return undefined;
  // Loads and stores take imm(rs1) as their second operand; atomics take (rs1) as their third.
  const m = group === 'atomic' ? d.operands[2]! : d.operands[1]!;
  return { addr: (cpu.reg(m.reg!) + (m.imm ?? 0)) | 0, size: bytes, store: group !== 'load' };
}

function readSized(cpu: Vcpu, va: number, size: number): string {
  const page = walk(cpu, va, 0, cpu.kernelMode);
  if (page < 0) return '?';
  const pa = page + (va & 4095);
  const v = size === 4 ? cpu.mem.i32[pa >>> 2]! : size === 2 ? cpu.mem.u16[pa >>> 1]! : cpu.mem.u8[pa]!;
  return `0x${(v >>> 0).toString(16)}`;
}

export function traceStep(cpu: Vcpu, img: Image | undefined, out: (line: string) => void): ExitCode {
  const pc = cpu.st[S.PC]!;
  if (checkInterrupts(cpu)) {
    // Report the interrupt on its own line; the handler's first instruction is the next step.
    out(`${' '.repeat(8)}  ${hex(pc).slice(2)}  interrupt: ${causeName(cpu.st[S.CAUSE]!)} -> ${describeAddress(img, cpu.st[S.PC]!)}`);
    cpu.f64[F.RAN] = 0;
    return Exit.BUDGET;
  }
  const before = Array.from(cpu.st.subarray(0, 16));
  const epcBefore = cpu.st[S.EPC]!;
  const causeBefore = cpu.st[S.CAUSE]!;
  const word = peekWord(cpu, pc);
  const ea = word === undefined ? undefined : effectiveAddress(cpu, word);
  const n = cpu.instret;
  const exit = run(cpu, 1);
  const effects: string[] = [];
  for (let i = 1; i < 16; i++) if (cpu.st[i] !== before[i]) effects.push(`${regName(i)}=${hex(cpu.st[i]!)}`);
  const trapped = cpu.st[S.EPC] !== epcBefore || cpu.st[S.CAUSE] !== causeBefore || exit === Exit.FAULT;
  if (ea && !trapped) effects.push(ea.store ? `[${hex(ea.addr)}]<-${readSized(cpu, ea.addr, ea.size)}` : `[${hex(ea.addr)}]->${readSized(cpu, ea.addr, ea.size)}`);
  const cause = exit === Exit.FAULT ? cpu.st[S.FAULT_CAUSE]! : cpu.st[S.CAUSE]!;
  if (trapped) effects.push(`${causeName(cause).startsWith('interrupt') ? causeName(cause) : `trap ${causeName(cause)}`} badaddr=${hex(exit === Exit.FAULT ? cpu.st[S.FAULT_ADDR]! : cpu.st[S.BADADDR]!)}`);
  const next = cpu.st[S.PC]!;
  if (next !== ((pc + 4) | 0) && exit !== Exit.FAULT) effects.push(`-> ${describeAddress(img, next)}`);
  const dis = word === undefined ? '(unreadable)' : disassembleWord(word >>> 0, pc >>> 0, (a) => (img ? symbolExactly(img, a) : undefined));
  const count = cpu.instret > n ? String(n + 1).padStart(8) : ' '.repeat(8);
  out(`${count}  ${hex(pc).slice(2)}  ${word === undefined ? '????????' : hex(word).slice(2)}  ${dis.padEnd(28)}${effects.length ? ` ; ${effects.join(' ')}` : ''}`.trimEnd());
  return exit;
}

function symbolExactly(img: Image, addr: number): string | undefined {
  const s = nearestSymbol(img, addr);
  return s && s.offset === 0 ? s.name : undefined;
}
