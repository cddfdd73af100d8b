/**
 * Between the passes: fix the section bases, turn every section-relative
 * symbol into an address, and give constants their final values so pass 2
 * can use a constant above the line that defines it.
 *
 * Constants are settled by replaying every .equ/.set in order, as pass 2
 * will, until a replay changes nothing: that resolves forward chains
 * (`.equ A, B` above `.equ B, label`) and leaves each symbol with the value
 * of its last definition, which is what a use above the first definition
 * sees in pass 2.
 */
import { AsmError, type Diagnostics } from './diagnostics.ts';
import { abs, evaluate, type Env, type SectionName, type Val } from './expr.ts';
import type { Item, Layout } from './layout.ts';
import type { Section } from './sections.ts';
import type { SymbolTable } from './symbols.ts';

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export function addressOf(layout: Layout, item: Item): number {
  return (layout.sections[item.section].base! + item.offset) >>> 0;
}

function absolute(layout: Layout, v: Val): Val {
  return v.sec === undefined ? v : abs(layout.sections[v.sec].base! + v.v);
}

/** The last item placed in a section: where a problem with the whole section is reported. */
function lastItemIn(layout: Layout, name: SectionName): Item | undefined {
  for (let i = layout.items.length - 1; i >= 0; i--) if (layout.items[i]!.section === name && layout.items[i]!.size > 0) return layout.items[i];
  return undefined;
}

function checkSections(layout: Layout, diags: Diagnostics): void {
  const { text, data } = layout.sections;
  const span = (s: Section) => ({ start: s.base!, end: s.base! + s.offset });
  for (const s of [text, data]) {
    const at = lastItemIn(layout, s.name);
    if (at && span(s).end > 2 ** 32) diags.error(at.src, 0, `section ${s.label} runs past the end of the 32-bit address space (${hex(s.base!)} + ${s.offset} bytes)`);
  }
  const [a, b] = [span(text), span(data)];
  const at = lastItemIn(layout, 'data');
  if (at && text.offset > 0 && a.start < b.end && b.start < a.end) {
    diags.error(at.src, 0, `sections overlap: .text is [${hex(a.start)}, ${hex(a.end)}), .data is [${hex(b.start)}, ${hex(b.end)})`);
  }
}

function settleConstants(layout: Layout): void {
  const sets = layout.items.filter((i) => i.body.k === 'set');
  for (let round = 0; round <= sets.length; round++) {
    let changed = false;
    for (const item of sets) changed = replaySet(layout, item, () => abs(addressOf(layout, item))) || changed;
    if (!changed) return;
  }
}

/** Evaluates one .set with every label known; true if the symbol's value changed. */
export function replaySet(layout: Layout, item: Item, dot: () => Val): boolean {
  const body = item.body as Extract<Item['body'], { k: 'set' }>;
  const sym = layout.symbols.get(body.name)!;
  const env: Env = { symbol: (name) => layout.symbols.get(name)?.val, dot };
  let v: Val | undefined;
  try {
    v = evaluate(body.e, env);
  } catch (e) {
    if (!(e instanceof AsmError)) throw e;
  }
  const same = v?.v === sym.val?.v && v?.sec === sym.val?.sec;
  sym.val = v;
  return !same;
}

function reportUndefinedGlobals(symbols: SymbolTable, diags: Diagnostics): void {
  for (const g of symbols.undefinedGlobals()) diags.error(g.src, g.col, `'${g.name}' is declared .global but never defined`);
}

export function resolveLayout(layout: Layout, diags: Diagnostics): void {
  diags.seq = Number.MAX_SAFE_INTEGER - 1;
  const { text, data } = layout.sections;
  text.finish(0);
  data.finish(text.base! + text.offset);
  checkSections(layout, diags);
  for (const s of layout.symbols.all()) if (s.val) s.val = absolute(layout, s.val);
  settleConstants(layout);
  reportUndefinedGlobals(layout.symbols, diags);
}
