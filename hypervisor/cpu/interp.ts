/**
 * The fast interpreter: run(cpu, budget) executes instructions until the
 * cycle budget is spent or something the hypervisor must see happens, and
 * returns an Exit code. Fetch, decode, execute only: TLB misses, traps, CSR
 * writes, eret and interrupts are calls out of the loop, and every such call
 * leaves the next pc in the state so the loop can resume from there.
 *
 * Case labels are opcode numbers written as literals (with the mnemonic in a
 * comment); test/isa/table.test.ts checks them against isa/opcodes.ts and
 * test/hypervisor/cpu/differential.test.ts checks the semantics against the reference.
 *
 * Cycle costs: the loop charges 1 per instruction and each case whose table
 * cost is higher adds the rest as a literal (`lim -= cost - 1`, lowering the
 * limit the instruction count runs to, so one counter serves both: +10% on
 * the sieve, +4% on count, medians of 11 fresh processes): reading the
 * cost table on every instruction cost ~10% of the sieve's speed. The
 * literals are checked against isa/opcodes.ts by test/hypervisor/cpu/interp.test.ts (cycle
 * totals per opcode) and by the differential test, whose reference
 * interpreter charges straight from the table.
 *
 * Keep this function small: V8 stops optimizing functions above ~60 KB of
 * bytecode. Locals the loop depends on (mode, TLB tables, fetch page) are
 * reloaded at the top of `outer` after every slow event.
 */
import { COST_TABLE } from '../../isa/opcodes.ts';
import { TLB_MISS_COST } from '../../isa/clock.ts';
import { mulh, mulhu } from './alu.ts';
import { CAUSE } from '../../isa/traps.ts';
import { STATUS_BITS } from '../../isa/csrs.ts';
import { Exit, type ExitCode } from './exits.ts';
import { F, S, type CpuState } from './state.ts';
import { fetchSlow, loadSlow, storeSlow } from './mmu.ts';
import { checkInterrupts, csrInstruction, doEret, doTlbFlush, takeTrap } from './trap.ts';
import { ACCESS_EXEC, ACCESS_READ, ACCESS_WRITE, tlbTable } from './tlb.ts';

// Tags are page base addresses, so one mask both extracts the page and keeps
// the low bits that must be zero for an aligned access: a misaligned address
// never matches and falls to the slow path, which raises the trap.
const ALIGN4 = -4096 | 3;
const ALIGN2 = -4096 | 1;
const ALIGN1 = -4096;
const WT = tlbTable(false, ACCESS_WRITE) - tlbTable(false, ACCESS_READ);
const XT = tlbTable(false, ACCESS_EXEC) - tlbTable(false, ACCESS_READ);

const COST = COST_TABLE;
const MISS = TLB_MISS_COST;
const C_DIV0 = CAUSE.DIVIDE_BY_ZERO;
const C_ILLEGAL = CAUSE.ILLEGAL_INSTRUCTION;
const C_PRIV = CAUSE.PRIVILEGED_INSTRUCTION;
const C_SYSCALL = CAUSE.SYSCALL;
const C_BREAK = CAUSE.BREAKPOINT;
const C_MISFETCH = CAUSE.MISALIGNED_FETCH;
const IE = STATUS_BITS.IE;

export function run(cpu: CpuState, budget: number): ExitCode {
  const r = cpu.st;
  const tlb = cpu.tlb;
  // Few locals on purpose: every value live across the switch competes for
  // registers. Rare views and counters are read from cpu in their cases.
  const m32 = cpu.mem.i32;
  const mu8 = cpu.mem.u8;
  const cyc0 = cpu.f64[F.CYCLES]!;
  // One counter per instruction: n counts instructions, and the cycles
  // beyond one per instruction lower the limit instead (cycles = n + budget - lim).
  const top = Math.min(budget, 2 ** 52); // finite, so budget - lim is never Infinity - Infinity
  let lim = top;
  let n = 0;
  let pc = r[S.PC]!;
  r[S.EXIT] = 0;
  outer: for (;;) {
    lim -= r[S.EXTRA_CYCLES]!;
    r[S.EXTRA_CYCLES] = 0;
    if (r[S.EXIT] !== 0) break;
    r[S.PC] = pc;
    if (checkInterrupts(cpu)) {
      pc = r[S.PC]!;
      continue;
    }
    const kmode = (r[S.STATUS]! & STATUS_BITS.KERNEL) !== 0;
    // The write and exec tables follow the read table at fixed offsets (tlb.ts).
    const rt = tlbTable(kmode, ACCESS_READ);
    let fpage = 1; // never equal to a page address: forces a fetch translation
    let fdelta = 0;
    while (n < lim) {
      if ((pc & -4096) !== fpage) {
        const xi = rt + XT + ((pc >>> 11) & 510);
        let pa: number;
        if (tlb[xi] === (pc & ALIGN4)) pa = tlb[xi + 1]!;
        else if ((pa = fetchSlow(cpu, pc)) < 0) { pc = r[S.PC]!; continue outer; } else lim -= MISS;
        fpage = pc & -4096;
        fdelta = ((pa & -4096) - fpage) | 0;
      }
      const w = m32[(pc + fdelta) >> 2]!;
      const op = w & 0xff;
      n++; // every instruction costs at least 1; cases add the rest (see header)
      r[0] = 0;
      switch (op) {
        case 0x01: r[(w >>> 8) & 15] = (r[(w >>> 12) & 15]! + r[(w >>> 16) & 15]!) | 0; break; // add
        case 0x02: r[(w >>> 8) & 15] = (r[(w >>> 12) & 15]! - r[(w >>> 16) & 15]!) | 0; break; // sub
        case 0x03: lim -= 2; r[(w >>> 8) & 15] = Math.imul(r[(w >>> 12) & 15]!, r[(w >>> 16) & 15]!); break; // mul
        case 0x04: lim -= 2; r[(w >>> 8) & 15] = mulh(r[(w >>> 12) & 15]!, r[(w >>> 16) & 15]!); break; // mulh
        case 0x05: lim -= 2; r[(w >>> 8) & 15] = mulhu(r[(w >>> 12) & 15]!, r[(w >>> 16) & 15]!); break; // mulhu
        case 0x06: { // div
          lim -= 19;
          const d = r[(w >>> 16) & 15]!;
          if (d === 0) { takeTrap(cpu, pc, C_DIV0, 0); pc = r[S.PC]!; continue outer; }
          r[(w >>> 8) & 15] = (r[(w >>> 12) & 15]! / d) | 0;
          break;
        }
        case 0x07: { // divu
          lim -= 19;
          const d = r[(w >>> 16) & 15]!;
          if (d === 0) { takeTrap(cpu, pc, C_DIV0, 0); pc = r[S.PC]!; continue outer; }
          r[(w >>> 8) & 15] = ((r[(w >>> 12) & 15]! >>> 0) / (d >>> 0)) | 0;
          break;
        }
        case 0x08: { // rem
          lim -= 19;
          const d = r[(w >>> 16) & 15]!;
          if (d === 0) { takeTrap(cpu, pc, C_DIV0, 0); pc = r[S.PC]!; continue outer; }
          r[(w >>> 8) & 15] = (r[(w >>> 12) & 15]! % d) | 0;
          break;
        }
        case 0x09: { // remu
          lim -= 19;
          const d = r[(w >>> 16) & 15]!;
          if (d === 0) { takeTrap(cpu, pc, C_DIV0, 0); pc = r[S.PC]!; continue outer; }
          r[(w >>> 8) & 15] = ((r[(w >>> 12) & 15]! >>> 0) % (d >>> 0)) | 0;
          break;
        }
        case 0x0a: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! & r[(w >>> 16) & 15]!; break; // and
        case 0x0b: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! | r[(w >>> 16) & 15]!; break; // or
        case 0x0c: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! ^ r[(w >>> 16) & 15]!; break; // xor
        case 0x0d: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! << r[(w >>> 16) & 15]!; break; // sll
        case 0x0e: r[(w >>> 8) & 15] = (r[(w >>> 12) & 15]! >>> r[(w >>> 16) & 15]!) | 0; break; // srl
        case 0x0f: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! >> r[(w >>> 16) & 15]!; break; // sra
        case 0x10: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! < r[(w >>> 16) & 15]! ? 1 : 0; break; // slt
        case 0x11: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! >>> 0 < r[(w >>> 16) & 15]! >>> 0 ? 1 : 0; break; // sltu
        case 0x20: r[(w >>> 8) & 15] = (r[(w >>> 12) & 15]! + (w >> 16)) | 0; break; // addi
        case 0x21: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! & (w >>> 16); break; // andi
        case 0x22: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! | (w >>> 16); break; // ori
        case 0x23: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! ^ (w >>> 16); break; // xori
        case 0x24: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! << (w >>> 16); break; // slli
        case 0x25: r[(w >>> 8) & 15] = (r[(w >>> 12) & 15]! >>> (w >>> 16)) | 0; break; // srli
        case 0x26: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! >> (w >>> 16); break; // srai
        case 0x27: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! < w >> 16 ? 1 : 0; break; // slti
        case 0x28: r[(w >>> 8) & 15] = r[(w >>> 12) & 15]! >>> 0 < (w >> 16) >>> 0 ? 1 : 0; break; // sltiu
        case 0x29: r[(w >>> 8) & 15] = w & -65536; break; // lui
        case 0x30: { // lw
          lim -= 1;
          const a = (r[(w >>> 12) & 15]! + (w >> 16)) | 0;
          const i = rt + ((a >>> 11) & 510);
          let pa: number;
          if (tlb[i] === (a & ALIGN4)) pa = tlb[i + 1]! | (a & 4095);
          else if ((pa = loadSlow(cpu, a, 4, pc)) < 0) { pc = r[S.PC]!; continue outer; } else lim -= MISS;
          r[(w >>> 8) & 15] = m32[pa >> 2]!;
          break;
        }
        case 0x31: case 0x32: { // lh, lhu
          lim -= 1;
          const a = (r[(w >>> 12) & 15]! + (w >> 16)) | 0;
          const i = rt + ((a >>> 11) & 510);
          let pa: number;
          if (tlb[i] === (a & ALIGN2)) pa = tlb[i + 1]! | (a & 4095);
          else if ((pa = loadSlow(cpu, a, 2, pc)) < 0) { pc = r[S.PC]!; continue outer; } else lim -= MISS;
          r[(w >>> 8) & 15] = op === 0x31 ? cpu.mem.i16[pa >> 1]! : cpu.mem.u16[pa >> 1]!;
          break;
        }
        case 0x33: case 0x34: { // lb, lbu
          lim -= 1;
          const a = (r[(w >>> 12) & 15]! + (w >> 16)) | 0;
          const i = rt + ((a >>> 11) & 510);
          let pa: number;
          if (tlb[i] === (a & ALIGN1)) pa = tlb[i + 1]! | (a & 4095);
          else if ((pa = loadSlow(cpu, a, 1, pc)) < 0) { pc = r[S.PC]!; continue outer; } else lim -= MISS;
          r[(w >>> 8) & 15] = op === 0x33 ? (mu8[pa]! << 24) >> 24 : mu8[pa]!;
          break;
        }
        case 0x38: { // sw
          lim -= 1;
          const a = (r[(w >>> 12) & 15]! + (w >> 16)) | 0;
          const i = rt + WT + ((a >>> 11) & 510);
          let pa: number;
          if (tlb[i] === (a & ALIGN4)) pa = tlb[i + 1]! | (a & 4095);
          else if ((pa = storeSlow(cpu, a, 4, pc)) < 0) { pc = r[S.PC]!; continue outer; } else lim -= cpu.missCost;
          m32[pa >> 2] = r[(w >>> 8) & 15]!;
          break;
        }
        case 0x39: { // sh
          lim -= 1;
          const a = (r[(w >>> 12) & 15]! + (w >> 16)) | 0;
          const i = rt + WT + ((a >>> 11) & 510);
          let pa: number;
          if (tlb[i] === (a & ALIGN2)) pa = tlb[i + 1]! | (a & 4095);
          else if ((pa = storeSlow(cpu, a, 2, pc)) < 0) { pc = r[S.PC]!; continue outer; } else lim -= cpu.missCost;
          cpu.mem.i16[pa >> 1] = r[(w >>> 8) & 15]!;
          break;
        }
        case 0x3a: { // sb
          lim -= 1;
          const a = (r[(w >>> 12) & 15]! + (w >> 16)) | 0;
          const i = rt + WT + ((a >>> 11) & 510);
          let pa: number;
          if (tlb[i] === (a & ALIGN1)) pa = tlb[i + 1]! | (a & 4095);
          else if ((pa = storeSlow(cpu, a, 1, pc)) < 0) { pc = r[S.PC]!; continue outer; } else lim -= cpu.missCost;
          mu8[pa] = r[(w >>> 8) & 15]!;
          break;
        }
        case 0x40: if (r[(w >>> 8) & 15] === r[(w >>> 12) & 15]) { pc = (pc + ((w >> 16) << 2)) | 0; continue; } break; // beq
        case 0x41: if (r[(w >>> 8) & 15] !== r[(w >>> 12) & 15]) { pc = (pc + ((w >> 16) << 2)) | 0; continue; } break; // bne
        case 0x42: if (r[(w >>> 8) & 15]! < r[(w >>> 12) & 15]!) { pc = (pc + ((w >> 16) << 2)) | 0; continue; } break; // blt
        case 0x43: if (r[(w >>> 8) & 15]! >= r[(w >>> 12) & 15]!) { pc = (pc + ((w >> 16) << 2)) | 0; continue; } break; // bge
        case 0x44: if (r[(w >>> 8) & 15]! >>> 0 < r[(w >>> 12) & 15]! >>> 0) { pc = (pc + ((w >> 16) << 2)) | 0; continue; } break; // bltu
        case 0x45: if (r[(w >>> 8) & 15]! >>> 0 >= r[(w >>> 12) & 15]! >>> 0) { pc = (pc + ((w >> 16) << 2)) | 0; continue; } break; // bgeu
        case 0x48: lim -= 1; r[(w >>> 8) & 15] = (pc + 4) | 0; pc = (pc + ((w >> 12) << 2)) | 0; continue; // jal
        case 0x49: { // jalr
          lim -= 1;
          const t = (r[(w >>> 12) & 15]! + (w >> 16)) | 0;
          if ((t & 3) !== 0) { takeTrap(cpu, pc, C_MISFETCH, t); pc = r[S.PC]!; continue outer; }
          r[(w >>> 8) & 15] = (pc + 4) | 0;
          pc = t;
          continue;
        }
        case 0x50: case 0x51: case 0x52: { // cas, xchg, xadd
          lim -= 9;
          const a = r[(w >>> 12) & 15]!;
          const i = rt + WT + ((a >>> 11) & 510);
          let pa: number;
          if (tlb[i] === (a & ALIGN4)) pa = tlb[i + 1]! | (a & 4095);
          else if ((pa = storeSlow(cpu, a, 4, pc)) < 0) { pc = r[S.PC]!; continue outer; } else lim -= cpu.missCost;
          const old = m32[pa >> 2]!;
          const src = r[(w >>> 16) & 15]!;
          if (op === 0x51) m32[pa >> 2] = src;
          else if (op === 0x52) m32[pa >> 2] = (old + src) | 0;
          else if (old === r[(w >>> 8) & 15]) m32[pa >> 2] = src;
          r[(w >>> 8) & 15] = old;
          break;
        }
        case 0x53: lim -= 3; break; // fence
        case 0x54: lim -= 9; r[S.PAUSES]++; break; // pause
        case 0x58: r[(w >>> 8) & 15] = cpu.f64[F.TIME]! + (n + top - lim); break; // rdtime
        case 0x59: r[(w >>> 8) & 15] = (cpu.f64[F.TIME]! + (n + top - lim)) / 4294967296; break; // rdtimeh
        case 0x5a: r[(w >>> 8) & 15] = cyc0 + (n + top - lim); break; // rdcycle
        case 0x5b: r[(w >>> 8) & 15] = (cyc0 + (n + top - lim)) / 4294967296; break; // rdcycleh
        case 0x60: lim -= 4; takeTrap(cpu, pc, C_SYSCALL, 0); pc = r[S.PC]!; continue outer; // syscall
        case 0x61: lim -= 4; r[S.PC] = (pc + 4) | 0; r[S.EXIT] = Exit.HCALL; pc = r[S.PC]!; continue outer; // hcall
        case 0x62: lim -= 4; takeTrap(cpu, pc, C_BREAK, 0); pc = r[S.PC]!; continue outer; // break
        case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77: // eret csrr csrw csrrw ei di tlbflush wfi
          lim -= COST[op]! - 1; // rare enough to read the table
          if (!kmode) { takeTrap(cpu, pc, C_PRIV, w); pc = r[S.PC]!; continue outer; }
          r[S.PC] = pc;
          privileged(cpu, w, pc);
          pc = r[S.PC]!;
          continue outer;
        default:
          takeTrap(cpu, pc, C_ILLEGAL, w);
          pc = r[S.PC]!;
          continue outer;
      }
      pc = (pc + 4) | 0;
    }
    r[S.EXIT] = Exit.BUDGET;
  }
  r[0] = 0;
  r[S.PC] = pc;
  const cyc = n + top - lim;
  cpu.f64[F.CYCLES] = cyc0 + cyc;
  cpu.f64[F.INSTRET] += n;
  cpu.f64[F.RAN] = cyc;
  return r[S.EXIT] as ExitCode;
}

/**
 * The privileged instructions, in kernel mode. Rare enough to live out of
 * the loop; each leaves the next pc in S.PC (or a trap's vector). The loop
 * then reloads everything, which is what makes a changed mode, TLB or
 * interrupt enable take effect at the next instruction boundary.
 */
function privileged(cpu: CpuState, w: number, pc: number): void {
  const st = cpu.st;
  const next = (pc + 4) | 0;
  switch (w & 0xff) {
    case 0x70: doEret(cpu, pc); return; // eret
    case 0x71: csrInstruction(cpu, w, pc, true, false); return; // csrr
    case 0x72: csrInstruction(cpu, w, pc, false, true); return; // csrw
    case 0x73: csrInstruction(cpu, w, pc, true, true); return; // csrrw
    case 0x74: st[S.STATUS] |= IE; break; // ei
    case 0x75: st[S.STATUS] &= ~IE; break; // di
    case 0x76: doTlbFlush(cpu, w); break; // tlbflush
    case 0x77: if (!cpu.wakeable) st[S.EXIT] = Exit.WFI; break; // wfi
  }
  st[S.PC] = next;
}
