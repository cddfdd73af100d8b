/**
 * A Tracer that writes the Chrome Trace Event format (the JSON Object
 * Format: {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}})
 * for ui.perfetto.dev or chrome://tracing.
 *
 * Layout: pid 1 is the hypervisor, one thread per PCPU (tid 1 + id) showing
 * which VCPU it ran, plus counters (run-queue lengths, busy PCPUs). Each VM
 * is a process (pid 2 + id) with one thread per VCPU (tid 1000 + gid, so no
 * tid is shared between processes: some viewers key threads by tid alone)
 * showing its state over time, its hypercalls and interrupts as instants.
 *
 * Events are streamed through `write` as they arrive, so a long run never
 * holds its trace in memory; end() closes the JSON. Times are microseconds of
 * virtual time (fractional: one cycle is 0.01 us). Past maxEvents, instants
 * and counters are dropped (and counted) but slices go on, so the timeline
 * stays complete while the file stays bounded by the run's length.
 */
import { CLOCK_HZ, CYCLES_PER_US } from '../../isa/clock.ts';
import { HYPERCALLS, type HypercallInfo } from '../../isa/hypercalls.ts';
import { formatDuration } from '../config/index.ts';
import type { MachineView } from '../view.ts';
import type { Pcpu } from '../pcpu.ts';
import type { Tracer } from './tracer.ts';
import { VS, VSTATE_NAMES, type Vcpu, type VState } from '../vcpu.ts';

export interface ChromeTraceOptions {
  /** Events after which instants and counters are dropped (default 2,000,000). */
  maxEvents?: number;
  /** Recorded in the trace's otherData beside the configuration: who wrote it and with what parameters. */
  metadata?: Record<string, unknown>;
}

type Args = Record<string, number | string>;

/** One trace event; optional fields are left out of the JSON when undefined. */
interface TraceEvent {
  name: string;
  ph: 'X' | 'i' | 'C' | 'M';
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  s?: 't';
  args?: Args;
}

const HYPERVISOR_PID = 1;
const DEFAULT_MAX_EVENTS = 2_000_000;
/** Flush the buffer to `write` once it holds this many characters (fewer, larger writes). */
const FLUSH_CHARS = 1 << 16;

const pcpuTid = (p: Pcpu): number => 1 + p.id;
const vmPid = (vmId: number): number => 2 + vmId;
const vcpuTid = (v: Vcpu): number => 1000 + v.gid;

const us = (cycles: number): number => cycles / CYCLES_PER_US;
const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
const BY_NUMBER = new Map<number, HypercallInfo>(HYPERCALLS.map((h) => [h.number, h]));

export class ChromeTrace implements Tracer {
  private readonly maxEvents: number;
  private readonly metadata: Record<string, unknown>;
  private buf = '';
  private started = false;
  private ended = false;
  private events = 0;
  private dropped = 0;
  private lastQueues = '';
  private lastBusy = -1;

  constructor(private readonly write: (chunk: string) => void, opts: ChromeTraceOptions = {}) {
    this.maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.metadata = opts.metadata ?? {};
  }

  /** Events written so far, and instants/counters dropped past maxEvents. */
  get counts(): { events: number; dropped: number } { return { events: this.events, dropped: this.dropped }; }

  begin(hv: MachineView): void {
    const meta = (pid: number, tid: number, name: string, args: Args): void =>
      this.emit({ name, ph: 'M', pid, tid, ts: 0, args });
    // Sort indexes: the hypervisor process and its PCPUs first, then VMs in order.
    meta(HYPERVISOR_PID, 0, 'process_name', { name: 'hypervisor' });
    meta(HYPERVISOR_PID, 0, 'process_sort_index', { sort_index: 0 });
    for (const p of hv.pcpus) {
      meta(HYPERVISOR_PID, pcpuTid(p), 'thread_name', { name: `PCPU ${p.id}` });
      meta(HYPERVISOR_PID, pcpuTid(p), 'thread_sort_index', { sort_index: p.id });
    }
    for (const vm of hv.vms) {
      meta(vmPid(vm.id), 0, 'process_name', { name: vm.name });
      meta(vmPid(vm.id), 0, 'process_sort_index', { sort_index: 1 + vm.id });
      for (const v of vm.vcpus) {
        meta(vmPid(vm.id), vcpuTid(v), 'thread_name', { name: `vcpu ${v.index}` });
        meta(vmPid(vm.id), vcpuTid(v), 'thread_sort_index', { sort_index: v.index });
      }
    }
  }

  pcpuSlice(p: Pcpu, v: Vcpu, start: number, end: number): void {
    if (end <= start) return;
    this.emit({
      name: v.name, ph: 'X', pid: HYPERVISOR_PID, tid: pcpuTid(p), ts: us(start), dur: us(end - start),
      args: { vm: v.vm.name, vcpu: v.index },
    });
  }

  vcpuSpan(v: Vcpu, s: VState, start: number, end: number): void {
    // Offline is every secondary VCPU's long prologue: noise on the timeline.
    if (end <= start || s === VS.OFFLINE) return;
    this.emit({ name: VSTATE_NAMES[s], ph: 'X', pid: vmPid(v.vm.id), tid: vcpuTid(v), ts: us(start), dur: us(end - start) });
  }

  hypercall(v: Vcpu, number: number, args: readonly number[], t: number, result: number | undefined): void {
    const info = BY_NUMBER.get(number);
    const shown: Args = {};
    info?.args.forEach((name, i) => { shown[name] = hex(args[i] ?? 0); });
    // Errors are small negative numbers: decimal reads better than hex there.
    shown.result = result === undefined ? 'did not return' : result;
    this.instant(v, info ? `hcall ${info.name}` : `hcall #${number}`, t, shown);
  }

  instant(v: Vcpu, name: string, t: number, args: Args): void {
    if (!this.room()) return;
    this.emit({ name, ph: 'i', s: 't', pid: vmPid(v.vm.id), tid: vcpuTid(v), ts: us(t), args });
  }

  round(hv: MachineView): void {
    // Sample only on change: most rounds (a few us each) change nothing.
    const queues = hv.pcpus.map((p) => p.queue.length);
    const key = queues.join(',');
    // The last value is remembered even when dropped, so `dropped` counts the samples that would have been written.
    if (key !== this.lastQueues) {
      this.lastQueues = key;
      const args: Args = {};
      hv.pcpus.forEach((p, i) => { args[`pcpu${p.id}`] = queues[i]; });
      this.counter('run queue', hv.time, args);
    }
    const busy = hv.pcpus.reduce((n, p) => n + (p.current ? 1 : 0), 0);
    if (busy !== this.lastBusy) {
      this.lastBusy = busy;
      this.counter('busy PCPUs', hv.time, { busy });
    }
  }

  end(hv: MachineView): void {
    if (this.ended) return;
    this.ended = true;
    this.open();
    const c = hv.config;
    const otherData = {
      ...this.metadata,
      clock: `${CLOCK_HZ / 1e6} MHz virtual`,
      config: {
        pcpus: c.pcpus, slice: formatDuration(c.slice), quantum: formatDuration(c.quantum), seed: c.seed,
        policy: c.policy, preemption: c.preemption, vms: c.vms.length,
      },
      stopReason: hv.stopReason ?? null,
      events: this.events,
      droppedEvents: this.dropped,
      maxEvents: this.maxEvents,
    };
    this.buf += `\n],\n"displayTimeUnit":"ns",\n"otherData":${JSON.stringify(otherData)}}\n`;
    this.flush();
  }

  private counter(name: string, t: number, args: Args): void {
    if (this.room()) this.emit({ name, ph: 'C', pid: HYPERVISOR_PID, tid: 0, ts: us(t), args });
  }

  /** May an instant or counter still be written? Counts it as dropped if not. */
  private room(): boolean {
    if (this.events < this.maxEvents) return true;
    this.dropped++;
    return false;
  }

  private open(): void {
    if (this.started) return;
    this.started = true;
    this.buf += '{"traceEvents":[\n';
  }

  private emit(e: TraceEvent): void {
    if (this.ended) return;
    this.open();
    this.buf += (this.events > 0 ? ',\n' : '') + JSON.stringify(e);
    this.events++;
    if (this.buf.length >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buf === '') return;
    this.write(this.buf);
    this.buf = '';
  }
}
