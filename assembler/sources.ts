/**
 * Source files: the file table (the order files are first read, which is
 * the image's file list and what SrcLine.fileIndex counts in), splitting
 * text into lines, and the include search path.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { AsmError, type Expansion, type SrcLine } from './diagnostics.ts';
import { LIMITS } from './limits.ts';

/** A file that exists but may not be assembled (a device, a directory, too large). */
export class SourceRejected extends Error {}

const tooLarge = (path: string, size: number): SourceRejected =>
  new SourceRejected(`'${path}' is ${size.toLocaleString('en-US')} bytes, over the assembler's limit of ${LIMITS.fileBytes.toLocaleString('en-US')} bytes a file`);

/**
 * The default reader: regular files only, at most LIMITS.fileBytes, checked
 * on the open file (so /dev/zero or a FIFO is refused, not read forever).
 */
export function readSourceFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new SourceRejected(`'${path}' is not a regular file`);
    if (st.size > LIMITS.fileBytes) throw tooLarge(path, st.size);
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

export class SourceFiles {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly readFile: (path: string) => string, private readonly includeDirs: readonly string[]) {}

  private indexOf(file: string): number {
    let i = this.index.get(file);
    if (i === undefined) {
      i = this.list.push(file) - 1;
      this.index.set(file, i);
    }
    return i;
  }

  /** The lines of a file's text (a final newline does not make an extra empty line). */
  lines(text: string, file: string, context: Expansion | undefined): SrcLine[] {
    const fileIndex = this.indexOf(file);
    const lines = text.split(/\r?\n/);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    return lines.map((t, i) => ({ file, fileIndex, line: i + 1, text: t, context }));
  }

  /** Where `.include "name"` looks: beside the including file first, then each include directory. */
  candidates(name: string, from: string): string[] {
    if (isAbsolute(name)) return [name];
    return [join(dirname(from), name), ...this.includeDirs.map((d) => join(d, name))];
  }

  /** The first candidate that exists; one that exists but is refused (SourceRejected) is an error, not a miss. */
  findInclude(name: string, from: string, col: number): { path: string; text: string } | undefined {
    for (const path of this.candidates(name, from)) {
      let text: string;
      try {
        text = this.readFile(path);
      } catch (e) {
        if (e instanceof SourceRejected) throw new AsmError(`cannot include: ${e.message}`, col);
        continue; // not here: try the next place
      }
      if (text.length > LIMITS.fileBytes) throw new AsmError(`cannot include: ${tooLarge(path, text.length).message}`, col);
      return { path, text };
    }
    return undefined;
  }
}
