/**
 * `paravm asm FILE... [-o IMAGE] [--listing F] [--symbols F]` and
 * `paravm disasm IMAGE`: the assembler and disassembler on files.
 */
import { basename, extname } from 'node:path';
import { disassemblyLines } from '../isa/disasm.ts';
import { SyncOut } from './output.ts';
import { writeImage } from '../isa/image.ts';
import type { FlagValues } from './args.ts';
import { UsageError } from './args.ts';
import { asmOptions, assemble, diagFormat, loadImageFile, provenance, provenanceComment, reportAsm, writeOutput } from './common.ts';
import { EXIT } from './usage.ts';

export function cmdAsm(values: FlagValues<'asm'>, positionals: string[]): number {
  if (positionals.length === 0) throw new UsageError('asm: no input files');
  const format = diagFormat(values);
  const res = assemble(positionals, asmOptions(values));
  if (!reportAsm(res, format)) return EXIT.ASM_ERROR;
  const out = values.output ?? `${basename(positionals[0]!, extname(positionals[0]!))}.img`;
  const head = provenanceComment(provenance('asm', values, positionals));
  // The image records who produced it as its note (the same record as the text outputs' first line).
  writeOutput(out, writeImage({ ...res.image!, note: head.replace(/^# /, '').trimEnd() }));
  if (values.listing) writeOutput(values.listing, head + res.listing);
  if (values.symbols) writeOutput(values.symbols, head + res.symbolsText);
  return EXIT.OK;
}

export function cmdDisasm(positionals: string[]): number {
  if (positionals.length !== 1) throw new UsageError('disasm: expected exactly one image');
  // Streamed a line at a time: a large image's disassembly does not fit in one string.
  const out = new SyncOut(1);
  const image = loadImageFile(positionals[0]!);
  if (image.note !== undefined) out.write(`# ${image.note}\n`);
  for (const line of disassemblyLines(image)) out.write(`${line}\n`);
  out.flush();
  return EXIT.OK;
}
