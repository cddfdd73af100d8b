/**
 * Bare-metal execution: one VM, one VCPU starting in kernel mode at the
 * image's entry, no guest kernel. This is what `paravm run` does; the
 * multi-VM hypervisor of later issues builds on the same pieces (Vcpu,
 * run(), dispatchHypercall).
 *
 * Virtual time is the VCPU's cycles plus time spent idle in wfi waiting for
 * the timer (the clock jumps to the deadline: nobody else runs).
 */
import type { Image } from '../isa/image.ts';
import { IRQ } from '../isa/traps.ts';
import { DEFAULT_MEMORY_BYTES, KERNEL_BASE } from '../isa/memory.ts';
import { REG } from '../isa/registers.ts';
import { GuestMemory } from './cpu/memory.ts';
import { F, S, Vcpu } from './cpu/state.ts';
import { run } from './cpu/interp.ts';
import { Exit } from './cpu/exits.ts';
import { dispatchHypercall, type HcMachine } from './hypercalls.ts';
import { loadImage } from './loader.ts';
import { hypercallArgs, traceHypercall, traceStep } from './trace.ts';

export interface BareMetalOptions {
  memoryBytes?: number;
  /** Stop after this many instructions (exact). */
  maxInstructions?: number;
  /** Console bytes as the guest writes them. */
  onConsole?: (bytes: Uint8Array) => void;
  /** When given, execute one instruction at a time and report each. */
  onTrace?: (line: string) => void;
}

export type StopReason = 'shutdown' | 'fault' | 'limit' | 'halted';

export interface Fault {
  cause: number;
  pc: number;
  addr: number;
}

export interface BareMetalResult {
  reason: StopReason;
  exitCode: number;
  fault?: Fault;
  instructions: number;
  cycles: number;
  virtualTime: number;
  wallMs: number;
  cpu: Vcpu;
}

const CHUNK = 1 << 22;

class Machine implements HcMachine {
  time = 0;
  timer = 0;
  stopped: { code: number } | undefined;
  constructor(private readonly onConsole: (b: Uint8Array) => void) {}
  consoleWrite(_: Vcpu, bytes: Uint8Array): void { this.onConsole(bytes); }
  shutdown(_: Vcpu, code: number): void { this.stopped = { code }; }
  vcpuCount(): number { return 1; }
  now(): number { return this.time; }
  setTimer(_: Vcpu, deadline: number): void { this.timer = deadline; }
}

export function createVcpu(img: Image, memoryBytes = DEFAULT_MEMORY_BYTES): Vcpu {
  const mem = new GuestMemory(memoryBytes);
  loadImage(mem, img);
  const cpu = new Vcpu(mem, 0);
  cpu.pc = img.entry;
  // Convenience for bare-metal programs: the stack starts at the top of memory.
  cpu.setReg(REG.sp!, (KERNEL_BASE + memoryBytes) | 0);
  return cpu;
}

/** Cycles the next run() may take: up to the timer deadline and the instruction limit. */
function budgetFor(m: Machine, cpu: Vcpu, limit: number): number {
  let b = CHUNK;
  if (m.timer > 0) b = Math.min(b, Math.max(1, m.timer - m.time));
  return Math.min(b, limit - cpu.instret);
}

/** Raise the timer line when its deadline has passed. */
function fireTimer(m: Machine, cpu: Vcpu): void {
  if (m.timer > 0 && m.time >= m.timer) {
    m.timer = 0;
    cpu.raiseIrq(IRQ.TIMER!);
  }
}

export function runBareMetal(img: Image, opts: BareMetalOptions = {}): BareMetalResult {
  const cpu = createVcpu(img, opts.memoryBytes);
  const m = new Machine(opts.onConsole ?? (() => {}));
  const limit = opts.maxInstructions ?? Infinity;
  const t0 = performance.now();
  let reason: StopReason | undefined;
  while (!reason) {
    if (cpu.instret >= limit) { reason = 'limit'; break; }
    fireTimer(m, cpu);
    cpu.f64[F.TIME] = m.time;
    const exit = opts.onTrace ? traceStep(cpu, img, opts.onTrace) : run(cpu, budgetFor(m, cpu, limit));
    m.time += cpu.f64[F.RAN]!;
    if (exit === Exit.HCALL) {
      const number = cpu.reg(REG.a0!);
      const args = hypercallArgs(cpu);
      dispatchHypercall(cpu, m);
      if (opts.onTrace) traceHypercall(cpu, number, args, !m.stopped, opts.onTrace);
      if (m.stopped) reason = 'shutdown';
    } else if (exit === Exit.FAULT) reason = 'fault';
    else if (exit === Exit.WFI && !cpu.wakeable) {
      if (m.timer === 0) reason = 'halted';
      else m.time = Math.max(m.time, m.timer);
    }
  }
  const fault = reason === 'fault' ? { cause: cpu.st[S.FAULT_CAUSE]!, pc: cpu.st[S.FAULT_PC]! >>> 0, addr: cpu.st[S.FAULT_ADDR]! >>> 0 } : undefined;
  return {
    reason, exitCode: m.stopped?.code ?? 0, fault, instructions: cpu.instret, cycles: cpu.cycles,
    virtualTime: m.time, wallMs: performance.now() - t0, cpu,
  };
}
