/**
 * The messages between the page (main.ts) and the machine's Web Worker
 * (worker.ts). The worker owns the assembler and the machine, so the page's
 * thread only draws: a run of any length never freezes it.
 */
import type { Diagnostic } from '../../../assembler/index.ts';

/** How the program runs: alone on bare metal, in several VMs under the hypervisor, or as a process of the SMP guest kernel. */
export type Mode = 'bare' | 'multi' | 'kernel';

export interface VmShape { vcpus: number; weight: number }

/** The machine: what the URL's share link encodes beside the program. */
export interface MachineShape {
  mode: Mode;
  pcpus: number;
  /** multi: one entry per VM, each running the program; kernel: vms[0].vcpus is the guest's VCPU count. */
  vms: VmShape[];
  /** Virtual time limit in milliseconds (0 = none): multi-VM programs often never stop. */
  timeMs: number;
}

export type ToWorker =
  | { t: 'load'; source: string; file: string; machine: MachineShape; breakpoints: number[] }
  | { t: 'run' }
  | { t: 'pause' }
  | { t: 'step'; count: number }
  | { t: 'breakpoints'; lines: number[] }
  /** mem: where the memory view starts, a hex address or a symbol of the program. */
  | { t: 'view'; vcpu: number; mem: string };

/** One PCPU's run of one VCPU, in virtual cycles (the tracer's pcpuSlice). */
export interface SliceEvent { pcpu: number; vcpu: number; start: number; end: number }

/** A span of one VCPU in one state (the tracer's vcpuSpan; state is a VState: 1 running, 2 runnable, 3 blocked). */
export interface SpanEvent { vcpu: number; state: number; start: number; end: number }

export interface CpuRow { cpu: number; ticks: number; switches: number; threadsRun: number; migrations: number }

export interface MachineState {
  status: 'ready' | 'running' | 'paused' | 'breakpoint' | 'stopped';
  /** Why it stopped (done, time, fault: ..., deadlock) or what paused it. */
  reason: string;
  instructions: number;
  virtualMs: number;
  /** Instructions per host microsecond over the last run (MIPS). */
  mips: number;
  vcpuNames: string[];
  /** The VCPU the views show (a breakpoint selects the VCPU that reached it). */
  vcpu: number;
  pcpus: number;
  /** Source line of the selected VCPU's pc in the editor's file, if it is there. */
  line: number | undefined;
  regs: string;
  csrs: string;
  memory: string;
  /** The guest kernel's per-CPU counters (live while it runs). */
  kernel: CpuRow[] | undefined;
}

export type FromWorker =
  | { t: 'diagnostics'; list: Diagnostic[] }
  | { t: 'console'; text: string }
  | { t: 'timeline'; slices: SliceEvent[]; spans: SpanEvent[]; now: number }
  | { t: 'state'; state: MachineState };
