/**
 * The live schedule timeline, drawn from the tracer's events (sent by the
 * worker): one track per PCPU with a bar for each run of a VCPU on it
 * (pcpuSlice), coloured by VCPU; below, one track per VCPU with its state
 * spans (vcpuSpan): running in its colour, runnable (waiting for a PCPU, as a
 * preempted lock holder does) in orange, blocked in grey. It shows the whole
 * run while that is shorter than WINDOW_MS of virtual time, then the newest
 * WINDOW_MS. Each track has a label element carrying its event count, which
 * the browser test reads.
 */
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import type { SliceEvent, SpanEvent } from './protocol.ts';

const WINDOW_MS = 100;
const MAX_KEPT = 50000;
const TRACK_H = 20;
/** VState numbers (hypervisor/vcpu.ts VS) drawn on VCPU tracks. */
const RUNNING = 1;
const RUNNABLE = 2;

const colour = (vcpu: number): string => `hsl(${(vcpu * 137.5) % 360} 65% 55%)`;
const spanColour = (e: SpanEvent): string => (e.state === RUNNING ? colour(e.vcpu) : e.state === RUNNABLE ? '#f0a030' : '#c8c8c8');

export class Timeline {
  private slices: SliceEvent[] = [];
  private spans: SpanEvent[] = [];
  private now = 0;
  private pcpus = 0;
  private vcpus = 0;
  private counts: number[] = [];
  private queued = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly tracks: HTMLElement, private readonly legend: HTMLElement) {}

  reset(pcpus: number, names: readonly string[]): void {
    this.slices = [];
    this.spans = [];
    this.now = 0;
    this.pcpus = pcpus;
    this.vcpus = names.length;
    this.counts = Array.from({ length: pcpus + names.length }, () => 0);
    const label = (text: string, key: 'pcpu' | 'vcpu', i: number): HTMLElement => {
      const d = document.createElement('div');
      d.className = 'track';
      d.dataset[key] = String(i);
      d.dataset.events = '0';
      d.textContent = text;
      d.style.height = `${TRACK_H}px`;
      return d;
    };
    this.tracks.replaceChildren(...Array.from({ length: pcpus }, (_, p) => label(`PCPU ${p}`, 'pcpu', p)), ...names.map((n, v) => label(n, 'vcpu', v)));
    const key = (bg: string, text: string): HTMLElement => {
      const s = document.createElement('span');
      const i = document.createElement('i');
      i.style.background = bg;
      s.append(i, text);
      return s;
    };
    this.legend.replaceChildren(...names.map((n, i) => key(colour(i), n)), key('#f0a030', 'runnable (waiting for a PCPU)'), key('#c8c8c8', 'blocked'));
    this.canvas.height = Math.max(1, this.counts.length) * TRACK_H;
    this.draw();
  }

  add(slices: readonly SliceEvent[], spans: readonly SpanEvent[], now: number): void {
    for (const e of slices) { this.slices.push(e); this.count(e.pcpu); }
    for (const e of spans) { this.spans.push(e); this.count(this.pcpus + e.vcpu); }
    if (this.slices.length > MAX_KEPT) this.slices.splice(0, this.slices.length - MAX_KEPT / 2);
    if (this.spans.length > MAX_KEPT) this.spans.splice(0, this.spans.length - MAX_KEPT / 2);
    this.now = Math.max(this.now, now);
    this.counts.forEach((c, t) => { const el = this.tracks.children[t] as HTMLElement | undefined; if (el) el.dataset.events = String(c); });
    if (!this.queued) { this.queued = true; requestAnimationFrame(() => { this.queued = false; this.draw(); }); }
  }

  private count(track: number): void { if (track < this.counts.length) this.counts[track]!++; }

  private draw(): void {
    const c = this.canvas;
    c.width = c.clientWidth || 600;
    const g = c.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, c.width, c.height);
    const span = Math.max(1, Math.min(WINDOW_MS * CYCLES_PER_MS, this.now));
    const t0 = Math.max(0, this.now - span);
    const bar = (track: number, start: number, end: number, fill: string): void => {
      if (end < t0) return;
      const x0 = ((Math.max(start, t0) - t0) / span) * c.width;
      g.fillStyle = fill;
      g.fillRect(x0, track * TRACK_H + 3, Math.max(1, ((end - t0) / span) * c.width - x0), TRACK_H - 6);
    };
    for (let t = 0; t < this.pcpus + this.vcpus; t++) {
      g.fillStyle = t < this.pcpus ? (t % 2 ? '#f4f4f4' : '#ebebeb') : (t % 2 ? '#fbfbfb' : '#f6f6f6');
      g.fillRect(0, t * TRACK_H, c.width, TRACK_H);
    }
    for (const e of this.slices) bar(e.pcpu, e.start, e.end, colour(e.vcpu));
    for (const e of this.spans) bar(this.pcpus + e.vcpu, e.start, e.end, spanColour(e));
  }
}
