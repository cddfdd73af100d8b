/**
 * The paravm command line: asm, disasm, run, demo. Diagnostics go to
 * stderr, data to stdout; colour only when stderr is a terminal.
 * Exit codes (documented in the README): 0 ok, 1 assembly error, 2 usage or
 * I/O error, 3 guest fault, 4 limit reached.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { assembleFile, assembleSource, formatDiagnostics, type AsmOptions, type AsmResult } from '../assembler/index.ts';
import { disassembleImage } from '../assembler/disasm.ts';
import { readImage, writeImage, ImageFormatError, type Image } from '../isa/image.ts';
import { runBareMetal, type BareMetalResult } from '../hypervisor/baremetal.ts';
import { LoadError } from '../hypervisor/loader.ts';
import { formatFault, formatRegisters, formatRunStats } from '../hypervisor/report.ts';
import { runDemo } from './demo.ts';
import { OutputClosed, SyncOut } from './output.ts';

export const EXIT = { OK: 0, ASM_ERROR: 1, USAGE: 2, GUEST_FAULT: 3, LIMIT: 4 } as const;

const USAGE = `usage: paravm <command> [options]

commands:
  asm FILE... [-o IMAGE] [--listing F] [--symbols F] [-I DIR] [-D NAME=VALUE]
                      assemble FILEs (as one unit) into an image
  disasm IMAGE        disassemble an image, with its labels
  run FILE_OR_IMAGE [--limit N] [--trace] [--regs] [--memory BYTES] [-I DIR] [-D NAME=VALUE]
                      run bare metal: one VCPU in kernel mode, no guest kernel
                      (a .s file is assembled on the fly)
  demo                assemble and run programs/demo.s (what \`npm start\` does)
  help                this text

exit codes: 0 ok (or the guest's shutdown code), 1 assembly error, 2 usage or I/O error,
            3 guest fault, 4 instruction limit reached`;

/** Bad arguments: the message and the usage text. */
class UsageError extends Error {}
/** Unreadable input, unwritable output, a malformed image: the message alone. */
class InputError extends Error {}

const color = (): boolean => Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
const err = (s: string): void => { process.stderr.write(s.endsWith('\n') ? s : `${s}\n`); };

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true as const, strict: true as const });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const ASM_FLAGS = {
  include: { type: 'string', short: 'I', multiple: true },
  define: { type: 'string', short: 'D', multiple: true },
} as const;

function asmOptions(values: { include?: string[] | undefined; define?: string[] | undefined }): AsmOptions {
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
function assemble(files: string[], opts: AsmOptions): AsmResult {
  for (const f of files) mustExist(f);
  if (files.length === 1) return assembleFile(files[0]!, opts);
  const src = files.map((f) => `.include ${JSON.stringify(f)}`).join('\n');
  return assembleSource(src, COMMAND_LINE, { ...opts, includeDirs: ['.', ...(opts.includeDirs ?? [])] });
}

/** The synthetic file that includes each command-line file; its "included from here" notes say nothing. */
const COMMAND_LINE = '<command line>';

function reportAsm(res: AsmResult): boolean {
  const diags = res.diagnostics.map((d) => ({ ...d, notes: d.notes?.filter((n) => n.file !== COMMAND_LINE) }));
  if (diags.length) err(formatDiagnostics(diags, { color: color() }));
  return res.ok;
}

function cmdAsm(args: string[]): number {
  const { values, positionals } = parse(args, {
    ...ASM_FLAGS,
    output: { type: 'string', short: 'o' },
    listing: { type: 'string' },
    symbols: { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('asm: no input files');
  const res = assemble(positionals, asmOptions(values));
  if (!reportAsm(res)) return EXIT.ASM_ERROR;
  const out = values.output ?? `${basename(positionals[0]!, extname(positionals[0]!))}.img`;
  writeOutput(out, writeImage(res.image!));
  if (values.listing) writeOutput(values.listing, res.listing);
  if (values.symbols) writeOutput(values.symbols, res.symbolsText);
  return EXIT.OK;
}

const reason = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

function mustExist(path: string): void {
  if (!existsSync(path)) throw new InputError(`cannot read ${path}: no such file`);
}

function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${reason(e)}`);
  }
}

function loadImageFile(path: string): Image {
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

function cmdDisasm(args: string[]): number {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('disasm: expected exactly one image');
  process.stdout.write(disassembleImage(loadImageFile(positionals[0]!)));
  return EXIT.OK;
}

/** A .s file is assembled on the fly; anything else is read as an image. */
function imageFor(path: string, opts: AsmOptions): Image | number {
  if (!/\.(s|S|asm)$/.test(path)) return loadImageFile(path);
  mustExist(path);
  const res = assembleFile(path, opts);
  return reportAsm(res) ? res.image! : EXIT.ASM_ERROR;
}

function cmdRun(args: string[]): number {
  const { values, positionals } = parse(args, {
    ...ASM_FLAGS,
    limit: { type: 'string' },
    trace: { type: 'boolean' },
    regs: { type: 'boolean' },
    memory: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('run: expected exactly one program (.s file or image)');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError(`run: --limit must be a positive integer, got ${values.limit}`);
  const memoryBytes = values.memory === undefined ? undefined : Number(values.memory);
  if (memoryBytes !== undefined && !(Number.isInteger(memoryBytes) && memoryBytes > 0 && memoryBytes % 4096 === 0)) {
    throw new UsageError(`run: --memory must be a positive multiple of 4096 bytes, got ${values.memory}`);
  }
  const img = imageFor(positionals[0]!, asmOptions(values));
  if (typeof img === 'number') return img;
  const out = new SyncOut(1);
  let res: BareMetalResult;
  try {
    res = runBareMetal(img, {
      memoryBytes, maxInstructions: limit,
      onConsole: (b) => { out.write(b); out.flush(); },
      onTrace: values.trace ? (line) => out.write(`${line}\n`) : undefined,
    });
    out.flush();
  } catch (e) {
    if (e instanceof LoadError || e instanceof RangeError) throw new InputError(`run: ${e.message}`);
    throw e;
  }
  return finishRun(res, img, Boolean(values.regs));
}

function finishRun(res: BareMetalResult, img: Image, regs: boolean): number {
  if (regs) err(formatRegisters(res.cpu));
  err(formatRunStats(res));
  switch (res.reason) {
    case 'fault': err(formatFault(res, img, color())); return EXIT.GUEST_FAULT;
    case 'limit': err(`paravm: instruction limit reached (${res.instructions})`); return EXIT.LIMIT;
    case 'halted': err('paravm: halted: wfi with no interrupt source armed'); return EXIT.OK;
    default: return res.exitCode;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'asm': return cmdAsm(rest);
      case 'disasm': return cmdDisasm(rest);
      case 'run': return cmdRun(rest);
      case 'demo': return runDemo(rest);
      case 'help': case '--help': case '-h': process.stdout.write(`${USAGE}\n`); return EXIT.OK;
      case undefined: throw new UsageError('no command given');
      default: throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof OutputClosed) return EXIT.OK;
    if (e instanceof InputError) { err(`paravm: ${e.message}`); return EXIT.USAGE; }
    if (!(e instanceof UsageError)) throw e;
    err(`paravm: ${e.message}\n${USAGE}`);
    return EXIT.USAGE;
  }
}
