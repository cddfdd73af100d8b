/**
 * Source files: the file table (the order files are first read, which is
 * the image's file list and what SrcLine.fileIndex counts in), splitting
 * text into lines, and the include search path. Reading a file is the
 * caller's (AsmOptions.readFile; guest-kernel/loader/files.ts on Node), so this runs in a browser too.
 */
import { AsmError, type Expansion, type SrcLine } from './diagnostics.ts';
import { LIMITS } from './limits.ts';
import { dirnameOf, isAbsolutePath, joinPath } from './paths.ts';

/** A file that exists but may not be assembled (a device, a directory, too large). */
export class SourceRejected extends Error {}

export const tooLarge = (path: string, size: number): SourceRejected =>
  new SourceRejected(`'${path}' is ${size.toLocaleString('en-US')} bytes, over the assembler's limit of ${LIMITS.fileBytes.toLocaleString('en-US')} bytes a file`);

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
    if (isAbsolutePath(name)) return [name];
    return [joinPath(dirnameOf(from), name), ...this.includeDirs.map((d) => joinPath(d, name))];
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
