/**
 * The Node host's source reader: the assembler itself reads no files (so it
 * runs in a browser), and Node callers hand it this one through
 * assemble.ts. Regular files only, at most LIMITS.fileBytes, checked on
 * the open file (so /dev/zero or a FIFO is refused, not read forever).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LIMITS, SourceRejected, sourceTooLarge } from '../../assembler/index.ts';

export function readSourceFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new SourceRejected(`'${path}' is not a regular file`);
    if (st.size > LIMITS.fileBytes) throw sourceTooLarge(path, st.size);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.toString('utf8', 0, off);
  } finally {
    closeSync(fd);
  }
}
