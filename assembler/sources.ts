/**
 * Source files: the file table (the order files are first read, which is
 * the image's file list and what SrcLine.fileIndex counts in), splitting
 * text into lines, and the include search path.
 */
import { dirname, isAbsolute, join } from 'node:path';
import type { Expansion, SrcLine } from './diagnostics.ts';

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

  findInclude(name: string, from: string): { path: string; text: string } | undefined {
    for (const path of this.candidates(name, from)) {
      try {
        return { path, text: this.readFile(path) };
      } catch {
        // not here: try the next place
      }
    }
    return undefined;
  }
}
