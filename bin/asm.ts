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
  // The image format has no room for a note (its one reserved field is 16 bits): the text outputs carry the record.
  writeOutput(out, writeImage(res.image!));
  const head = provenanceComment(provenance('asm', values, positionals));
  if (values.listing) writeOutput(values.listing, head + res.listing);
  if (values.symbols) writeOutput(values.symbols, head + res.symbolsText);
  return EXIT.OK;
}

export function cmdDisasm(positionals: string[]): number {
  if (positionals.length !== 1) throw new UsageError('disasm: expected exactly one image');
  // Streamed a line at a time: a large image's disassembly does not fit in one string.
  const out = new SyncOut(1);
  for (const line of disassemblyLines(loadImageFile(positionals[0]!))) out.write(`${line}\n`);
  out.flush();
  return EXIT.OK;
}
