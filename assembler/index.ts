/**
 * The assembler's public API (the CLI, tests and benchmarks use only this
 * file and disasm.ts). One run:
 *
 *   preprocess.ts (files, includes, macros, .rept, .if)  --lines-->  layout.ts (pass 1)
 *   resolve.ts (section bases, final symbol values)
 *   encode.ts (pass 2)  ->  output.ts (image, symbol file), listing.ts
 *
 * Errors never escape as exceptions: every stage reports into one
 * Diagnostics collector and carries on, so a run shows all its errors, up
 * to maxErrors.
 */
import type { Image } from '../isa/image.ts';
import { DEFAULT_MAX_ERRORS, Diagnostics, StopRun, type Diagnostic } from './diagnostics.ts';
import { encodePass } from './encode.ts';
import { Layout } from './layout.ts';
import { formatListing } from './listing.ts';
import { buildImage, symbolsText } from './output.ts';
import { LineParser } from './parse.ts';
import { Preprocessor } from './preprocess.ts';
import { resolveLayout } from './resolve.ts';
import { SymbolTable } from './symbols.ts';

export { formatDiagnostics, type Diagnostic } from './diagnostics.ts';
export { SourceRejected, tooLarge as sourceTooLarge } from './sources.ts';
export { LIMITS } from './limits.ts';
export { dirnameOf, isAbsolutePath, joinPath, resolveFrom } from './paths.ts';
export { GRAMMAR_SCOPE, textmateGrammar, type TmGrammar, type TmRule } from './textmate.ts';

export interface AsmOptions {
  includeDirs?: string[];
  defines?: Record<string, number>;
  readFile?: (path: string) => string;
  maxErrors?: number;
}

export interface AsmResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Present iff ok. */
  image?: Image;
  /** Empty unless ok. */
  listing: string;
  /** nm-style symbol file; empty unless ok. */
  symbolsText: string;
}

/**
 * Without AsmOptions.readFile there are no files: the assembler runs in a
 * browser as well as on Node. Node callers use guest-kernel/loader/index.ts, whose
 * assembleFile and assembleSource read the disk (guest-kernel/loader/files.ts).
 */
const defaultReadFile = (path: string): string => {
  throw new Error(`no file system here to read '${path}' from (pass AsmOptions.readFile)`);
};

function failed(diags: Diagnostics): AsmResult {
  return { ok: false, diagnostics: diags.sorted(), listing: '', symbolsText: '' };
}

function run(diags: Diagnostics, source: string, filename: string, opts: AsmOptions): AsmResult {
  const layout = new Layout(new SymbolTable(opts.defines ?? {}), diags);
  const pre = new Preprocessor(
    { readFile: opts.readFile ?? defaultReadFile, includeDirs: opts.includeDirs ?? [] },
    new LineParser(), diags, layout,
  );
  pre.runSource(source, filename);
  resolveLayout(layout, diags);
  // Pass 2 runs even after errors (it skips the lines pass 1 rejected) so that one run reports them all.
  const emitted = encodePass(layout, diags);
  if (diags.errorCount > 0) return failed(diags);
  const image = buildImage(layout, emitted, pre.fileList);
  const bad = entryProblem(image);
  if (bad) {
    diags.add({ file: filename, line: 1, col: 1, severity: 'error', message: bad, sourceLine: source.split('\n', 1)[0]! });
    return failed(diags);
  }
  return withLazyListing({ ok: true, diagnostics: diags.sorted(), image, symbolsText: symbolsText(layout, image.symbols) }, () => formatListing(layout, emitted.bytes));
}

/** The listing costs 11-22% of an assembly and most callers never read it: built on first read, then kept. */
function withLazyListing(res: Omit<AsmResult, 'listing'>, make: () => string): AsmResult {
  let text: string | undefined;
  return Object.defineProperty(res, 'listing', { enumerable: true, get: () => (text ??= make()) }) as AsmResult;
}

/** Why the image could not start at its entry point, if it cannot: an image that can only fault is an error. */
function entryProblem(img: Image): string | undefined {
  const hex = `0x${img.entry.toString(16).padStart(8, '0')}`;
  const text = img.segments.find((g) => g.name === '.text');
  if (!text) return `the program has no code: the entry point ${hex} is not inside .text`;
  if ((img.entry & 3) !== 0) return `the entry point ${hex} is not 4-aligned`;
  const off = img.entry - text.vaddr;
  if (off < 0 || off >= text.data.length) return `the entry point ${hex} is not inside .text (0x${text.vaddr.toString(16)}..0x${(text.vaddr + text.data.length).toString(16)})`;
  return undefined;
}

export function assembleSource(source: string, filename: string, opts: AsmOptions = {}): AsmResult {
  const diags = new Diagnostics(opts.maxErrors ?? DEFAULT_MAX_ERRORS);
  try {
    return run(diags, source, filename, opts);
  } catch (e) {
    if (e instanceof StopRun) return failed(diags);
    // A bug outside any statement's guard: still a diagnostic, never a stack trace.
    const message = `internal assembler error: ${e instanceof Error ? e.message : String(e)}`;
    return { ...failed(diags), diagnostics: [...diags.sorted(), { file: filename, line: 1, col: 1, severity: 'error', message, sourceLine: '' }] };
  }
}

export function assembleFile(path: string, opts: AsmOptions = {}): AsmResult {
  let source: string;
  try {
    source = (opts.readFile ?? defaultReadFile)(path);
  } catch (e) {
    const reason = (e as { code?: unknown }).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    const d: Diagnostic = { file: path, line: 1, col: 1, severity: 'error', message: `cannot read '${path}': ${reason}`, sourceLine: '' };
    return { ok: false, diagnostics: [d], listing: '', symbolsText: '' };
  }
  return assembleSource(source, path, opts);
}
