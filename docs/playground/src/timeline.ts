/**
 * The live schedule timeline: one track per PCPU, a bar for each run of a
 * VCPU on it (the tracer's pcpuSlice events, sent by the worker), coloured
 * by VCPU, over the newest WINDOW_MS of virtual time. Each track also has a
 * label element carrying its slice count, which the browser test reads.
 */
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import type { SliceEvent } from './protocol.ts';

/** Virtual time shown: enough for a few scheduler slices at paravm's default slice length. */
const WINDOW_MS = 100;
const MAX_KEPT = 50000;
const TRACK_H = 22;

const colour = (vcpu: number): string => `hsl(${(vcpu * 137.5) % 360} 65% 55%)`;

export class Timeline {
  private slices: SliceEvent[] = [];
  private now = 0;
  private pcpus = 0;
  private names: string[] = [];
  private counts: number[] = [];
  private queued = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly tracks: HTMLElement, private readonly legend: HTMLElement) {}

  reset(pcpus: number, names: readonly string[]): void {
    this.slices = [];
    this.now = 0;
    this.pcpus = pcpus;
    this.names = names.slice();
    this.counts = Array.from({ length: pcpus }, () => 0);
    this.tracks.replaceChildren(...this.counts.map((_, p) => {
      const d = document.createElement('div');
      d.className = 'track';
      d.dataset.pcpu = String(p);
      d.dataset.slices = '0';
      d.textContent = `PCPU ${p}`;
      d.style.height = `${TRACK_H}px`;
      return d;
    }));
    this.legend.replaceChildren(...this.names.map((n, i) => {
      const s = document.createElement('span');
      s.innerHTML = `<i style="background:${colour(i)}"></i>${n}`;
      return s;
    }));
    this.canvas.height = Math.max(1, pcpus) * TRACK_H;
    this.draw();
  }

  add(events: readonly SliceEvent[], now: number): void {
    for (const e of events) {
      this.slices.push(e);
      if (e.pcpu < this.counts.length) this.counts[e.pcpu]!++;
    }
    if (this.slices.length > MAX_KEPT) this.slices.splice(0, this.slices.length - MAX_KEPT / 2);
    this.now = Math.max(this.now, now);
    this.counts.forEach((c, p) => { const el = this.tracks.children[p] as HTMLElement | undefined; if (el) el.dataset.slices = String(c); });
    if (!this.queued) { this.queued = true; requestAnimationFrame(() => { this.queued = false; this.draw(); }); }
  }

  private draw(): void {
    const c = this.canvas;
    c.width = c.clientWidth || 600;
    const g = c.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, c.width, c.height);
    // The whole run while it is shorter than the window, then the newest WINDOW_MS.
    const span = Math.max(1, Math.min(WINDOW_MS * CYCLES_PER_MS, this.now));
    const t0 = Math.max(0, this.now - span);
    const x = (t: number): number => ((t - t0) / span) * c.width;
    for (let p = 0; p < this.pcpus; p++) { g.fillStyle = p % 2 ? '#f4f4f4' : '#ebebeb'; g.fillRect(0, p * TRACK_H, c.width, TRACK_H); }
    for (const e of this.slices) {
      if (e.end < t0) continue;
      g.fillStyle = colour(e.vcpu);
      const x0 = x(Math.max(e.start, t0));
      g.fillRect(x0, e.pcpu * TRACK_H + 3, Math.max(1, x(e.end) - x0), TRACK_H - 6);
    }
  }
}
