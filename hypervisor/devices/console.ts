/**
 * The console of one VM: bytes the guest writes (HC_CONSOLE_WRITE/PUTC) are
 * captured, and passed on to a sink. With several VMs the machine gives each
 * console a line prefix ("[name] ") so interleaved output stays readable.
 */
import type { Device } from './device.ts';

export class ConsoleDevice implements Device {
  readonly name = 'console';
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;
  private atLineStart = true;

  /** prefix: prepended to each line passed to the sink ('' = raw). */
  constructor(private readonly sink: (b: Uint8Array) => void, private readonly prefix = '') {}

  write(b: Uint8Array): void {
    this.chunks.push(b);
    this.bytes += b.length;
    if (!this.prefix) { this.sink(b); return; }
    this.sink(this.prefixed(b));
  }

  private prefixed(b: Uint8Array): Uint8Array {
    const pre = Buffer.from(this.prefix, 'latin1');
    const parts: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < b.length; i++) {
      if (this.atLineStart) { parts.push(pre); this.atLineStart = false; }
      if (b[i] === 10) { parts.push(b.subarray(start, i + 1)); start = i + 1; this.atLineStart = true; }
    }
    if (start < b.length) parts.push(b.subarray(start));
    return Buffer.concat(parts);
  }

  /** Everything written so far, as latin1 text. */
  text(): string { return Buffer.concat(this.chunks).toString('latin1'); }

  /** End a dangling last line when the run is over (prefixed consoles only). */
  flush(): void {
    if (this.prefix && !this.atLineStart) { this.sink(Buffer.from('\n')); this.atLineStart = true; }
  }

  stats(): Record<string, number> { return { bytes: this.bytes }; }
  stop(): void {}
}
