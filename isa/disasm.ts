/**
 * The disassembler, derived from isa/encoding.ts decode() and the operand
 * kinds of isa/formats.ts. Its output is assembler input: for every
 * canonical word w at address A, assembling `.org A` and
 * disassembleWord(w, A) gives back w (test/assembler/roundtrip.test.ts).
 * Words that are not canonical (reserved bits set, a shift amount over 31)
 * or have an unassigned opcode print as `.word`, which also round-trips.
 * Used by `paravm disasm` and by the hypervisor's instruction trace.
 */
import { CSRS } from './csrs.ts';
import { decode, type Decoded, type OperandValue } from './encoding.ts';
import { FORMATS, immRange, type OperandSpec } from './formats.ts';
import type { Image, ImageSymbol } from './image.ts';
import { PTE } from './memory.ts';
import { regName } from './registers.ts';

const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
const CSR_NAMES: ReadonlyMap<number, string> = new Map(CSRS.map((c) => [c.number, `CSR_${c.name}`]));

/** Every immediate within what the assembler accepts for its kind (the field may hold more, e.g. shamt). */
function inRange(d: Decoded): boolean {
  return FORMATS[d.info.format].operands.every((spec, i) => {
    if (spec.kind === 'reg' || spec.kind === 'amem' || spec.kind === 'mem') return true;
    const [lo, hi] = immRange(spec.kind);
    const v = d.operands[i]!.imm!;
    return v >= lo && v <= hi;
  });
}

function unsignedText(v: number): string {
  return v > 9 ? `0x${v.toString(16)}` : String(v);
}

function branchTarget(v: OperandValue, addr: number): number {
  return (addr + 4 * v.imm!) >>> 0;
}

function operandText(spec: OperandSpec, v: OperandValue, addr: number): string {
  switch (spec.kind) {
    case 'reg': return regName(v.reg!);
    case 'mem': return `${v.imm}(${regName(v.reg!)})`;
    case 'amem': return `(${regName(v.reg!)})`;
    case 'simm16': case 'shamt': return String(v.imm);
    case 'uimm16': return unsignedText(v.imm!);
    case 'csr': return CSR_NAMES.get(v.imm!) ?? unsignedText(v.imm!);
    case 'br16': case 'br20': return `0x${hex8(branchTarget(v, addr))}`;
  }
}

/** One word as assembler source; a branch or jump target's label follows as a comment. */
export function disassembleWord(word: number, addr: number, symbolAt?: (addr: number) => string | undefined): string {
  const d = decode(word >>> 0);
  if (!d || !d.canonical || !inRange(d)) return `.word 0x${hex8(word)}`;
  const specs = FORMATS[d.info.format].operands;
  const text = specs.length === 0 ? d.info.mnemonic : `${d.info.mnemonic} ${specs.map((s, i) => operandText(s, d.operands[i]!, addr)).join(', ')}`;
  const bi = specs.findIndex((s) => s.kind === 'br16' || s.kind === 'br20');
  const label = bi >= 0 ? symbolAt?.(branchTarget(d.operands[bi]!, addr)) : undefined;
  return label === undefined ? text : `${text}  # <${label}>`;
}

/** Labels by address; a global label first when several share one. */
function labelsByAddress(img: Image): Map<number, string[]> {
  const labels = img.symbols.filter((s) => s.kind === 'label');
  labels.sort((a, b) => Number(b.global) - Number(a.global) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const m = new Map<number, string[]>();
  for (const s of labels as ImageSymbol[]) m.set(s.value >>> 0, [...(m.get(s.value >>> 0) ?? []), s.name]);
  return m;
}

function flagText(flags: number): string {
  return `${flags & PTE.R ? 'r' : '-'}${flags & PTE.W ? 'w' : '-'}${flags & PTE.X ? 'x' : '-'}`;
}

/**
 * Every segment, a word per line (`address: word  instruction`), with a
 * `label:` line before each labelled address. Non-executable segments show
 * their words as `.word`; a tail shorter than a word as `.byte`. A generator,
 * so that a large image streams (`paravm disasm` of 64 MiB is over 2 GB of
 * text, beyond a JavaScript string).
 */
export function* disassemblyLines(img: Image): Generator<string> {
  const labels = labelsByAddress(img);
  const symbolAt = (a: number) => labels.get(a >>> 0)?.[0];
  for (const seg of img.segments) {
    yield `# ${seg.name}  0x${hex8(seg.vaddr)}  ${seg.data.length} bytes  ${flagText(seg.flags)}`;
    const view = new DataView(seg.data.buffer, seg.data.byteOffset, seg.data.byteLength);
    for (let off = 0; off < seg.data.length; off += 4) {
      const addr = (seg.vaddr + off) >>> 0;
      for (const name of labels.get(addr) ?? []) yield `${name}:`;
      if (off + 4 > seg.data.length) {
        yield `${hex8(addr)}:           .byte ${Array.from(seg.data.subarray(off), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')}`;
        break;
      }
      const word = view.getUint32(off, true);
      const text = seg.flags & PTE.X ? disassembleWord(word, addr, symbolAt) : `.word 0x${hex8(word)}`;
      yield `${hex8(addr)}: ${hex8(word)}  ${text}`;
    }
  }
}

/** The whole listing as one string (small images: tests, the demo). */
export function disassembleImage(img: Image): string {
  const out = [...disassemblyLines(img)];
  return out.length ? `${out.join('\n')}\n` : '';
}
