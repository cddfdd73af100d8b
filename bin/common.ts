/**
 * What the CLI commands share: error kinds, argument parsing, assembling
 * inputs, reading images, writing outputs.
 */
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { ChromeTrace } from '../hypervisor/index.ts';
import { buildInfo } from '../bench/experiments/index.ts';
import { formatDiagnostics, type AsmOptions, type AsmResult, type Diagnostic } from '../assembler/index.ts';
import { COMMAND_LINE, assembleFiles } from './api.ts';
import { readImage, ImageFormatError, type Image } from '../isa/image.ts';
import { UsageError } from './args.ts';
import { EXIT } from './usage.ts';

/** Unreadable input, unwritable output, a malformed image: the message alone. */
export class InputError extends Error {}

export const color = (): boolean => Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
export const err = (s: string): void => { process.stderr.write(s.endsWith('\n') ? s : `${s}\n`); };

export function asmOptions(values: { include?: string[] | undefined; define?: string[] | undefined }): AsmOptions {
  const defines: Record<string, number> = {};
  for (const d of values.define ?? []) {
    const m = /^([A-Za-z_.$][\w.$]*)(?:=(.*))?$/.exec(d);
    const v = m?.[2] === undefined ? 1 : Number(m[2]);
    if (!m || !Number.isInteger(v)) throw new UsageError(`bad -D ${d}: expected NAME or NAME=INTEGER`);
    defines[m[1]!] = v;
  }
  // The API's default include directories (programs/lib, programs) come after these.
  return { includeDirs: values.include ?? [], defines };
}

/** How assembler diagnostics are written to stderr (--diagnostics-format). */
export type DiagFormat = 'text' | 'json';

export function diagFormat(values: { 'diagnostics-format'?: string | undefined }): DiagFormat {
  const f = values['diagnostics-format'] ?? 'text';
  if (f !== 'text' && f !== 'json') throw new UsageError(`--diagnostics-format must be text or json, got ${f}`);
  return f;
}

/** Assemble one or more files as one unit (like `cat` into GNU as). */
export function assemble(files: string[], opts: AsmOptions): AsmResult {
  for (const f of files) mustExist(f);
  return assembleFiles(files, opts);
}

/** Diagnostics to stderr: text for people, or one JSON array (file, line, col, severity, message, notes) for tools. */
export function reportAsm(res: AsmResult, format: DiagFormat = 'text'): boolean {
  const diags = res.diagnostics.map((d) => ({ ...d, notes: d.notes?.filter((n) => n.file !== COMMAND_LINE) }));
  if (format === 'json') err(JSON.stringify(diags.map(jsonDiagnostic)));
  else if (diags.length) err(formatDiagnostics(diags, { color: color() }));
  return res.ok;
}

const jsonDiagnostic = ({ file, line, col, severity, message, notes }: Diagnostic): object =>
  ({ file, line, col, severity, message, notes: (notes ?? []).map((n) => ({ file: n.file, line: n.line, col: n.col, message: n.message })) });

export const reason = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

function mustExist(path: string): void {
  if (!existsSync(path)) throw new InputError(`cannot read ${path}: no such file`);
}

/** `-` is stdout, as everywhere a file is written. */
export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    if (path === '-') writeAll(1, typeof data === 'string' ? Buffer.from(data) : data);
    else writeFileSync(path, data);
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${reason(e)}`);
  }
}

export function loadImageFile(path: string): Image {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${reason(e)}`);
  }
  try {
    return readImage(bytes);
  } catch (e) {
    if (e instanceof ImageFormatError) throw new InputError(`${path}: ${e.message}`);
    throw e;
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let off = 0; off < data.length;) off += writeSync(fd, data, off);
}

/** A .s file is assembled on the fly; anything else is read as an image. */
export function imageFor(path: string, opts: AsmOptions, format: DiagFormat = 'text'): Image | number {
  if (!/\.(s|S|asm)$/.test(path)) return loadImageFile(path);
  mustExist(path);
  const res = assembleFiles([path], opts);
  return reportAsm(res, format) ? res.image! : EXIT.ASM_ERROR;
}

/**
 * Who wrote an output file and with what: recorded in stats JSON, trace
 * metadata and --json summaries. Callers ask only when they write one: git
 * is asked (once per process, buildInfo) only then, 25-30 ms saved otherwise.
 */
export function provenance(command: string, values: object, positionals: string[]): Record<string, unknown> {
  const { paravm, commit, modified, node } = buildInfo();
  return { paravm, commit, modified, node, command, options: values, files: positionals };
}

/**
 * The same record as one `#` comment line, for text outputs (listings, symbol
 * files, gem5-style statistics), whose readers skip `#` lines.
 */
export function provenanceComment(meta: Record<string, unknown>): string {
  const { paravm, commit, modified, node, command, options, files } = meta;
  const at = typeof commit === 'string' ? `, commit ${commit.slice(0, 12)}${modified === true ? ' (modified)' : ''}` : '';
  return `# paravm ${String(paravm)}${at}, Node ${String(node)}: ${String(command)} ${JSON.stringify(options)} ${(files as string[]).join(' ')}\n`;
}


/** A Chrome trace file that events stream into as the run goes (--trace; `-` is stdout). */
export function traceFile(path: string, metadata: Record<string, unknown>): { tracer: ChromeTrace; close: () => void } {
  let fd: number;
  try {
    fd = path === '-' ? 1 : openSync(path, 'w');
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${reason(e)}`);
  }
  const tracer = new ChromeTrace((s) => writeAll(fd, Buffer.from(s)), { metadata });
  return { tracer, close: () => { if (fd !== 1) closeSync(fd); } };
}

/** A flag that must be an integer in 1..2^53-1 (`undefined` when absent). */
export function positiveInt(cmd: string, flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${cmd}: ${flag} must be a positive integer, got ${v}`);
  if (!Number.isSafeInteger(Number(v))) throw new UsageError(`${cmd}: ${flag} must be at most ${Number.MAX_SAFE_INTEGER}, got ${v}`);
  return Number(v);
}
