/**
 * The hypervisor's event queue: timers, IPC timeouts, cap periods, anything
 * that must happen at a virtual time. A binary min-heap ordered by (time,
 * insertion order), so events at the same time fire in the order they were
 * scheduled: determinism does not depend on heap internals. Cancelling marks
 * the event dead; it is dropped when it reaches the top.
 */
export interface EventHandle {
  readonly time: number;
  readonly seq: number;
  fn: (() => void) | undefined;
}

export class EventQueue {
  private heap: EventHandle[] = [];
  private seq = 0;

  /** Schedule fn at virtual time `time`. */
  at(time: number, fn: () => void): EventHandle {
    const e: EventHandle = { time, seq: this.seq++, fn };
    this.heap.push(e);
    this.up(this.heap.length - 1);
    return e;
  }

  cancel(e: EventHandle | undefined): void {
    if (e) e.fn = undefined;
  }

  /** Time of the earliest live event, or Infinity. */
  nextTime(): number {
    this.dropDead();
    return this.heap.length > 0 ? this.heap[0]!.time : Infinity;
  }

  /** Run every live event with time <= now, earliest first (events they schedule included). */
  runDue(now: number): number {
    let n = 0;
    for (;;) {
      this.dropDead();
      const top = this.heap[0];
      if (!top || top.time > now) return n;
      this.pop();
      const fn = top.fn!;
      top.fn = undefined;
      fn();
      n++;
    }
  }

  get size(): number { return this.heap.length; }

  private dropDead(): void {
    while (this.heap.length > 0 && this.heap[0]!.fn === undefined) this.pop();
  }

  private less(a: EventHandle, b: EventHandle): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && this.less(this.heap[l]!, this.heap[m]!)) m = l;
      if (r < this.heap.length && this.less(this.heap[r]!, this.heap[m]!)) m = r;
      if (m === i) return;
      [this.heap[i], this.heap[m]] = [this.heap[m]!, this.heap[i]!];
      i = m;
    }
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.heap[i]!, this.heap[p]!)) return;
      [this.heap[i], this.heap[p]] = [this.heap[p]!, this.heap[i]!];
      i = p;
    }
  }
}
