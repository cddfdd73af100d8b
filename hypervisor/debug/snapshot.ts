/**
 * A snapshot of a paused machine, restored in place: every object reachable
 * from the Hypervisor has its own fields (arrays their elements, maps their
 * entries, buffers their bytes) copied, and restoring writes them back into
 * the same objects. Restoring in place rather than cloning keeps every
 * closure valid: the machine's event callbacks close over its VCPUs, devices
 * and controllers, which stay the same objects with earlier contents.
 *
 * Sound at a point where Hypervisor.run(budget) has returned 'paused', and
 * only there: all of the machine's state then lives in objects (no run loop
 * is on the stack). What a walk cannot see is not restored: variables a
 * closure captures and later reassigns (the machine's callbacks capture only
 * objects and constants), and built-ins with internal slots (a TextDecoder's
 * half-read character, say), which are left as they are.
 *
 * The cost is one copy of the machine's state, its guest memory almost all
 * of it; buffers are copied in pages, and a page equal to the same page of
 * the previous snapshot is shared with it, so a snapshot costs the pages
 * written since the one before (a comparison of every page still reads all
 * of memory). `bytes` reports what a snapshot holds on its own.
 */

type Saved =
  | { k: 'props'; o: Record<string, unknown>; names: string[]; values: unknown[] }
  | { k: 'array'; o: unknown[]; values: unknown[] }
  | { k: 'map'; o: Map<unknown, unknown>; entries: [unknown, unknown][] }
  | { k: 'set'; o: Set<unknown>; values: unknown[] }
  | { k: 'buffer'; o: ArrayBuffer; pages: Uint8Array[] };

/** The unit of sharing between snapshots (the guest's page size: writes cluster in pages). */
const PAGE = 4096;

/** Built-ins whose state is internal (or immutable): neither walked nor restored. */
const OPAQUE: readonly (abstract new (...a: never[]) => object)[] = [WeakMap, WeakSet, WeakRef, Promise, TextDecoder, TextEncoder, Date, RegExp];

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

function samePage(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (a.length % 4 === 0 && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    // Words at a time (integers compare bit for bit; doubles would take -0 for 0).
    const x = new Int32Array(a.buffer, a.byteOffset, a.length / 4);
    const y = new Int32Array(b.buffer, b.byteOffset, b.length / 4);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A buffer's pages, sharing each unchanged page with the previous snapshot's copy. */
function pagesOf(o: ArrayBuffer, prev: readonly Uint8Array[] | undefined, count: (bytes: number) => void): Uint8Array[] {
  const bytes = new Uint8Array(o);
  const pages: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; at += PAGE, i++) {
    const now = bytes.subarray(at, Math.min(at + PAGE, bytes.length));
    const old = prev?.[i];
    if (old && samePage(now, old)) { pages.push(old); continue; }
    pages.push(now.slice());
    count(now.length);
  }
  return pages;
}

function save(o: object, push: (v: unknown) => void, prev: ReadonlyMap<object, Saved>, count: (bytes: number) => void): Saved | undefined {
  if (o instanceof ArrayBuffer) {
    const before = prev.get(o);
    return { k: 'buffer', o, pages: pagesOf(o, before?.k === 'buffer' ? before.pages : undefined, count) };
  }
  if (ArrayBuffer.isView(o)) { push(o.buffer); return undefined; }
  if (Array.isArray(o)) { const values = o.slice(); values.forEach(push); return { k: 'array', o, values }; }
  if (o instanceof Map) { const entries = [...o.entries()] as [unknown, unknown][]; for (const [a, b] of entries) { push(a); push(b); } return { k: 'map', o, entries }; }
  if (o instanceof Set) { const values = [...o] as unknown[]; values.forEach(push); return { k: 'set', o, values }; }
  if (OPAQUE.some((c) => o instanceof c)) return undefined;
  const rec = o as Record<string, unknown>;
  const names: string[] = [];
  for (const [n, d] of Object.entries(Object.getOwnPropertyDescriptors(o))) {
    if (!('value' in d)) continue;
    push(d.value);
    if (d.writable === true) names.push(n);
  }
  return { k: 'props', o: rec, names, values: names.map((n) => rec[n]) };
}

function put(s: Saved): void {
  switch (s.k) {
    case 'buffer': {
      const bytes = new Uint8Array(s.o);
      s.pages.forEach((p, i) => bytes.set(p, i * PAGE));
      return;
    }
    case 'array': s.o.length = s.values.length; for (let i = 0; i < s.values.length; i++) s.o[i] = s.values[i]; return;
    case 'map': s.o.clear(); for (const [a, b] of s.entries) s.o.set(a, b); return;
    case 'set': s.o.clear(); for (const v of s.values) s.o.add(v); return;
    case 'props': {
      const keep = new Set(s.names);
      // A field added since the snapshot goes, so a lazily built cache is rebuilt from the restored state.
      for (const n of Object.keys(s.o)) if (!keep.has(n)) delete s.o[n];
      s.names.forEach((n, i) => { s.o[n] = s.values[i]; });
    }
  }
}

export class Snapshot {
  private constructor(private readonly saved: readonly Saved[], readonly bytes: number) {}

  /**
   * Copies everything reachable from root, except through the objects in `leave` (the caller's own, say);
   * buffer pages unchanged since `previous` (a snapshot of the same machine) are shared with it.
   */
  static take(root: object, previous?: Snapshot, leave: ReadonlySet<object> = new Set()): Snapshot {
    const seen = new Set<object>(leave);
    const todo: object[] = [root];
    const saved: Saved[] = [];
    const prev = new Map<object, Saved>((previous?.saved ?? []).filter((x) => x.k === 'buffer').map((x) => [x.o, x]));
    let bytes = 0;
    const count = (n: number): void => { bytes += n; };
    const push = (v: unknown): void => { if (isObject(v) && !seen.has(v)) { seen.add(v); todo.push(v); } };
    seen.add(root);
    for (let o = todo.pop(); o !== undefined; o = todo.pop()) {
      const s = save(o, push, prev, count);
      if (!s) continue;
      saved.push(s);
      if (s.k !== 'buffer') bytes += 8 * (s.k === 'props' ? s.names.length : s.k === 'map' ? 2 * s.entries.length : s.values.length);
    }
    return new Snapshot(saved, bytes);
  }

  /** Puts every saved object back as it was when taken. */
  restore(): void {
    for (const s of this.saved) put(s);
  }
}
