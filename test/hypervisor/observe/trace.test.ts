/**
 * The Chrome trace of a multi-VM run: it parses, every track is well formed
 * (slices never overlap; a VCPU's state spans tile its timeline), the PCPU
 * tracks agree with the machine's busy accounting, tracks are named, and
 * truncation at maxEvents keeps the file valid and the timeline complete.
 */
import { describe, expect, it } from 'vitest';
import { CYCLES_PER_US } from '../../../isa/clock.ts';
import { ChromeTrace, type ChromeTraceOptions } from '../../../hypervisor/observe/chrome-trace.ts';
import { collectStats } from '../../../hypervisor/observe/stats.ts';
import type { Hypervisor } from '../../../hypervisor/machine.ts';
import { SLEEP_AND_SPIN, runMachine, type VmSpec } from '../../helpers/machine.ts';

/** Two VCPUs: vcpu0 starts vcpu1; both compute and sleep; vcpu1 wakes vcpu0 with an IPI when done. */
const PAIR = `
_start: li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        li      a0, HC_VCPU_START
        li      a1, 1
        la      a2, second
        li      t0, 4096
        sub     a3, sp, t0
        li      a4, 0
        hcall
        li      s0, 3
1:      li      a0, 15000
        call    spin
        li      a0, 20000
        call    sleep
        addi    s0, s0, -1
        bnez    s0, 1b
        li      t0, 1 << IRQ_IPI
        csrw    CSR_IMASK, t0
        li      a0, HC_BLOCK
        hcall
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
second: li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        li      s0, 4
1:      li      a0, 10000
        call    spin
        li      a0, 30000
        call    sleep
        li      a0, HC_DEBUG_MARK
        mv      a1, s0
        hcall
        addi    s0, s0, -1
        bnez    s0, 1b
        li      a0, HC_IPI
        li      a1, 0
        hcall
2:      li      a0, HC_BLOCK
        hcall
        j       2b
${SLEEP_AND_SPIN}`;

/** One VCPU that alternates computing and sleeping. */
const SLEEPER = `
_start: li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        li      s0, 5
1:      li      a0, 8000
        call    spin
        li      a0, 25000
        call    sleep
        addi    s0, s0, -1
        bnez    s0, 1b
        li      a0, HC_SHUTDOWN
        li      a1, 3
        hcall
${SLEEP_AND_SPIN}`;

/** One VCPU that only computes. */
const HOG = `
_start: li      a0, 120000
        call    spin
        li      a0, HC_VCPU_ID
        hcall
        li      a0, 12345
        hcall
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
${SLEEP_AND_SPIN}`;

const VMS: VmSpec[] = [{ source: PAIR, vcpus: 2 }, { source: SLEEPER }, { source: HOG, weight: 512 }];
const MACHINE = { pcpus: 2, slice: 20_000, quantum: 500 };

interface Ev {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  s?: string;
  args?: Record<string, number | string>;
}

interface TraceFile {
  traceEvents: Ev[];
  displayTimeUnit: string;
  otherData: Record<string, unknown>;
}

function traced(opts: ChromeTraceOptions = {}): { hv: Hypervisor; text: string; trace: TraceFile } {
  const chunks: string[] = [];
  const tracer = new ChromeTrace((c) => chunks.push(c), opts);
  const { hv, stop } = runMachine(VMS, MACHINE, { tracer });
  expect(stop).toBe('done');
  const text = chunks.join('');
  return { hv, text, trace: JSON.parse(text) as TraceFile };
}

/** "X" events per track (pid:tid), sorted by start. */
function tracks(events: readonly Ev[]): Map<string, Ev[]> {
  const m = new Map<string, Ev[]>();
  for (const e of events.filter((x) => x.ph === 'X')) {
    const k = `${e.pid}:${e.tid}`;
    m.set(k, [...(m.get(k) ?? []), e]);
  }
  for (const list of m.values()) list.sort((a, b) => a.ts - b.ts);
  return m;
}

/** Float slack: ts and dur are cycles / 100, rounded separately. */
const EPS = 1e-6;
/** How far short of elapsed() a VCPU timeline may end: its PCPU need not be the one that overshot furthest. */
const OVERSHOOT_US = 300 / CYCLES_PER_US;

describe('Chrome trace of a multi-VM run', () => {
  const { hv, text, trace } = traced();
  const events = trace.traceEvents;
  const byTrack = tracks(events);
  const elapsedUs = hv.elapsed() / CYCLES_PER_US;

  it('is one JSON object with the event array, ns display unit and run metadata', () => {
    expect(text.startsWith('{"traceEvents":[')).toBe(true);
    expect(trace.displayTimeUnit).toBe('ns');
    expect(trace.otherData.clock).toBe('100 MHz virtual');
    expect(trace.otherData.config).toMatchObject({ pcpus: 2, seed: 1, slice: '200us', quantum: '5us' });
    expect(trace.otherData.droppedEvents).toBe(0);
    expect(trace.otherData.events).toBe(events.length);
  });

  it('gives every event a nonzero pid and each thread a tid no other process uses', () => {
    const owner = new Map<number, number>();
    for (const e of events) {
      expect(e.pid).toBeGreaterThan(0);
      if (e.tid === 0) continue; // process-scoped: process metadata and counters
      expect(owner.get(e.tid) ?? e.pid, `tid ${e.tid}`).toBe(e.pid);
      owner.set(e.tid, e.pid);
    }
    expect(owner.size).toBe(hv.pcpus.length + hv.vcpus.length);
  });

  it('never overlaps slices on one track', () => {
    for (const [k, list] of byTrack) {
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        expect(list[i]!.ts, `${k} #${i} ${list[i]!.name}`).toBeGreaterThanOrEqual(prev.ts + prev.dur! - EPS);
      }
    }
  });

  it('tiles each VCPU timeline with state spans, without gaps, up to the end of the run', () => {
    for (const v of hv.vcpus) {
      const list = byTrack.get(`${2 + v.vm.id}:${1000 + v.gid}`)!;
      expect(list.length, v.name).toBeGreaterThan(0);
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        expect(list[i]!.ts, `${v.name} #${i}`).toBeCloseTo(prev.ts + prev.dur!, 6);
      }
      const last = list[list.length - 1]!;
      expect(last.ts + last.dur!).toBeGreaterThan(elapsedUs - OVERSHOOT_US);
      expect(last.ts + last.dur!).toBeLessThanOrEqual(elapsedUs + EPS);
      expect(list.every((e) => ['running', 'runnable', 'blocked', 'stopped'].includes(e.name))).toBe(true);
    }
  });

  it('shows on each PCPU track exactly the busy time the machine accounted', () => {
    const stats = collectStats(hv);
    for (const p of stats.pcpus) {
      const slices = byTrack.get(`1:${1 + p.id}`) ?? [];
      const busy = slices.reduce((s, e) => s + e.dur!, 0) * CYCLES_PER_US;
      expect(busy, `pcpu${p.id}`).toBeCloseTo(p.busy, 3);
      expect(slices.every((e) => /^vm\d\.vcpu\d$/.test(e.name))).toBe(true);
    }
  });

  it('names every process and thread, hypervisor first', () => {
    const meta = (name: string, pid: number, tid = 0): Ev | undefined =>
      events.find((e) => e.ph === 'M' && e.name === name && e.pid === pid && e.tid === tid);
    expect(meta('process_name', 1)?.args?.name).toBe('hypervisor');
    expect(meta('process_sort_index', 1)?.args?.sort_index).toBe(0);
    for (const p of hv.pcpus) expect(meta('thread_name', 1, 1 + p.id)?.args?.name).toBe(`PCPU ${p.id}`);
    for (const vm of hv.vms) {
      expect(meta('process_name', 2 + vm.id)?.args?.name).toBe(vm.name);
      expect(meta('process_sort_index', 2 + vm.id)?.args?.sort_index).toBeGreaterThan(0);
      for (const v of vm.vcpus) expect(meta('thread_name', 2 + vm.id, 1000 + v.gid)?.args?.name).toBe(`vcpu ${v.index}`);
    }
  });

  it('records hypercalls, interrupts and debug marks as instants on the VCPU thread', () => {
    const instants = events.filter((e) => e.ph === 'i');
    expect(instants.every((e) => e.s === 't' && e.tid >= 1000)).toBe(true);
    const start = instants.find((e) => e.name === 'hcall VCPU_START')!;
    expect(start.args).toEqual({ vcpu: '0x1', entry: expect.stringMatching(/^0x8/), sp: expect.any(String), arg: '0x0', result: 0 });
    expect(instants.find((e) => e.name === 'hcall SHUTDOWN')?.args?.result).toBe('did not return');
    expect(instants.find((e) => e.name === 'hcall #12345')?.args).toEqual({ result: -2 });
    expect(instants.filter((e) => e.name === 'mark').map((e) => e.args?.value)).toEqual([4, 3, 2, 1]);
    const fired = hv.vms.reduce((n, vm) => n + vm.timer.stats().fired!, 0);
    expect(instants.filter((e) => e.name === 'irq TIMER').length).toBe(fired);
    expect(instants.filter((e) => e.name === 'irq IPI').map((e) => [e.tid, e.args])).toEqual([[1000, { from: 'ipi from vm0.vcpu1' }]]);
    const hcalls = hv.vcpus.reduce((n, v) => n + v.hypercalls, 0);
    expect(instants.filter((e) => e.name.startsWith('hcall ')).length).toBe(hcalls);
  });

  it('samples run-queue and busy-PCPU counters only when they change', () => {
    const queues = events.filter((e) => e.ph === 'C' && e.name === 'run queue');
    expect(queues.length).toBeGreaterThan(1);
    expect(Object.keys(queues[0]!.args!)).toEqual(['pcpu0', 'pcpu1']);
    for (let i = 1; i < queues.length; i++) expect(queues[i]!.args).not.toEqual(queues[i - 1]!.args);
    const busy = events.filter((e) => e.ph === 'C' && e.name === 'busy PCPUs');
    for (let i = 1; i < busy.length; i++) expect(busy[i]!.args).not.toEqual(busy[i - 1]!.args);
  });
});

describe('Chrome trace truncation', () => {
  it('drops instants and counters past maxEvents, keeps slices, and still parses', () => {
    const full = traced().trace.traceEvents;
    const { trace } = traced({ maxEvents: 60 });
    const ev = trace.traceEvents;
    expect(trace.otherData.droppedEvents).toBe(full.filter((e) => e.ph === 'i' || e.ph === 'C').length
      - ev.filter((e) => e.ph === 'i' || e.ph === 'C').length);
    expect(trace.otherData.droppedEvents).toBeGreaterThan(0);
    expect(ev.slice(60).every((e) => e.ph === 'X')).toBe(true);
    expect(ev.filter((e) => e.ph === 'X')).toEqual(full.filter((e) => e.ph === 'X'));
  });
});

/** Many short sleeps: a trace of thousands of events. */
const TICKER = `
_start: li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        li      s0, 600
1:      li      a0, 200
        call    spin
        li      a0, 1000
        call    sleep
        addi    s0, s0, -1
        bnez    s0, 1b
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
${SLEEP_AND_SPIN}`;

describe('Chrome trace streaming', () => {
  it('writes bounded chunks while the machine runs, not one string at the end', () => {
    const chunks: string[] = [];
    let beforeEnd = -1;
    class Probe extends ChromeTrace {
      override end(hv: Hypervisor): void { beforeEnd = chunks.length; super.end(hv); }
    }
    const { stop } = runMachine([{ source: TICKER }, { source: TICKER }, { source: HOG }], MACHINE,
      { tracer: new Probe((c) => chunks.push(c)) });
    expect(stop).toBe('done');
    expect(beforeEnd).toBeGreaterThan(2);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(70_000);
    const trace = JSON.parse(chunks.join('')) as TraceFile;
    expect(trace.traceEvents.length).toBe(trace.otherData.events);
  });
});
