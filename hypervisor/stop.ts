/**
 * Taking the VCPUs of a stopped VM (shutdown, fault) off the machine: the
 * machine's stopVm calls this for each, before the VM's devices and its IPC
 * and grant partners hear of the stop.
 */
import type { SchedulerPolicy } from './sched/index.ts';
import type { Tracer } from './observe/index.ts';
import type { Pcpu } from './pcpu.ts';
import { VS, type Vcpu, type VState } from './vcpu.ts';

/** What taking a VCPU off needs of the machine. */
export interface StopHost {
  readonly pcpus: readonly Pcpu[];
  readonly tracer: Tracer | undefined;
  readonly policy: SchedulerPolicy;
  setState(v: Vcpu, s: VState, t: number): void;
}

export function stopVcpu(m: StopHost, v: Vcpu, t: number): void {
  if (v.state === VS.RUNNING) {
    // A sibling running on another PCPU stops at that PCPU's clock, where its slice ends.
    const p = m.pcpus[v.pcpu]!;
    const end = Math.max(p.time, p.runStart);
    m.tracer?.pcpuSlice(p, v, p.runStart, end);
    p.current = undefined;
    m.setState(v, VS.STOPPED, end);
    return;
  }
  if (v.state === VS.RUNNABLE) m.policy.remove(v);
  m.setState(v, VS.STOPPED, t);
}
