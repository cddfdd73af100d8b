/**
 * Synchronous, buffered stdout for `paravm run`. The guest runs in one
 * synchronous loop that never yields to the event loop, so an asynchronous
 * stream would buffer without bound and never see EPIPE: with
 * `paravm run --trace prog.s | head`, writes must fail as they happen, and
 * the run must stop then (quietly, like any Unix filter whose reader left).
 */
import { writeSync } from 'node:fs';

export class OutputClosed extends Error {}

export class SyncOut {
  private chunks: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly fd: number, private readonly limit = 1 << 16) {}

  write(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.chunks.push(bytes);
    this.size += bytes.length;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    const all = Buffer.concat(this.chunks);
    this.chunks = [];
    this.size = 0;
    let off = 0;
    while (off < all.length) {
      try {
        off += writeSync(this.fd, all, off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') throw new OutputClosed();
        throw e;
      }
    }
  }
}
