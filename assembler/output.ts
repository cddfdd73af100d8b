/**
 * What a successful run produces besides the listing: the Image of
 * isa/image.ts (segments, entry point, symbols, files, line map) and the
 * nm-style symbol file.
 */
import type { Image, ImageSymbol, Segment } from '../isa/image.ts';
import { PTE } from '../isa/memory.ts';
import type { Emitted } from './encode.ts';
import type { SectionName } from './expr.ts';
import type { Layout } from './layout.ts';
import { isInternalName } from './symbols.ts';

const FLAGS: Readonly<Record<SectionName, number>> = { text: PTE.R | PTE.X, data: PTE.R | PTE.W };

function segments(layout: Layout, emitted: Emitted): Segment[] {
  return (['text', 'data'] as const)
    .filter((name) => emitted.bytes[name].length > 0)
    .map((name) => ({ name: `.${name}`, vaddr: layout.sections[name].base! >>> 0, flags: FLAGS[name], data: emitted.bytes[name] }));
}

/** Labels and .equ/.set constants, without ISA names, -D defines and numeric-label instances. */
export function imageSymbols(layout: Layout): ImageSymbol[] {
  const out: ImageSymbol[] = [];
  for (const s of layout.symbols.all()) {
    if ((s.kind !== 'label' && s.kind !== 'const') || s.val === undefined || isInternalName(s.name)) continue;
    out.push({ name: s.name, value: s.val.v >>> 0, kind: s.kind, global: layout.symbols.isGlobal(s.name) });
  }
  return out.sort((a, b) => a.value - b.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `.entry`, else a label `_start`, else a label `start`, else the start of .text. */
function entryPoint(layout: Layout, emitted: Emitted): number {
  if (emitted.entry !== undefined) return emitted.entry;
  for (const name of ['_start', 'start']) {
    const s = layout.symbols.get(name);
    if (s?.kind === 'label' && s.val) return s.val.v >>> 0;
  }
  return layout.sections.text.base! >>> 0;
}

export function buildImage(layout: Layout, emitted: Emitted, files: readonly string[]): Image {
  return {
    entry: entryPoint(layout, emitted),
    segments: segments(layout, emitted),
    symbols: imageSymbols(layout),
    files: [...files],
    lines: emitted.lines,
  };
}

/** nm letters: T/t text label, D/d data label, A/a constant; upper case when global. */
function nmLetter(layout: Layout, s: ImageSymbol): string {
  const letter = s.kind === 'const' ? 'a' : layout.symbols.get(s.name)!.section === 'data' ? 'd' : 't';
  return s.global ? letter.toUpperCase() : letter;
}

/** One `value letter name` line per symbol, sorted by value. */
export function symbolsText(layout: Layout, symbols: readonly ImageSymbol[]): string {
  return symbols.map((s) => `${s.value.toString(16).padStart(8, '0')} ${nmLetter(layout, s)} ${s.name}\n`).join('');
}
