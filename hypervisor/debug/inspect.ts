/**
 * What the debugger shows of a stopped machine: registers, CSRs, memory,
 * the TLB, scheduler state, disassembly with source lines, and a backtrace
 * found by prologue analysis (the calling convention of isa/registers.ts:
 * `call` leaves the return address in ra; a function that calls others moves
 * sp down with `addi sp, sp, -N` and saves ra with `sw ra, K(sp)`). Reads only:
 * nothing here may change the machine, or replays would differ.
 */
import { decode } from '../../isa/encoding.ts';
import { CSRS } from '../../isa/csrs.ts';
import { REG, regName, NUM_REGS } from '../../isa/registers.ts';
import { disassembleWord } from '../../isa/disasm.ts';
import { describeAddress, nearestSymbol, sourceOf, type Image } from '../../isa/image.ts';
import { S, walk, ACCESS_READ, TLB_ENTRIES, TLB_TABLE_INTS, tlbTable } from '../cpu/index.ts';
import { peekWord } from '../observe/index.ts';
import { VSTATE_NAMES, type Vcpu } from '../vcpu.ts';
import type { Pcpu } from '../pcpu.ts';
import { DebugError } from './points.ts';

export const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** Host address of the byte at va as v sees it, or undefined when unmapped. */
export function hostAddress(v: Vcpu, va: number): number | undefined {
  const page = walk(v.cpu, va, ACCESS_READ, v.cpu.kernelMode);
  return page < 0 ? undefined : page + (va & 4095);
}

/** The size-byte value at va, or undefined. */
export function readVirtual(v: Vcpu, va: number, size: number): number | undefined {
  const a = hostAddress(v, va);
  if (a === undefined) return undefined;
  const m = v.cpu.mem;
  return size === 4 ? m.i32[a >>> 2]! : size === 2 ? m.u16[a >>> 1]! : m.u8[a]!;
}

export function readHost(v: Vcpu, host: number, size: number): number {
  const m = v.cpu.mem;
  return size === 4 ? m.i32[host >>> 2]! : size === 2 ? m.u16[host >>> 1]! : m.u8[host]!;
}

export function formatRegs(v: Vcpu): string {
  const rows: string[] = [];
  for (let i = 0; i < NUM_REGS; i += 4) {
    rows.push([i, i + 1, i + 2, i + 3].map((r) => `${regName(r).padStart(4)} ${hex(v.cpu.reg(r))}`).join('  '));
  }
  rows.push(`  pc ${hex(v.cpu.pc)}  mode ${v.cpu.kernelMode ? 'kernel' : 'user'}  instret ${v.cpu.instret}  cycles ${v.cpu.cycles}`);
  return rows.join('\n');
}

export function formatCsrs(v: Vcpu): string {
  return CSRS.map((c) => `${c.name.padEnd(8)} ${hex(v.cpu.st[S.CSR_BASE + c.number]!)}`).join('\n');
}

/** x/N[bhw] ADDR: rows of four values, each row labelled with its address and symbol. */
export function examine(v: Vcpu, va: number, count: number, size: number): string {
  if (count < 1 || count > 4096) throw new DebugError('count must be 1..4096');
  const rows: string[] = [];
  for (let i = 0; i < count; i += 4) {
    const base = (va + i * size) | 0;
    const cells: string[] = [];
    for (let j = i; j < Math.min(count, i + 4); j++) {
      const x = readVirtual(v, (va + j * size) | 0, size);
      cells.push(x === undefined ? '(unmapped)' : `0x${(x >>> 0).toString(16).padStart(size * 2, '0')}`);
    }
    rows.push(`${describeAddress(v.vm.image, base).split(' at ')[0]}:  ${cells.join(' ')}`);
  }
  return rows.join('\n');
}

/** The TLB's valid entries, table by table (kernel/user x read/write/exec). */
export function formatTlb(v: Vcpu): string {
  const rows: string[] = [];
  for (const kernel of [true, false]) {
    for (const [access, name] of ['read', 'write', 'exec'].entries()) {
      const t = tlbTable(kernel, access as 0 | 1 | 2);
      for (let i = 0; i < TLB_ENTRIES; i++) {
        const tag = v.cpu.tlb[t + 2 * i]!;
        if (tag !== -1) rows.push(`${kernel ? 'kernel' : 'user  '} ${name.padEnd(5)} va ${hex(tag & -4096)} -> host ${hex(v.cpu.tlb[t + 2 * i + 1]!)}`);
      }
    }
  }
  return rows.length ? rows.join('\n') : `TLB empty (${TLB_TABLE_INTS / 2} entries per table)`;
}

export function formatSched(v: Vcpu, pcpus: readonly Pcpu[], now: number): string {
  const p = pcpus[v.pcpu];
  const spans = VSTATE_NAMES.map((n, s) => `${n} ${v.timeIn(s as 0, now)}`).join(', ');
  return [
    `${v.name}: ${VSTATE_NAMES[v.state]}${v.blockReason ? ` (${v.blockReason})` : ''} on pcpu ${v.pcpu}${v.pin !== null ? ` (pinned ${v.pin})` : ''}, since cycle ${v.since}`,
    `  cycles in each state: ${spans}`,
    `  switches ${v.switches}  preemptions ${v.preemptions}  migrations ${v.migrations}  yields ${v.yields}  wakeups ${v.wakeups}  hypercalls ${v.hypercalls}  irqs ${v.irqs}`,
    p ? `  pcpu ${p.id}: clock ${p.time}, running ${p.current?.name ?? 'nothing'}, slice ends ${p.sliceEnd}, ${p.queue.length} queued` : '  (not placed on a pcpu yet)',
  ].join('\n');
}

/** One instruction: marker, address and symbol, disassembly, source line. */
export function instructionLine(v: Vcpu, addr: number, mark = '  '): string {
  const img = v.vm.image;
  const w = peekWord(v.cpu, addr);
  const sym = img ? nearestSymbol(img, addr) : undefined;
  const where = sym ? ` <${sym.name}${sym.offset ? `+${sym.offset}` : ''}>` : '';
  const dis = w === undefined ? '(unreadable)' : disassembleWord(w >>> 0, addr >>> 0, (a) => exactSymbol(img, a));
  const src = img ? sourceOf(img, addr) : undefined;
  return `${mark}${hex(addr)}${where}  ${dis}${src ? `    ; ${src.file}:${src.line}` : ''}`;
}

function exactSymbol(img: Image | undefined, a: number): string | undefined {
  const s = img ? nearestSymbol(img, a) : undefined;
  return s && s.offset === 0 ? s.name : undefined;
}

/** `before` instructions above pc and `after` below, pc marked with =>. */
export function disassembleAround(v: Vcpu, pc: number, before: number, after: number): string {
  const rows: string[] = [];
  for (let i = -before; i <= after; i++) rows.push(instructionLine(v, (pc + 4 * i) | 0, i === 0 ? '=> ' : '   '));
  return rows.join('\n');
}

interface Frame { pc: number; sp: number; ra: number | undefined }

/** Scan back from pc to the prologue: the frame size and where ra was saved (undefined: still in ra). */
function prologue(v: Vcpu, pc: number): { size: number; raAt: number | undefined } {
  let raAt: number | undefined;
  for (let a = (pc - 4) | 0, n = 0; n < 256; a = (a - 4) | 0, n++) {
    const w = peekWord(v.cpu, a);
    const d = w === undefined ? undefined : decode(w);
    if (!d) break;
    const [o0, o1, o2] = d.operands;
    const m = d.info.mnemonic;
    if (m === 'jalr' && o0?.reg === 0 && o1?.reg === REG.ra) break; // the previous function's ret
    if (m === 'sw' && o0?.reg === REG.ra && o1?.reg === REG.sp) raAt = o1.imm ?? 0;
    if (m === 'addi' && o0?.reg === REG.sp && o1?.reg === REG.sp) {
      const imm = o2?.imm ?? 0;
      return imm < 0 ? { size: -imm, raAt } : { size: 0, raAt: undefined }; // after an epilogue the frame is gone
    }
  }
  return { size: 0, raAt };
}

/** Frames from the innermost out, as far as saved return addresses lead (at most 64). */
export function backtrace(v: Vcpu): string {
  const frames: Frame[] = [{ pc: v.cpu.pc, sp: v.cpu.reg(REG.sp), ra: v.cpu.reg(REG.ra) }];
  while (frames.length < 64) {
    const f = frames[frames.length - 1]!;
    const { size, raAt } = prologue(v, f.pc);
    const ra = raAt !== undefined ? readVirtual(v, (f.sp + raAt) | 0, 4) : frames.length === 1 ? f.ra : undefined;
    if (ra === undefined || ra === 0 || (ra & 3) !== 0 || !v.vm.image || !nearestSymbol(v.vm.image, ra)) break;
    frames.push({ pc: (ra - 4) | 0, sp: (f.sp + size) | 0, ra: undefined });
  }
  return frames.map((f, i) => `#${i}  ${describeAddress(v.vm.image, f.pc)}  sp=${hex(f.sp)}`).join('\n');
}
