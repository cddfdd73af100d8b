/**
 * How a machine is built and run beyond its configuration: the images of
 * each VM, and the host-side options (console sink, tracer, instruction
 * limit, instruction trace, the balloon controller).
 */
import type { Image } from '../isa/image.ts';
import type { BalloonOptions } from './sched/index.ts';
import type { Tracer } from './observe/index.ts';
import type { Vm } from './vm.ts';
import type { Vcpu } from './vcpu.ts';
import type { ExitCode } from './cpu/index.ts';

/** A VM to build: its configuration and its loaded images (the first gives the entry). */
export interface VmSetup {
  images: Image[];
  /** Resolved entry address (default: the first image's entry). */
  entry?: number;
}

export interface MachineOptions {
  /** Console bytes as VMs write them (already prefixed with "[name] " when several VMs run). */
  onConsole?: (vm: Vm, bytes: Uint8Array) => void;
  /** Prefix console lines with the VM name (default: when there is more than one VM). */
  prefixConsole?: boolean;
  tracer?: Tracer;
  /** Stop once this many instructions have been executed in all (exact). */
  maxInstructions?: number;
  /** Execute one instruction at a time and report each (the `--itrace` debug mode). */
  itrace?: (line: string) => void;
  /**
   * Execute one instruction at a time, each through this hook (the debugger): it sees v before
   * and after one(), which runs the instruction, and returns one()'s exit. The hook may take as
   * long as it likes (a REPL) or throw to abandon the run; the schedule is the same either way.
   */
  stepper?: (v: Vcpu, one: () => ExitCode) => ExitCode;
  /** Stack pointer of VCPU 0 at start: the top of the VM's memory (default) or none. */
  initialStack?: boolean;
  /** End the run when this VM stops (e.g. a guest measured against competing VMs that never stop). */
  stopWithVm?: number;
  /** Time ballooning: measure VCPU speeds and publish balloon targets (hypervisor/balloon.ts). */
  balloon?: BalloonOptions;
}
