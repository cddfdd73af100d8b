/**
 * The console of one VM: bytes the guest writes (HC_CONSOLE_WRITE/PUTC) are
 * passed on to a sink and captured for text(), up to CAPTURE_MAX bytes (a
 * guest writing in a loop must not exhaust the host's memory; the sink still
 * sees everything). With several VMs the machine gives each console a line
 * prefix ("[name] ") so interleaved output stays readable. The device moves
 * one write at a time at CONSOLE_CYCLES_PER_BYTE (isa/hypercalls.ts), so the
 * bytes a VM can put out follow virtual time, whatever its VCPUs do.
 */
import { CONSOLE_CYCLES_PER_BYTE } from '../../isa/hypercalls.ts';
import type { Device } from './device.ts';

/** Bytes of console output kept for text() per VM. */
export const CAPTURE_MAX = 1 << 20;

/** Bytes as latin1 text (one char per byte), in blocks so no call gets too many arguments. */
function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return s;
}

/** Text as latin1 bytes (characters above 0xff keep their low byte, as Node's latin1 encoding does). */
const latin1Bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** The parts end to end in one array. */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const NEWLINE = Uint8Array.of(10);

export class ConsoleDevice implements Device {
  readonly name = 'console';
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;
  private captured = 0;
  private atLineStart = true;
  /** Virtual time when the last write accepted is done moving. */
  private busyUntil = 0;

  /** prefix: prepended to each line passed to the sink ('' = raw). */
  constructor(private readonly sink: (b: Uint8Array) => void, private readonly prefix = '') {}

  write(b: Uint8Array): void {
    const room = CAPTURE_MAX - this.captured;
    if (room > 0) {
      this.chunks.push(room >= b.length ? b : b.subarray(0, room));
      this.captured += Math.min(room, b.length);
    }
    this.bytes += b.length;
    if (!this.prefix) { this.sink(b); return; }
    this.sink(this.prefixed(b));
  }

  /** A write of n bytes asked for at time now starts once the earlier ones are done; returns when it is done. */
  transfer(n: number, now: number): number {
    this.busyUntil = Math.max(now, this.busyUntil) + n * CONSOLE_CYCLES_PER_BYTE;
    return this.busyUntil;
  }

  private prefixed(b: Uint8Array): Uint8Array {
    const pre = latin1Bytes(this.prefix);
    const parts: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < b.length; i++) {
      if (this.atLineStart) { parts.push(pre); this.atLineStart = false; }
      if (b[i] === 10) { parts.push(b.subarray(start, i + 1)); start = i + 1; this.atLineStart = true; }
    }
    if (start < b.length) parts.push(b.subarray(start));
    return concat(parts);
  }

  /** What was written so far (the first CAPTURE_MAX bytes), as latin1 text. */
  text(): string { return latin1(concat(this.chunks)); }

  /** End a dangling last line when the run is over (prefixed consoles only). */
  flush(): void {
    if (this.prefix && !this.atLineStart) { this.sink(NEWLINE.slice()); this.atLineStart = true; }
  }

  stats(): Record<string, number> { return { bytes: this.bytes }; }
  stop(): void {}
}
