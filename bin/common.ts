/**
 * What the CLI commands share: error kinds, argument parsing, assembling
 * inputs, reading images, writing outputs.
 */
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { ChromeTrace } from '../hypervisor/index.ts';
import { assembleFile, assembleSource, formatDiagnostics, type AsmOptions, type AsmResult } from '../assembler/index.ts';
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
  return { includeDirs: values.include ?? [], defines };
}

/** Assemble one or more files as one unit (like `cat` into GNU as). */
export function assemble(files: string[], opts: AsmOptions): AsmResult {
  for (const f of files) mustExist(f);
  if (files.length === 1) return assembleFile(files[0]!, opts);
  const src = files.map((f) => `.include ${JSON.stringify(f)}`).join('\n');
  return assembleSource(src, COMMAND_LINE, { ...opts, includeDirs: ['.', ...(opts.includeDirs ?? [])] });
}

/** The synthetic file that includes each command-line file; its "included from here" notes say nothing. */
const COMMAND_LINE = '<command line>';

export function reportAsm(res: AsmResult): boolean {
  const diags = res.diagnostics.map((d) => ({ ...d, notes: d.notes?.filter((n) => n.file !== COMMAND_LINE) }));
  if (diags.length) err(formatDiagnostics(diags, { color: color() }));
  return res.ok;
}

export const reason = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

function mustExist(path: string): void {
  if (!existsSync(path)) throw new InputError(`cannot read ${path}: no such file`);
}

export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
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

/** A .s file is assembled on the fly; anything else is read as an image. */
export function imageFor(path: string, opts: AsmOptions): Image | number {
  if (!/\.(s|S|asm)$/.test(path)) return loadImageFile(path);
  mustExist(path);
  const res = assembleFile(path, opts);
  return reportAsm(res) ? res.image! : EXIT.ASM_ERROR;
}


/** A Chrome trace file that events stream into as the run goes (--trace). */
export function traceFile(path: string): { tracer: ChromeTrace; close: () => void } {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${reason(e)}`);
  }
  return { tracer: new ChromeTrace((s) => { writeSync(fd, s); }), close: () => closeSync(fd) };
}

/** A flag that must be an integer in 1..2^53-1 (`undefined` when absent). */
export function positiveInt(cmd: string, flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${cmd}: ${flag} must be a positive integer, got ${v}`);
  if (!Number.isSafeInteger(Number(v))) throw new UsageError(`${cmd}: ${flag} must be at most ${Number.MAX_SAFE_INTEGER}, got ${v}`);
  return Number(v);
}
