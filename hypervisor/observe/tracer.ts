/**
 * What the hypervisor reports to a trace as it runs (chrome-trace.ts writes
 * it as Chrome Trace Event JSON for ui.perfetto.dev). All times are virtual
 * cycles. Spans are reported when they end, so they never overlap on a track.
 */
import type { MachineView } from '../view.ts';
import type { Pcpu } from '../pcpu.ts';
import type { Vcpu, VState } from '../vcpu.ts';

export interface Tracer {
  /** The machine is built: name the tracks. */
  begin(hv: MachineView): void;
  /** v ran on p from start to end. */
  pcpuSlice(p: Pcpu, v: Vcpu, start: number, end: number): void;
  /** v was in state s from start to end. */
  vcpuSpan(v: Vcpu, s: VState, start: number, end: number): void;
  /** A hypercall v made at t, with its arguments and result (undefined if it did not return). */
  hypercall(v: Vcpu, number: number, args: readonly number[], t: number, result: number | undefined): void;
  /** Something happened to v at t (an interrupt raised, a debug mark). */
  instant(v: Vcpu, name: string, t: number, args: Record<string, number | string>): void;
  /** A round ended (counters such as run-queue lengths are sampled here). */
  round(hv: MachineView): void;
  /** The run is over. */
  end(hv: MachineView): void;
}
