/**
 * The small interface between the hypervisor and a device. A device is one
 * file here; it sees the machine only through DeviceHost (virtual time,
 * events, interrupts, guest memory of its VM), so the paravirtual network
 * device plugs in the same way as the console and timer.
 */
import type { EventHandle } from '../events.ts';

/** The machine as one VM's device sees it; VCPUs are named by their index in that VM. */
export interface DeviceHost {
  /** Current virtual time (of the PCPU running the caller, or the round boundary). */
  now(): number;
  /** Run fn at virtual time t. */
  at(t: number, fn: () => void): EventHandle;
  cancel(e: EventHandle | undefined): void;
  /** VCPUs of the VM. */
  readonly vcpus: number;
  /** Can VCPU i take interrupts now (started, and its VM not stopped)? */
  online(i: number): boolean;
  /** Raise interrupt line `line` on VCPU i, waking it if it waits for that line. */
  raiseIrq(i: number, line: number, why: string): void;
}

export interface Device {
  readonly name: string;
  /** Counters for --stats (name -> value). */
  stats(): Record<string, number>;
  /** The VM stopped: cancel pending work. */
  stop(): void;
}
