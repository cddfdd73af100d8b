/**
 * The paravirtual network device of one VM, and the closed-loop load
 * generator behind it: the workload of the web-server experiment.
 *
 * The guest registers a net area (isa/net.ts) with HC_NET_SETUP. Then each of
 * `clients` simulated clients thinks (exponential, mean thinkUs), requests a
 * file (Zipf popularity over the file set), and waits for the whole response
 * before it thinks again: at most one request outstanding per client, so the
 * 64-slot rx ring never overflows. A request is an rx descriptor plus IRQ_NET
 * on one VCPU of the VM, round-robin like irqbalance. The guest answers with
 * tx descriptors (segments of guest memory) and HC_NET_NOTIFY, which consumes
 * them at once: the device folds each segment into its request's running
 * FNV-1a checksum and byte count, and at TXF_LAST checks the response against
 * the file. Each client draws its (think, file) pairs from its own seeded
 * stream, so the requests a run issues do not depend on guest timing: with a
 * per-client request limit, every scheduler that serves them all yields the
 * same `digest`.
 *
 * Nothing the guest writes can raise a host exception: a bad descriptor is
 * counted in `errors` and skipped.
 */
import { CYCLES_PER_US } from '../../isa/clock.ts';
import { KERNEL_BASE } from '../../isa/memory.ts';
import {
  NET,
  NET_DESC_BYTES,
  NET_MAX_FILES,
  NET_MAX_SEGMENT,
  NET_RING_ENTRIES,
  RXD,
  TXD,
  TXF_LAST,
  FNV_OFFSET,
  FNV_PRIME,
  fileChecksum,
} from '../../isa/net.ts';
import { makeFileSet } from './fileset.ts';
import { IRQ } from '../../isa/traps.ts';
import type { GuestMemory } from '../cpu/index.ts';
import type { EventHandle } from '../events.ts';
import { Rng } from '../rng.ts';
import type { Device, DeviceHost } from './device.ts';
import { ConfigError, NET_DEFAULTS, netOptionProblems, type NetOptions } from '../config/index.ts';

const NET_IRQ = IRQ.NET;
/** A local copy: an imported binding read in the per-word loop costs a getter call under some loaders. */
const PRIME = FNV_PRIME;
const SLOT_MASK = NET_RING_ENTRIES - 1;
/** Salt of the client streams, so they differ from the scheduler's stream for the same seed. */
const CLIENT_SALT = 0x4e455430; // "NET0"

/** The device's counters (--stats, and the experiment's read-outs). */
export type NetStats = {
  /** Requests issued (put in the rx ring). */
  requests: number;
  /** Responses completed (a TXF_LAST descriptor), correct or not. */
  responses: number;
  /** Bytes of correct responses: bandwidth = bytes per second of virtual time. */
  bytes: number;
  /** Responses completed with the wrong length or contents. */
  bad: number;
  /** Invalid tx descriptors skipped (unknown conn, address, length), and ring overruns. */
  errors: number;
  /** Sum of response latencies (request issued to response completed), in cycles. */
  latencySum: number;
  /** Longest response latency, in cycles. */
  latencyMax: number;
  /** Requests issued and not yet answered. */
  outstanding: number;
};

interface Client {
  readonly index: number;
  readonly rng: Rng;
  /** Requests issued so far (the next request's number). */
  seq: number;
  /** Conn id of the outstanding request, or -1. */
  conn: number;
  file: number;
  /** The file of the next request (drawn with its think time). */
  nextFile: number;
  issuedAt: number;
  hash: number;
  got: number;
  /** Responses received. */
  done: number;
  timer: EventHandle | undefined;
}

export class NetDevice implements Device {
  readonly name = 'net';
  readonly clients: number;
  readonly thinkUs: number;
  readonly requestsPerClient: number | undefined;
  readonly seed: number;
  /** Byte size of each file. */
  readonly fileSizes: readonly number[];
  /** FNV-1a of each file: what a correct response hashes to. */
  readonly fileChecksums: readonly number[];
  /** Guest-physical address of the net area, or -1 before HC_NET_SETUP. */
  private area = -1;
  private stopped = false;
  private completed = false;
  private rxProd = 0;
  private txCons = 0;
  private rr = 0;
  private sum = 0;
  private readonly c: Client[];
  private readonly zipf: Float64Array;
  private readonly thinkCycles: number;
  private readonly onComplete: (() => void) | undefined;
  private readonly s: NetStats = { requests: 0, responses: 0, bytes: 0, bad: 0, errors: 0, latencySum: 0, latencyMax: 0, outstanding: 0 };

  /** seed: the machine seed, used unless opts.seed is given. */
  constructor(private readonly host: DeviceHost, private readonly mem: GuestMemory, opts: NetOptions, seed: number) {
    const problems = netOptionProblems(opts);
    if (problems.length > 0) throw new ConfigError(`net: ${problems.map(([k, p]) => `${k}: ${p}`).join('; ')}`);
    this.clients = opts.clients ?? NET_DEFAULTS.clients;
    this.thinkUs = opts.thinkUs ?? NET_DEFAULTS.thinkUs;
    this.thinkCycles = this.thinkUs * CYCLES_PER_US;
    this.requestsPerClient = opts.requests;
    this.onComplete = opts.onComplete;
    this.seed = (opts.seed ?? seed) >>> 0;
    this.fileSizes = makeFileSet(opts.files ?? NET_DEFAULTS.files, this.seed);
    this.fileChecksums = this.fileSizes.map((size, f) => fileChecksum(f, size));
    // Zipf popularity, alpha 1: file i has weight 1 / (i + 1); zipf[i] = cumulative weight up to i.
    this.zipf = new Float64Array(this.fileSizes.length);
    let acc = 0;
    for (let i = 0; i < this.zipf.length; i++) this.zipf[i] = acc += 1 / (i + 1);
    // Client i's stream is the same whatever the number of clients.
    const root = new Rng((this.seed ^ CLIENT_SALT) >>> 0);
    this.c = Array.from({ length: this.clients }, (_, index): Client => ({
      index, rng: new Rng(root.next()), seq: 0, conn: -1, file: 0, nextFile: 0, issuedAt: 0, hash: FNV_OFFSET, got: 0, done: 0, timer: undefined,
    }));
  }

  /** HC_NET_SETUP has been called. */
  get ready(): boolean { return this.area >= 0; }

  /** Every client has received its `requests` responses (never, without a limit). */
  get done(): boolean { return this.completed; }

  /** Sum mod 2^32 of the checksums of all correct responses: order-independent. */
  get digest(): number { return this.sum; }

  /** HC_NET_SETUP (validated): pa is the guest-physical address of the area. */
  setup(pa: number): void {
    this.area = pa;
    this.put(NET.FILES, this.fileSizes.length);
    for (let i = 0; i < NET_MAX_FILES; i++) this.put(NET.FILE_SIZES + 4 * i, this.fileSizes[i] ?? 0);
    for (const k of ['RX_PROD', 'RX_CONS', 'TX_PROD', 'TX_CONS'] as const) this.put(NET[k]!, 0);
    for (const c of this.c) this.think(c);
  }

  /** HC_NET_NOTIFY (validated): consume the tx ring up to TX_PROD; returns how many descriptors. */
  notify(): number {
    const prod = this.get(NET.TX_PROD) >>> 0;
    const n = (prod - this.txCons) >>> 0;
    if (n > NET_RING_ENTRIES) {
      // TX_PROD ran more than a ring ahead: the descriptors are lost. Resynchronise.
      this.s.errors++;
      this.txCons = prod;
      this.put(NET.TX_CONS, prod);
      return 0;
    }
    for (let i = 0; i < n; i++) this.transmit(NET.TX_RING + ((this.txCons + i) & SLOT_MASK) * NET_DESC_BYTES);
    this.txCons = prod;
    this.put(NET.TX_CONS, prod);
    if (!this.completed && this.requestsPerClient !== undefined && this.c.every((c) => c.done >= this.requestsPerClient!)) {
      this.completed = true;
      this.onComplete?.();
    }
    return n;
  }

  stats(): NetStats { return { ...this.s }; }

  stop(): void {
    this.stopped = true;
    for (const c of this.c) { this.host.cancel(c.timer); c.timer = undefined; }
  }

  // ---- the load generator ---------------------------------------------------

  /** Client c thinks, then requests its next file (unless it has made all its requests). */
  private think(c: Client): void {
    if (this.stopped || (this.requestsPerClient !== undefined && c.done >= this.requestsPerClient)) return;
    // Two draws per request, think time then file, whatever thinkUs is: the files a client asks for do not depend on it.
    const u = c.rng.next() / 2 ** 32;
    c.nextFile = this.pickFile(c.rng.next() / 2 ** 32);
    const think = Math.round(-this.thinkCycles * Math.log(1 - u));
    if (think <= 0) { this.issue(c); return; }
    c.timer = this.host.at(this.host.now() + think, () => { c.timer = undefined; this.issue(c); });
  }

  private pickFile(u: number): number {
    const z = this.zipf;
    const x = u * z[z.length - 1]!;
    let lo = 0;
    let hi = z.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (z[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private issue(c: Client): void {
    if (this.stopped) return;
    c.conn = ((c.seq << 8) | c.index) >>> 0;
    c.seq++;
    c.file = c.nextFile;
    c.issuedAt = this.host.now();
    c.hash = FNV_OFFSET;
    c.got = 0;
    const d = NET.RX_RING + (this.rxProd & SLOT_MASK) * NET_DESC_BYTES;
    this.put(d + RXD.CONN, c.conn);
    this.put(d + RXD.FILE, c.file);
    this.rxProd = (this.rxProd + 1) >>> 0;
    this.put(NET.RX_PROD, this.rxProd);
    this.s.requests++;
    this.s.outstanding++;
    this.interrupt();
  }

  /** IRQ_NET on the next started VCPU of the VM, round-robin. */
  private interrupt(): void {
    const n = this.host.vcpus;
    for (let k = 0; k < n; k++) {
      const i = (this.rr + k) % n;
      if (!this.host.online(i)) continue;
      this.rr = (this.rr + k + 1) % n;
      this.host.raiseIrq(i, NET_IRQ, 'net');
      return;
    }
  }

  // ---- transmit ---------------------------------------------------------------

  /** One tx descriptor at area offset d. */
  private transmit(d: number): void {
    const conn = this.get(d + TXD.CONN) >>> 0;
    const addr = this.get(d + TXD.ADDR) >>> 0;
    const len = this.get(d + TXD.LEN);
    const flags = this.get(d + TXD.FLAGS);
    const c = this.c[conn & 0xff];
    const pa = addr - KERNEL_BASE;
    if (!c || c.conn !== conn || len < 1 || len > NET_MAX_SEGMENT || (len & 3) !== 0 || pa < 0 || pa + len > this.mem.size) {
      this.s.errors++;
      return;
    }
    c.hash = this.fold(c.hash, pa, len);
    c.got += len;
    if ((flags & TXF_LAST) !== 0) this.complete(c);
  }

  /** FNV-1a of h over the words of guest-physical [pa, pa + len). */
  private fold(h: number, pa: number, len: number): number {
    const at = this.mem.base + pa;
    if ((at & 3) === 0) {
      const w = this.mem.i32;
      for (let i = at >>> 2, end = (at + len) >>> 2; i < end; i++) h = Math.imul(h ^ w[i]!, PRIME);
    } else {
      const b = this.mem.u8;
      for (let i = at; i < at + len; i += 4) h = Math.imul(h ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)), PRIME);
    }
    return h >>> 0;
  }

  private complete(c: Client): void {
    const size = this.fileSizes[c.file]!;
    const sum = this.fileChecksums[c.file]!;
    this.s.responses++;
    if (c.got === size && c.hash === sum) {
      this.s.bytes += size;
      this.sum = (this.sum + sum) >>> 0;
    } else {
      this.s.bad++;
    }
    const latency = this.host.now() - c.issuedAt;
    this.s.latencySum += latency;
    this.s.latencyMax = Math.max(this.s.latencyMax, latency);
    this.s.outstanding--;
    c.conn = -1;
    c.done++;
    this.think(c);
  }

  private get(off: number): number { return this.mem.readWord(this.area + off); }
  private put(off: number, v: number): void { this.mem.writeWord(this.area + off, v); }
}
