/**
 * The paravirtual network device (hypervisor/devices/net.ts), its layout and
 * file set (isa/net.ts), its hypercalls and its configuration: end to end
 * with small bare-metal guests in paravm assembly that serve the requests
 * (set up the area, block for IRQ_NET, look the size up in NET_FILE_SIZES,
 * generate the file's words with `mul`, post tx segments, ring NET_NOTIFY),
 * and at unit level with a fake host, where the test itself plays the guest.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Hypervisor } from '../../../hypervisor/machine.ts';
import { NetDevice } from '../../../hypervisor/devices/net.ts';
import { netOptionProblems, type NetOptions } from '../../../hypervisor/config/index.ts';
import type { DeviceHost } from '../../../hypervisor/devices/device.ts';
import type { EventHandle } from '../../../hypervisor/events.ts';
import { GuestMemory } from '../../../hypervisor/cpu/memory.ts';
import { VS } from '../../../hypervisor/vcpu.ts';
import { collectStats, formatStatsText } from '../../../hypervisor/observe/stats.ts';
import { ConfigError, DEFAULTS, parseConfigJson, validateConfig } from '../../../hypervisor/config/index.ts';
import { E, HYPERCALLS } from '../../../isa/hypercalls.ts';
import { KERNEL_BASE, PAGE_SIZE } from '../../../isa/memory.ts';
import { CYCLES_PER_US } from '../../../isa/clock.ts';
import {
  NET, NET_AREA_BYTES, NET_DESC_BYTES, NET_FIELDS, NET_MAX_FILES, NET_RING_ENTRIES, RXD, TXD, TXF_LAST,
  fileChecksum, fileWord, netSymbols,
} from '../../../isa/net.ts';
import { FILE_CLASSES, makeFileSet } from '../../../hypervisor/devices/fileset.ts';
import { IRQ } from '../../../isa/traps.ts';
import { predefinedSymbols } from '../../../isa/symbols.ts';
import { asm, enterUserMode, symbol } from '../../helpers/guest.ts';
import { machineConfig } from '../../helpers/machine.ts';

const MEM = DEFAULTS.vm.memory;

// ---- the layout and the file set --------------------------------------------------

describe('isa/net.ts', () => {
  it('the area layout: the declared offsets, aligned, disjoint, within NET_AREA_BYTES', () => {
    expect(NET).toEqual({
      RX_PROD: 0, RX_CONS: 4, TX_PROD: 8, TX_CONS: 12, FILES: 0x10, FILE_SIZES: 0x100, RX_RING: 0x400, TX_RING: 0x800,
    });
    expect(RXD).toEqual({ CONN: 0, FILE: 4 });
    expect(TXD).toEqual({ CONN: 0, ADDR: 4, LEN: 8, FLAGS: 12 });
    const sorted = [...NET_FIELDS].sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.offset).toBeGreaterThanOrEqual(sorted[i - 1]!.offset + sorted[i - 1]!.bytes);
    expect(Math.max(...NET_FIELDS.map((f) => f.offset + f.bytes))).toBe(NET_AREA_BYTES);
    expect(NET_AREA_BYTES).toBeLessThanOrEqual(PAGE_SIZE);
  });

  it('the assembler predefines every name', () => {
    const syms = predefinedSymbols();
    for (const [name, value] of netSymbols()) expect(syms.get(name), name).toBe(value);
    expect(Object.fromEntries(netSymbols())).toMatchObject({
      NET_RING_ENTRIES: 64, NET_DESC_BYTES: 16, NET_MAX_FILES: 192, NET_AREA_BYTES: 0xc00, NET_MAX_SEGMENT: 4096,
      TXF_LAST: 1, NET_FILE_SIZES: 0x100, RXD_FILE: 4, TXD_FLAGS: 12,
    });
    expect(HYPERCALLS.find((h) => h.name === 'NET_SETUP')).toMatchObject({ number: 25, args: ['area'], user: false });
    expect(HYPERCALLS.find((h) => h.name === 'NET_NOTIFY')).toMatchObject({ number: 26, args: [], user: false });
  });

  it('file words and checksums follow the formulas', () => {
    expect(fileWord(0, 0)).toBe(0);
    expect(fileWord(0, 1)).toBe(0x9e3779b1);
    expect(fileWord(3, 5)).toBe(Math.imul((3 << 20) + 5, 0x9e3779b1) >>> 0);
    expect(fileChecksum(7, 0)).toBe(2166136261);
    let h = 2166136261;
    for (let j = 0; j < 25; j++) h = Math.imul(h ^ fileWord(2, j), 16777619) >>> 0;
    expect(fileChecksum(2, 100)).toBe(h);
  });

  const inClass = (s: number): number => FILE_CLASSES.findIndex((c) => s % c.base === 0 && s >= c.base && s <= 9 * c.base);

  it('file sets: sizes are multiples of 4 in the class ranges, deterministic by seed', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: NET_MAX_FILES }), fc.integer({ min: 0, max: 0xffff_ffff }), (n, seed) => {
      const sizes = makeFileSet(n, seed);
      expect(sizes).toHaveLength(n);
      for (const s of sizes) {
        expect(s % 4).toBe(0);
        expect(inClass(s), String(s)).toBeGreaterThanOrEqual(0);
      }
      expect(makeFileSet(n, seed)).toEqual(sizes);
    }), { numRuns: 200 });
    expect(makeFileSet(64, 1)).not.toEqual(makeFileSet(64, 2));
    expect(makeFileSet(64, 5).slice(0, 10)).toEqual(makeFileSet(10, 5));
    expect(() => makeFileSet(0, 1)).toThrow(RangeError);
    expect(() => makeFileSet(NET_MAX_FILES + 1, 1)).toThrow(RangeError);
  });

  it('class frequencies are about 35/50/15 percent, every k in 1..9 appears', () => {
    const counts = [0, 0, 0];
    const ks = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      for (const s of makeFileSet(NET_MAX_FILES, seed)) {
        const c = inClass(s);
        counts[c]!++;
        ks.add(s / FILE_CLASSES[c]!.base);
      }
    }
    const total = counts.reduce((a, b) => a + b, 0);
    counts.forEach((n, c) => expect(Math.abs(n / total - FILE_CLASSES[c]!.percent / 100)).toBeLessThan(0.02));
    expect([...ks].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

// ---- unit level: the device with a fake host, the test as the guest ------------------

interface Fake {
  dev: NetDevice;
  mem: GuestMemory;
  irqs: number[];
  vcpus: { index: number; state: number }[];
  t: { now: number };
  events: { time: number; fn: () => void; dead: boolean }[];
  /** Run due events up to time t. */
  advance(t: number): void;
}

const AREA = 0x1000;

function fake(opts: NetOptions, nvcpus = 1, seed = 1): Fake {
  const mem = new GuestMemory(64 * 1024);
  const irqs: number[] = [];
  const t = { now: 0 };
  const events: Fake['events'] = [];
  const vcpus = Array.from({ length: nvcpus }, (_, index) => ({ index, state: VS.RUNNING as number }));
  const host: DeviceHost = {
    now: () => t.now,
    at: (time, fn) => { const e = { time, fn, dead: false }; events.push(e); return e as unknown as EventHandle; },
    cancel: (e) => { if (e) (e as unknown as { dead: boolean }).dead = true; },
    vcpus: nvcpus,
    online: (i) => vcpus[i]!.state !== VS.OFFLINE && vcpus[i]!.state !== VS.STOPPED,
    raiseIrq: (i, line) => { expect(line).toBe(IRQ.NET); irqs.push(i); },
  };
  const dev = new NetDevice(host, mem, opts, seed);
  const advance = (to: number): void => {
    for (;;) {
      const due = events.filter((e) => !e.dead && e.time <= to).sort((a, b) => a.time - b.time)[0];
      if (!due) break;
      due.dead = true;
      t.now = due.time;
      due.fn();
    }
    t.now = to;
  };
  return { dev, mem, irqs, vcpus, t, events, advance };
}

const rd = (f: Fake, off: number): number => f.mem.readWord(AREA + off) >>> 0;
const wr = (f: Fake, off: number, v: number): void => f.mem.writeWord(AREA + off, v);

/** Take every request in the rx ring: [conn, file][]. */
function take(f: Fake): [number, number][] {
  const out: [number, number][] = [];
  let cons = rd(f, NET.RX_CONS);
  while (cons !== rd(f, NET.RX_PROD)) {
    const d = NET.RX_RING + (cons & (NET_RING_ENTRIES - 1)) * NET_DESC_BYTES;
    out.push([rd(f, d + RXD.CONN), rd(f, d + RXD.FILE)]);
    cons = (cons + 1) >>> 0;
  }
  wr(f, NET.RX_CONS, cons);
  return out;
}

const BUF = 0x4000;

/** Post one tx descriptor (not notified). */
function post(f: Fake, conn: number, addr: number, len: number, flags: number): void {
  const prod = rd(f, NET.TX_PROD);
  const d = NET.TX_RING + (prod & (NET_RING_ENTRIES - 1)) * NET_DESC_BYTES;
  wr(f, d + TXD.CONN, conn);
  wr(f, d + TXD.ADDR, addr);
  wr(f, d + TXD.LEN, len);
  wr(f, d + TXD.FLAGS, flags);
  wr(f, NET.TX_PROD, prod + 1);
}

/** Answer one request correctly, in segments of `seg` bytes, one NOTIFY per segment. */
function answer(f: Fake, conn: number, file: number, seg = 4096): void {
  const size = f.dev.fileSizes[file]!;
  for (let off = 0; off < size; off += seg) {
    const len = Math.min(seg, size - off);
    for (let j = 0; j < len / 4; j++) f.mem.writeWord(BUF + 4 * j, fileWord(file, off / 4 + j));
    post(f, conn, KERNEL_BASE + BUF, len, off + len === size ? TXF_LAST : 0);
    expect(f.dev.notify()).toBe(1);
  }
}

describe('NetDevice (unit)', () => {
  it('setup writes the file set and zeroes the counters; every client requests at once with think 0', () => {
    const f = fake({ clients: 5, files: 10 });
    for (const k of ['RX_PROD', 'RX_CONS', 'TX_PROD', 'TX_CONS'] as const) wr(f, NET[k]!, 0xdead);
    wr(f, NET.FILE_SIZES + 4 * 50, 0xdead);
    expect(f.dev.ready).toBe(false);
    f.dev.setup(AREA);
    expect(f.dev.ready).toBe(true);
    expect(rd(f, NET.FILES)).toBe(10);
    expect(Array.from({ length: NET_MAX_FILES }, (_, i) => rd(f, NET.FILE_SIZES + 4 * i)))
      .toEqual([...makeFileSet(10, 1), ...Array(NET_MAX_FILES - 10).fill(0)]);
    expect(rd(f, NET.RX_CONS)).toBe(0);
    expect(rd(f, NET.TX_PROD)).toBe(0);
    expect(rd(f, NET.TX_CONS)).toBe(0);
    expect(rd(f, NET.RX_PROD)).toBe(5);
    const reqs = take(f);
    expect(reqs.map(([c]) => c)).toEqual([0, 1, 2, 3, 4]); // request 0 of clients 0..4
    expect(f.dev.stats()).toMatchObject({ requests: 5, outstanding: 5, responses: 0 });
    expect(f.irqs).toEqual([0, 0, 0, 0, 0]);
  });

  it('a correct response is counted with its bytes, latency and checksum; the client asks again', () => {
    const f = fake({ clients: 1, files: 8 });
    f.dev.setup(AREA);
    const [[conn, file]] = take(f) as [[number, number]];
    f.t.now = 1234;
    answer(f, conn, file, 512);
    const size = f.dev.fileSizes[file]!;
    expect(f.dev.stats()).toEqual({
      requests: 2, responses: 1, bytes: size, bad: 0, errors: 0, latencySum: 1234, latencyMax: 1234, outstanding: 1,
    });
    expect(f.dev.digest).toBe(fileChecksum(file, size));
    expect(rd(f, NET.TX_CONS)).toBe(rd(f, NET.TX_PROD));
    const [[conn2]] = take(f) as [[number, number]];
    expect(conn2).toBe((1 << 8) | 0);
  });

  it('wrong contents, short and long responses are bad; a stale conn is an error', () => {
    const f = fake({ clients: 1, files: 8 });
    f.dev.setup(AREA);
    let [[conn, file]] = take(f) as [[number, number]];
    const size = (file: number) => f.dev.fileSizes[file]!;
    // Wrong contents: zeros.
    for (let j = 0; j < size(file) / 4; j++) f.mem.writeWord(BUF + 4 * j, 0);
    for (let off = 0; off < size(file); off += 4096) {
      post(f, conn, KERNEL_BASE + BUF, Math.min(4096, size(file) - off), off + 4096 >= size(file) ? TXF_LAST : 0);
    }
    f.dev.notify();
    expect(f.dev.stats()).toMatchObject({ responses: 1, bad: 1, bytes: 0, errors: 0 });
    // The old conn is not outstanding any more.
    post(f, conn, KERNEL_BASE + BUF, 4, TXF_LAST);
    f.dev.notify();
    expect(f.dev.stats()).toMatchObject({ responses: 1, errors: 1 });
    // Short by a word.
    [[conn, file]] = take(f) as [[number, number]];
    for (let j = 0; j < size(file) / 4; j++) f.mem.writeWord(BUF + 4 * j, fileWord(file, j));
    post(f, conn, KERNEL_BASE + BUF, Math.min(4096, size(file) - 4), TXF_LAST);
    f.dev.notify();
    expect(f.dev.stats()).toMatchObject({ responses: 2, bad: 2, bytes: 0 });
    expect(f.dev.digest).toBe(0);
  });

  it('consumes a whole batch per notify and returns its length; an overrun is one error and resynchronises', () => {
    const f = fake({ clients: 3, files: 4 });
    f.dev.setup(AREA);
    const reqs = take(f);
    // All three responses posted, one NOTIFY.
    let n = 0;
    for (const [conn, file] of reqs) {
      const size = f.dev.fileSizes[file]!;
      for (let off = 0; off < size; off += 4096) {
        const len = Math.min(4096, size - off);
        const at = BUF + 0x4000 * (conn & 0xff) + off;
        for (let j = 0; j < len / 4; j++) f.mem.writeWord(at + 4 * j, fileWord(file, off / 4 + j));
        post(f, conn, KERNEL_BASE + at, len, off + len === size ? TXF_LAST : 0);
        n++;
      }
    }
    expect(f.dev.notify()).toBe(n);
    expect(f.dev.stats()).toMatchObject({ responses: 3, bad: 0, errors: 0, requests: 6 });
    wr(f, NET.TX_PROD, rd(f, NET.TX_CONS) + NET_RING_ENTRIES + 1);
    expect(f.dev.notify()).toBe(0);
    expect(f.dev.stats().errors).toBe(1);
    expect(rd(f, NET.TX_CONS)).toBe(rd(f, NET.TX_PROD));
    expect(f.dev.notify()).toBe(0); // nothing pending now
  });

  it('counters wrap around 2^32', () => {
    const f = fake({ clients: 1, files: 2 });
    f.dev.setup(AREA);
    const [[conn, file]] = take(f) as [[number, number]];
    // Pretend 2^32 - 1 descriptors went before: the device follows TX_PROD from its own TX_CONS, so move both.
    (f.dev as unknown as { txCons: number }).txCons = 0xffff_ffff;
    wr(f, NET.TX_PROD, 0xffff_ffff);
    answer(f, conn, file);
    expect(rd(f, NET.TX_CONS) >>> 0).toBe(rd(f, NET.TX_PROD) >>> 0);
    expect(f.dev.stats()).toMatchObject({ responses: 1, bad: 0, errors: 0 });
  });

  it('interrupts go round-robin over the started VCPUs', () => {
    const f = fake({ clients: 7 }, 3);
    f.vcpus[1]!.state = VS.OFFLINE;
    f.dev.setup(AREA);
    expect(f.irqs).toEqual([0, 2, 0, 2, 0, 2, 0]);
    f.vcpus[1]!.state = VS.BLOCKED;
    const reqs = take(f);
    for (const [conn, file] of reqs.slice(0, 4)) answer(f, conn, file);
    expect(f.irqs.slice(7)).toEqual([1, 2, 0, 1]); // VCPU 0 had the last one
  });

  it('think times are exponential with the given mean and do not change which files a client asks for', () => {
    const files = (thinkUs: number): { seq: number[]; gaps: number[] } => {
      const f = fake({ clients: 1, files: 16, thinkUs });
      f.dev.setup(AREA);
      const seq: number[] = [];
      const gaps: number[] = [];
      let last = 0;
      for (let i = 0; i < 2000; i++) {
        if (f.events.some((e) => !e.dead)) f.advance(Math.min(...f.events.filter((e) => !e.dead).map((e) => e.time)));
        gaps.push(f.t.now - last);
        const [[conn, file]] = take(f) as [[number, number]];
        seq.push(file);
        answer(f, conn, file);
        last = f.t.now;
      }
      return { seq, gaps };
    };
    const a = files(0);
    const b = files(50);
    expect(b.seq).toEqual(a.seq);
    expect(a.gaps.every((g) => g === 0)).toBe(true);
    const mean = b.gaps.reduce((s, g) => s + g, 0) / b.gaps.length;
    expect(Math.abs(mean / (50 * CYCLES_PER_US) - 1)).toBeLessThan(0.08);
    // Zipf, alpha 1: file i is asked for in proportion to 1 / (i + 1).
    const h = Array.from({ length: 16 }, (_, i) => 1 / (i + 1)).reduce((s, x) => s + x, 0);
    const freq = (i: number) => a.seq.filter((x) => x === i).length / a.seq.length;
    expect(Math.abs(freq(0) - 1 / h)).toBeLessThan(0.04);
    expect(Math.abs(freq(1) - 1 / (2 * h))).toBeLessThan(0.03);
    expect(freq(0)).toBeGreaterThan(freq(7));
  });

  it('a request limit stops each client; onComplete runs once when all are done; stop cancels thinking', () => {
    let calls = 0;
    const f = fake({ clients: 2, files: 4, requests: 3, onComplete: () => calls++ });
    f.dev.setup(AREA);
    for (let round = 0; round < 3; round++) {
      expect(calls).toBe(0);
      for (const [conn, file] of take(f)) answer(f, conn, file);
    }
    expect(calls).toBe(1);
    expect(f.dev.done).toBe(true);
    expect(f.dev.stats()).toMatchObject({ requests: 6, responses: 6, outstanding: 0 });
    expect(take(f)).toEqual([]);
    const g = fake({ clients: 2, thinkUs: 100 });
    g.dev.setup(AREA);
    expect(g.events.filter((e) => !e.dead)).toHaveLength(2);
    g.dev.stop();
    expect(g.events.filter((e) => !e.dead)).toHaveLength(0);
  });

  it('validates its options', () => {
    expect(netOptionProblems({})).toEqual([]);
    expect(netOptionProblems({ clients: 64, files: 192, thinkUs: 0.5, requests: 1, seed: 0 })).toEqual([]);
    expect(netOptionProblems({ clients: 65, files: 0, thinkUs: -1, requests: 0, seed: -1 }).map(([k]) => k))
      .toEqual(['clients', 'files', 'requests', 'seed', 'thinkUs']);
    expect(() => fake({ clients: 0 })).toThrow(ConfigError);
  });
});

// ---- end to end: bare-metal guests -------------------------------------------------------

interface ServerOpts {
  /** Responses to serve before shutting down. */
  total: number;
  /** Segment size in bytes. */
  seg?: number;
  /** Corrupt the responses of client 0 (flip a bit of each segment's first word). */
  corrupt?: boolean;
  vcpus?: number;
}

/**
 * A one-VCPU web server: sets up the area, serves requests (blocking with
 * IMASK = IRQ_NET when the rx ring is empty), logs (conn, file) of each, and
 * shuts down after `total` responses. res[0] = NET_SETUP result, res[1] =
 * responses served, res[2 + i] = IRQ_NET interrupts seen by VCPU i (VCPU 0
 * checks IPEND before each look at the ring, so it sees them while busy too). With 2
 * VCPUs, VCPU 1 only takes IRQ_NET and passes it on to VCPU 0 with an IPI.
 */
function server(o: ServerOpts): string {
  const corrupt = o.corrupt ? String.raw`
        andi    t0, s3, 0xff
        bnez    t0, 5f
        la      t0, buf
        lw      t1, 0(t0)
        xori    t1, t1, 1
        sw      t1, 0(t0)
5:` : '';
  return String.raw`
        .equ    TOTAL, ${o.total}
        .equ    SEG, ${o.seg ?? 4096}
        .text
_start:
        di
        la      s0, area
.if ${o.vcpus ?? 1} > 1
        li      a0, HC_VCPU_START
        li      a1, 1
        la      a2, helper
        la      a3, stack1
        li      a4, 0
        hcall
.endif
        li      a0, HC_NET_SETUP
        mv      a1, s0
        hcall
        la      t0, res
        sw      a0, 0(t0)
        bnez    a0, finish
        li      t0, (1 << IRQ_NET) | (1 << IRQ_IPI)
        csrw    CSR_IMASK, t0
        li      s1, 0                   # responses served
loop:   csrr    t0, CSR_IPEND           # count (and clear) IRQ_NET in res[2]
        andi    t0, t0, 1 << IRQ_NET
        beqz    t0, 7f
        csrw    CSR_IPEND, t0
        la      t0, res
        lw      t1, 8(t0)
        addi    t1, t1, 1
        sw      t1, 8(t0)
7:      lw      t0, NET_RX_CONS(s0)
        lw      t1, NET_RX_PROD(s0)
        beq     t0, t1, idle
        andi    t2, t0, NET_RING_ENTRIES - 1
        slli    t2, t2, 4
        add     t2, t2, s0
        lw      a0, NET_RX_RING + RXD_CONN(t2)
        lw      a1, NET_RX_RING + RXD_FILE(t2)
        addi    t0, t0, 1
        sw      t0, NET_RX_CONS(s0)
        la      t0, log
        slli    t1, s1, 3
        add     t0, t0, t1
        sw      a0, 0(t0)
        sw      a1, 4(t0)
        call    serve
        addi    s1, s1, 1
        li      t0, TOTAL
        bne     s1, t0, loop
finish: la      t0, res
        sw      s1, 4(t0)
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
idle:   li      a0, HC_BLOCK                # until IRQ_NET (or the IPI from VCPU 1) is pending
        hcall
        li      t0, 1 << IRQ_IPI
        csrw    CSR_IPEND, t0
        j       loop

# serve(a0 = conn, a1 = file): the file in segments of SEG bytes, generated into buf.
serve:  mv      s3, a0
        slli    t0, a1, 2
        add     t0, t0, s0
        lw      a3, NET_FILE_SIZES(t0)  # bytes left
        slli    a5, a1, 20              # (file << 20) + word index
        li      s2, 0x9E3779B1
1:      li      a4, SEG
        bgeu    a3, a4, 2f
        mv      a4, a3
2:      la      t0, buf
        add     t1, t0, a4
3:      mul     t2, a5, s2
        sw      t2, 0(t0)
        addi    a5, a5, 1
        addi    t0, t0, 4
        bltu    t0, t1, 3b
${corrupt}
        lw      t0, NET_TX_PROD(s0)
        andi    t1, t0, NET_RING_ENTRIES - 1
        slli    t1, t1, 4
        add     t1, t1, s0
        sw      s3, NET_TX_RING + TXD_CONN(t1)
        la      t2, buf
        sw      t2, NET_TX_RING + TXD_ADDR(t1)
        sw      a4, NET_TX_RING + TXD_LEN(t1)
        sub     a3, a3, a4
        li      t2, 0
        bnez    a3, 4f
        li      t2, TXF_LAST
4:      sw      t2, NET_TX_RING + TXD_FLAGS(t1)
        addi    t0, t0, 1
        sw      t0, NET_TX_PROD(s0)
        li      a0, HC_NET_NOTIFY
        hcall
        bnez    a3, 1b
        ret

# VCPU 1: count IRQ_NET in res[3], pass each on to VCPU 0.
helper: li      t0, 1 << IRQ_NET
        csrw    CSR_IMASK, t0
6:      li      a0, HC_BLOCK
        hcall
        li      t0, 1 << IRQ_NET
        csrw    CSR_IPEND, t0
        la      t0, res
        lw      t1, 12(t0)
        addi    t1, t1, 1
        sw      t1, 12(t0)
        li      a0, HC_IPI
        li      a1, 0
        hcall
        j       6b

        .data
        .balign 4096
area:   .space  4096
buf:    .space  4096
res:    .space  64
        .space  1024
stack1:
log:    .space  8 * 4096
`;
}

interface NetRun {
  hv: Hypervisor;
  dev: NetDevice;
  res: (i: number) => number;
  /** (conn, file) of every request the guest served, in order. */
  log: [number, number][];
}

function runNet(source: string, net: NetOptions | undefined, over: { vcpus?: number; seed?: number; pcpus?: number; time?: number } = {}): NetRun {
  const img = asm(source, 'net.s');
  const cfg = machineConfig([{ source, vcpus: over.vcpus ?? 1 }], { time: over.time ?? 500_000_000, seed: over.seed ?? 1, pcpus: over.pcpus ?? 1 });
  cfg.vms[0]!.images = ['net.s'];
  if (net) cfg.vms[0]!.net = net;
  validateConfig(cfg);
  const hv = new Hypervisor(cfg, [{ images: [img] }]);
  hv.run();
  const vm = hv.vms[0]!;
  const word = (name: string, i: number): number => vm.mem.readWord(symbol(img, name) - KERNEL_BASE + 4 * i);
  const res = (i: number): number => word('res', i);
  const served = img.symbols.some((x) => x.name === 'log') ? Math.max(0, res(1)) : 0;
  const log = Array.from({ length: served }, (_, i): [number, number] => [word('log', 2 * i) >>> 0, word('log', 2 * i + 1)]);
  return { hv, dev: vm.net!, res, log };
}

/** The digest a run must have: the sum of the checksums of the files it served, from the exported file set. */
function expectedDigest(log: readonly [number, number][], files: number, seed: number, skip = (_conn: number) => false): number {
  const sizes = makeFileSet(files, seed);
  return log.reduce((s, [conn, f]) => (skip(conn) ? s : (s + fileChecksum(f, sizes[f]!)) >>> 0), 0);
}

describe('the network device under a guest web server', () => {
  it('serves every request correctly; the digest is the sum of the served files\' checksums', () => {
    let completed = 0;
    const r = runNet(server({ total: 160, seg: 1024 }), { clients: 16, requests: 10, onComplete: () => completed++ });
    expect(r.res(0)).toBe(0);
    expect(r.res(1)).toBe(160);
    expect(r.hv.vms[0]!.state).toBe('shutdown');
    const s = r.dev.stats();
    expect(s).toMatchObject({ requests: 160, responses: 160, bad: 0, errors: 0, outstanding: 0 });
    expect(completed).toBe(1);
    expect(r.dev.done).toBe(true);
    const sizes = makeFileSet(64, 1);
    expect(s.bytes).toBe(r.log.reduce((n, [, f]) => n + sizes[f]!, 0));
    expect(r.dev.digest).toBe(expectedDigest(r.log, 64, 1));
    // Each client made exactly its 10 requests, numbered 0..9.
    for (let c = 0; c < 16; c++) {
      expect(r.log.filter(([conn]) => (conn & 0xff) === c).map(([conn]) => conn >>> 8).sort((a, b) => a - b))
        .toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(s.latencyMax).toBeGreaterThan(0);
    expect(s.latencySum).toBeGreaterThanOrEqual(s.latencyMax);
    // --stats has the device.
    const st = collectStats(r.hv);
    expect(st.vms[0]!.net).toEqual({ ...s, digest: r.dev.digest });
    expect(formatStatsText(st)).toMatch(/vm0\.net\.responses\s+160\s/);
  });

  it('the same seed gives the same run; another seed other requests; think time changes timing, not the requests', () => {
    const go = (seed: number, thinkUs = 0) => {
      const r = runNet(server({ total: 48 }), { clients: 8, requests: 6, files: 32, thinkUs }, { seed });
      expect(r.dev.stats().bad).toBe(0);
      const perClient = (conn: number) => (conn & 0xff) * 1000 + (conn >>> 8);
      return { stats: r.dev.stats(), digest: r.dev.digest, time: r.hv.elapsed(), reqs: [...r.log].sort((a, b) => perClient(a[0]) - perClient(b[0])) };
    };
    const a = go(7);
    const b = go(7);
    expect(b).toEqual(a);
    const c = go(8);
    expect(c.digest).not.toBe(a.digest);
    const d = go(7, 200);
    expect(d.reqs).toEqual(a.reqs);
    expect(d.digest).toBe(a.digest);
    expect(d.time).toBeGreaterThan(a.time);
    // The net seed, when given, overrides the machine seed.
    const e = runNet(server({ total: 48 }), { clients: 8, requests: 6, files: 32, seed: 7 }, { seed: 99 });
    expect(e.dev.digest).toBe(a.digest);
  });

  it('wrong bytes are counted as bad responses, and not in bytes or the digest', () => {
    const r = runNet(server({ total: 40, corrupt: true }), { clients: 4, requests: 10 });
    const s = r.dev.stats();
    expect(s).toMatchObject({ responses: 40, bad: 10, errors: 0 });
    const ok = r.log.filter(([conn]) => (conn & 0xff) !== 0);
    const sizes = makeFileSet(64, 1);
    expect(s.bytes).toBe(ok.reduce((n, [, f]) => n + sizes[f]!, 0));
    expect(r.dev.digest).toBe(expectedDigest(r.log, 64, 1, (conn) => (conn & 0xff) === 0));
  });

  it('interrupts are spread round-robin over two VCPUs', () => {
    const r = runNet(server({ total: 60, vcpus: 2 }), { clients: 4, requests: 15 }, { vcpus: 2, pcpus: 2 });
    expect(r.res(1)).toBe(60);
    expect(r.dev.stats()).toMatchObject({ responses: 60, bad: 0 });
    const [on0, on1] = [r.res(2), r.res(3)];
    expect(on0).toBeGreaterThan(0);
    expect(on1).toBeGreaterThan(0);
    // 60 requests, alternating: each VCPU got 30 raised (taken ones may coalesce).
    expect(on0).toBeLessThanOrEqual(30);
    expect(on1).toBeLessThanOrEqual(30);
  });

  it('runs from a JSON configuration', () => {
    const cfg = parseConfigJson(JSON.stringify({
      vms: [{ image: 'x.s', net: { clients: 3, think: '20us', files: 10, requests: 4, seed: 5 } }],
    }), 'm.json');
    expect(cfg.vms[0]!.net).toEqual({ clients: 3, thinkUs: 20, files: 10, requests: 4, seed: 5 });
    const source = server({ total: 12 });
    const img = asm(source);
    cfg.vms[0]!.images = [];
    cfg.time = 100_000_000;
    const hv = new Hypervisor(cfg, [{ images: [img] }]);
    hv.run();
    expect(hv.vms[0]!.state).toBe('shutdown');
    expect(hv.vms[0]!.net!.stats()).toMatchObject({ responses: 12, bad: 0, requests: 12 });
    expect(hv.vms[0]!.net!.fileSizes).toEqual(makeFileSet(10, 5));
  });
});

// ---- hypercall errors ---------------------------------------------------------------------

/** A guest that makes the calls in `body` (each `keep`s a0 in res[i]) and shuts down. */
function calls(body: string): string {
  return String.raw`
        .macro  hc num, x1=0
        li      a1, \x1
        li      a0, \num
        hcall
        .endm
        .macro  keep slot
        la      t2, res
        sw      a0, (\slot) * 4(t2)
        .endm
        .text
_start:
${body}
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
        .data
        .balign 4096
area:   .space  4096
page2:  .space  4096
res:    .space  64
buf:    .space  64
`;
}

function runCalls(body: string, net: NetOptions | undefined, n: number): { res: number[]; hv: Hypervisor } {
  const r = runNet(calls(body), net);
  expect(r.hv.vms[0]!.state).toBe('shutdown');
  return { res: Array.from({ length: n }, (_, i) => r.res(i)), hv: r.hv };
}

describe('NET_SETUP and NET_NOTIFY errors', () => {
  it('E_NOSYS without a network device', () => {
    const { res, hv } = runCalls('hc HC_NET_SETUP, area\n keep 0\n hc HC_NET_NOTIFY\n keep 1', undefined, 2);
    expect(res).toEqual([E.NOSYS, E.NOSYS]);
    expect(hv.vms[0]!.net).toBeUndefined();
    expect(collectStats(hv).vms[0]!.net).toBeUndefined();
  });

  it('E_INVAL for an area that is misaligned, not kernel memory, or not wholly inside memory; nothing is set up', () => {
    const { res, hv } = runCalls(`
        hc HC_NET_SETUP, area + 4
        keep 0
        hc HC_NET_SETUP, area - KERNEL_BASE
        keep 1
        hc HC_NET_SETUP, KERNEL_BASE + ${MEM}
        keep 2
        hc HC_NET_SETUP, 0
        keep 3
        hc HC_NET_SETUP, -4096
        keep 4
        hc HC_NET_NOTIFY
        keep 5
        hc HC_NET_SETUP, KERNEL_BASE + ${MEM - 4096}
        keep 6`, { clients: 2 }, 7);
    expect(res).toEqual([E.INVAL, E.INVAL, E.INVAL, E.INVAL, E.INVAL, E.STATE, 0]);
    expect(hv.vms[0]!.net!.stats().requests).toBe(2); // only the last call set it up
  });

  it('E_STATE for NOTIFY before setup and for a second setup; NOTIFY with nothing posted returns 0', () => {
    const { res, hv } = runCalls(`
        hc HC_NET_NOTIFY
        keep 0
        hc HC_NET_SETUP, area
        keep 1
        hc HC_NET_SETUP, page2
        keep 2
        hc HC_NET_NOTIFY
        keep 3
        la t0, area
        lw a0, NET_RX_PROD(t0)
        keep 4
        la t0, page2
        lw a0, NET_FILES(t0)
        keep 5`, { clients: 3 }, 6);
    expect(res).toEqual([E.STATE, 0, E.STATE, 0, 3, 0]);
    expect(hv.vms[0]!.net!.stats().requests).toBe(3);
  });

  it('invalid descriptors are counted in errors and skipped; the machine goes on', () => {
    // One client; its first request is conn 0. Post 7 bad descriptors, then one good one-segment response.
    const bad: [string, string, string][] = [
      ['0', 'buf - KERNEL_BASE', '4'], // user address
      ['0', `KERNEL_BASE + ${MEM - 4}`, '8'], // runs past the end of memory
      ['0', 'buf', '0'], // len 0
      ['0', 'buf', '4100'], // len > NET_MAX_SEGMENT
      ['0', 'buf', '6'], // not a multiple of 4
      ['0x100', 'buf', '4'], // request 1 of client 0: not issued
      ['5', 'buf', '4'], // no client 5
    ];
    const postDesc = ([conn, addr, len]: [string, string, string], flags: string) => `
        lw      t0, NET_TX_PROD(s0)
        andi    t1, t0, NET_RING_ENTRIES - 1
        slli    t1, t1, 4
        add     t1, t1, s0
        li      t2, ${conn}
        sw      t2, NET_TX_RING + TXD_CONN(t1)
        li      t2, ${addr}
        sw      t2, NET_TX_RING + TXD_ADDR(t1)
        li      t2, ${len}
        sw      t2, NET_TX_RING + TXD_LEN(t1)
        li      t2, ${flags}
        sw      t2, NET_TX_RING + TXD_FLAGS(t1)
        addi    t0, t0, 1
        sw      t0, NET_TX_PROD(s0)`;
    const sizes = makeFileSet(1, 1);
    const { res, hv } = runCalls(`
        la s0, area
        hc HC_NET_SETUP, area
        keep 0
        ${bad.map((d) => postDesc(d, 'TXF_LAST')).join('\n')}
        hc HC_NET_NOTIFY
        keep 1
        # the file (file 0: its words are 0, 0x9E3779B1, ...), at big, in one segment
        la      t0, big
        li      t1, 0
        li      t2, 0x9E3779B1
        lw      a3, NET_FILE_SIZES(s0)
        add     a3, a3, t0
1:      mul     a2, t1, t2
        sw      a2, 0(t0)
        addi    t1, t1, 1
        addi    t0, t0, 4
        bltu    t0, a3, 1b
        ${postDesc(['0', 'big', String(sizes[0])], 'TXF_LAST')}
        hc HC_NET_NOTIFY
        keep 2
        .data
big:    .space 4096
        .text`, { clients: 1, files: 1 }, 3);
    expect(sizes[0]).toBeLessThanOrEqual(4096);
    expect(res).toEqual([0, 7, 1]);
    expect(hv.vms[0]!.net!.stats()).toMatchObject({ errors: 7, responses: 1, bad: 0, bytes: sizes[0], requests: 2 });
  });

  it('E_PERM from user mode, with no effect', () => {
    // Map one user page of code, run NET_SETUP there; the syscall handler keeps a0 and tries NET_NOTIFY.
    const source = String.raw`
        .equ    USER_VA, 0x00400000
        .text
_start: la      t0, handler
        csrw    CSR_TVEC, t0
${enterUserMode()}
handler:
        la      t0, res
        sw      a0, 0(t0)
        li      a0, HC_NET_NOTIFY
        hcall
        la      t0, res
        sw      a0, 4(t0)
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
        .balign 4096
user_code:
        li      a0, HC_NET_SETUP
        li      a1, area
        hcall
        syscall
        .data
        .balign 4096
area:   .space  4096
pt_root: .space 4096
pt_leaf: .space 4096
res:    .space  64
`;
    const r = runNet(source, { clients: 2 });
    expect(r.hv.vms[0]!.state).toBe('shutdown');
    expect([r.res(0), r.res(1)]).toEqual([E.PERM, E.STATE]);
    expect(r.dev.ready).toBe(false);
    expect(r.dev.stats().requests).toBe(0);
  });
});

// ---- configuration ---------------------------------------------------------------------------

describe('net configuration', () => {
  const parse = (net: unknown) => parseConfigJson(JSON.stringify({ vms: [{ image: 'a.s', net }] }), 'm.json');

  it('parses durations for think (0 allowed) and leaves absent fields to the defaults', () => {
    expect(parse({}).vms[0]!.net).toEqual({});
    expect(parse({ think: '1ms' }).vms[0]!.net).toEqual({ thinkUs: 1000 });
    expect(parse({ think: 0 }).vms[0]!.net).toEqual({ thinkUs: 0 });
    expect(parse({ think: '0us' }).vms[0]!.net).toEqual({ thinkUs: 0 });
    expect(parse({ think: 150 }).vms[0]!.net).toEqual({ thinkUs: 1.5 });
    expect(parseConfigJson(JSON.stringify({ vms: [{ image: 'a.s' }] }), 'm.json').vms[0]!.net).toBeUndefined();
  });

  it('reports every problem with its path', () => {
    const msg = (net: unknown): string => {
      try { parse(net); } catch (e) { expect(e).toBeInstanceOf(ConfigError); return (e as Error).message; }
      throw new Error('no error');
    };
    expect(msg({ clients: 65, think: '10', files: 0, requests: -1, seed: 'x', thinkUs: 3 }).split('\n')).toEqual([
      'm.json: vms[0].net."thinkUs": unknown key (known: clients, think, files, requests, seed)',
      'm.json: vms[0].net.clients: must be at most 64, got 65',
      'm.json: vms[0].net.think: expected a duration like 10ms, 500us or 1000cycles, got "10"',
      'm.json: vms[0].net.files: must be a positive integer, got 0',
      'm.json: vms[0].net.requests: must be a positive integer, got -1',
      'm.json: vms[0].net.seed: must be a non-negative integer, got "x"',
    ]);
    expect(msg(3)).toBe('m.json: vms[0].net: must be an object like {"clients": 16, "think": "100us"}, got 3');
  });

  it('validateConfig checks programmatic options', () => {
    const cfg = machineConfig([{ source: '' }]);
    cfg.vms[0]!.images = ['x'];
    cfg.vms[0]!.net = { clients: 100, thinkUs: -2 };
    expect(() => validateConfig(cfg)).toThrow(/vms\[0\] \(vm0\)\.net\.clients: must be at most 64, got 100\n.*net\.thinkUs: must be a non-negative/);
  });
});
