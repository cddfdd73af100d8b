/**
 * What the hypervisor reports to a trace as it runs (chrome-trace.ts writes
 * it as Chrome Trace Event JSON for ui.perfetto.dev). All times are virtual
 * cycles. Spans are reported when they end, so they never overlap on a track.
 */
import type { Hypervisor } from './machine.ts';
import type { Pcpu } from './pcpu.ts';
import type { VcpuCtl, VState } from './vcpu-ctl.ts';

export interface Tracer {
  /** The machine is built: name the tracks. */
  begin(hv: Hypervisor): void;
  /** v ran on p from start to end. */
  pcpuSlice(p: Pcpu, v: VcpuCtl, start: number, end: number): void;
  /** v was in state s from start to end. */
  vcpuSpan(v: VcpuCtl, s: VState, start: number, end: number): void;
  /** A hypercall v made at t, with its arguments and result (undefined if it did not return). */
  hypercall(v: VcpuCtl, number: number, args: readonly number[], t: number, result: number | undefined): void;
  /** Something happened to v at t (an interrupt raised, a debug mark). */
  instant(v: VcpuCtl, name: string, t: number, args: Record<string, number | string>): void;
  /** A round ended (counters such as run-queue lengths are sampled here). */
  round(hv: Hypervisor): void;
  /** The run is over. */
  end(hv: Hypervisor): void;
}
