/**
 * The hypervisor's event queue: timers, IPC timeouts, cap periods, anything
 * that must happen at a virtual time. A binary min-heap ordered by (time,
 * insertion order), so events at the same time fire in the order they were
 * scheduled: determinism does not depend on heap internals. Each event knows
 * its slot in the heap, so cancelling removes it at once: the heap holds live
 * events only, and a guest that re-arms a timer or an IPC timeout in a loop
 * cannot grow it (its size is bounded by the events that can still fire).
 */
export interface EventHandle {
  readonly time: number;
  readonly seq: number;
  fn: (() => void) | undefined;
  /** Slot in the heap, -1 once fired or cancelled. */
  slot: number;
}

export class EventQueue {
  private readonly heap: EventHandle[] = [];
  private seq = 0;

  /** Schedule fn at virtual time `time`. */
  at(time: number, fn: () => void): EventHandle {
    const e: EventHandle = { time, seq: this.seq++, fn, slot: this.heap.length };
    this.heap.push(e);
    this.up(e.slot);
    return e;
  }

  /** Drop e if it has not fired yet (a handle already fired or cancelled is ignored). */
  cancel(e: EventHandle | undefined): void {
    if (!e || e.slot < 0 || this.heap[e.slot] !== e) return;
    e.fn = undefined;
    this.removeAt(e.slot);
  }

  /** Time of the earliest event, or Infinity. */
  nextTime(): number {
    return this.heap.length > 0 ? this.heap[0].time : Infinity;
  }

  /** Run every event with time <= now, earliest first (events they schedule included). */
  runDue(now: number): number {
    let n = 0;
    for (;;) {
      const top = this.heap[0];
      if (!top || top.time > now) return n;
      this.removeAt(0);
      const fn = top.fn!;
      top.fn = undefined;
      fn();
      n++;
    }
  }

  /** Events that can still fire. */
  get size(): number { return this.heap.length; }

  private less(a: EventHandle, b: EventHandle): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private place(e: EventHandle, i: number): void {
    this.heap[i] = e;
    e.slot = i;
  }

  /** Take the event at slot i out, moving the last one into its place. */
  private removeAt(i: number): void {
    const gone = this.heap[i];
    gone.slot = -1;
    const last = this.heap.pop()!;
    if (i === this.heap.length) return;
    this.place(last, i);
    if (i > 0 && this.less(last, this.heap[(i - 1) >> 1])) this.up(i);
    else this.down(i);
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) return;
      const t = h[i];
      this.place(h[m], i);
      this.place(t, m);
      i = m;
    }
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) return;
      const t = h[i];
      this.place(h[p], i);
      this.place(t, p);
      i = p;
    }
  }
}
