/**
 * What the hypervisor keeps about a VCPU besides its architectural state
 * (cpu/state.ts): scheduling state and the time spent in each, counters,
 * where it runs, and what it waits for. Time in a state is accounted at
 * every transition, at the virtual time of the PCPU that makes it.
 */
import type { CpuState } from './cpu/index.ts';
import type { EventHandle } from './events.ts';
import type { Vm } from './vm.ts';

export const VS = {
  /** Not started yet (secondary VCPUs before HC_VCPU_START). */
  OFFLINE: 0,
  RUNNING: 1,
  /** Ready, waiting on a run queue: the time here is steal time. */
  RUNNABLE: 2,
  /** wfi, HC_BLOCK or IPC: uses no time until woken. */
  BLOCKED: 3,
  /** Its VM shut down or faulted. */
  STOPPED: 4,
} as const;
export type VState = (typeof VS)[keyof typeof VS];
export const VSTATE_NAMES = ['offline', 'running', 'runnable', 'blocked', 'stopped'] as const;

export type BlockReason = 'wfi' | 'block' | 'ipc' | 'pvwait' | 'console';

/** An IPC in progress (see ipc.ts). */
export interface IpcWait {
  kind: 'send' | 'recv' | 'call';
  /** VM sent to, or received from (-1: any). */
  peer: number;
  msg: [number, number, number];
  timeout: EventHandle | undefined;
  /** Absolute virtual time the whole operation must finish by (Infinity: none). */
  deadline?: number;
  /** Begun in user mode: the guest kernel's interrupts end it (E_INTR). */
  user: boolean;
}

export class Vcpu {
  state: VState = VS.OFFLINE;
  /** Virtual time of the last state change. */
  since = 0;
  /** Cycles spent in each state, indexed by VState (the current state's open span excluded). */
  readonly acc = new Float64Array(5);
  blockReason: BlockReason | undefined;
  ipc: IpcWait | undefined;
  /** PCPU index it runs or waits on, or last ran on (-1: never). */
  pcpu = -1;
  /** PCPU it last ran on (-1: never); a dispatch elsewhere counts a migration. */
  lastRan = -1;
  /** Set by the policy: the PCPU it must run on, or null. */
  pin: number | null = null;
  /** Guest-physical address of the registered shared info page, or -1. */
  info = -1;
  /** Proportional-share bookkeeping owned by the scheduling policy. */
  vruntime = 0;
  preemptions = 0;
  migrations = 0;
  yields = 0;
  wakeups = 0;
  switches = 0;
  hypercalls = 0;
  irqs = 0;
  /** A HC_PV_KICK arrived while the VCPU was not waiting: its next HC_PV_WAIT returns at once. */
  kicked = false;
  /** Pause-loop exits (the 'ple' strategy took the PCPU away from a spinning VCPU). */
  pleExits = 0;
  /** Preemptions while the guest's INFO_LOCK_COUNT was nonzero (lock-holder preemptions). */
  lockHolderPreemptions = 0;
  /** Preemptions while the guest's INFO_LOCK_WAIT was nonzero (it was spinning for a lock). */
  lockWaiterPreemptions = 0;

  constructor(readonly vm: Vm, readonly index: number, readonly gid: number, readonly cpu: CpuState) {}

  get name(): string { return `${this.vm.name}.vcpu${this.index}`; }

  /** Cycles in state s up to `now`, counting the open span. */
  timeIn(s: VState, now: number): number {
    return this.acc[s]! + (this.state === s ? Math.max(0, now - this.since) : 0);
  }
}
