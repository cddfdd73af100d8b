/**
 * The schedule timeline's source: a Tracer (hypervisor/observe/tracer.ts)
 * that keeps the PCPU slices and the VCPU state spans the hypervisor
 * reports, for the worker to send
 * to the page after each slice of host time. Only the newest MAX_PENDING
 * are kept between two sends: the page draws a window of recent time.
 */
import { VS, type MachineView, type Pcpu, type Tracer, type Vcpu, type VState } from '../../../hypervisor/index.ts';
import type { SliceEvent, SpanEvent } from './protocol.ts';

const MAX_PENDING = 20000;

export class SliceRecorder implements Tracer {
  private pending: SliceEvent[] = [];
  private spans: SpanEvent[] = [];

  begin(_hv: MachineView): void {}
  pcpuSlice(p: Pcpu, v: Vcpu, start: number, end: number): void {
    if (end <= start) return;
    if (this.pending.length >= MAX_PENDING) this.pending.splice(0, MAX_PENDING / 2);
    this.pending.push({ pcpu: p.id, vcpu: v.gid, start, end });
  }
  vcpuSpan(v: Vcpu, state: VState, start: number, end: number): void {
    if (end <= start || (state !== VS.RUNNING && state !== VS.RUNNABLE && state !== VS.BLOCKED)) return;
    if (this.spans.length >= MAX_PENDING) this.spans.splice(0, MAX_PENDING / 2);
    this.spans.push({ vcpu: v.gid, state, start, end });
  }
  hypercall(): void {}
  instant(): void {}
  round(): void {}
  end(): void {}

  /** The slices and spans since the last take(). */
  take(): { slices: SliceEvent[]; spans: SpanEvent[] } {
    const out = { slices: this.pending, spans: this.spans };
    this.pending = [];
    this.spans = [];
    return out;
  }
}
