/**
 * Pass 2: every symbol is an address or a constant now, so each item's
 * bytes can be written into its section's buffer (sized exactly by pass 1).
 * .equ/.set are replayed in order so a redefined constant has, at each use,
 * the value it had there in pass 1. Also records the line map: one entry per
 * instruction word and per data item, pointing at the line that produced it
 * (for a macro expansion, the line in the macro body).
 */
import { encode } from '../isa/encoding.ts';
import { FORMATS } from '../isa/formats.ts';
import type { LineEntry } from '../isa/image.ts';
import { AsmError, type Diagnostics } from './diagnostics.ts';
import { abs, type Env, type SectionName } from './expr.ts';
import type { Body, Item, Layout } from './layout.ts';
import { operandValue, valueOf } from './operands.ts';
import type { Plan } from './plan.ts';
import { addressOf } from './resolve.ts';
import { isRegisterName, undefinedMessage } from './symbols.ts';

export interface Emitted {
  readonly bytes: Readonly<Record<SectionName, Uint8Array>>;
  readonly lines: readonly LineEntry[];
  /** The `.entry` value, if the source gave one. */
  readonly entry: number | undefined;
}

const DATA_RANGE: Readonly<Record<1 | 2 | 4, [number, number]>> = { 1: [-128, 255], 2: [-32768, 65535], 4: [-(2 ** 31), 2 ** 32 - 1] };
const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

class Pass2 {
  readonly bytes: Record<SectionName, Uint8Array>;
  readonly lines: LineEntry[] = [];
  entry: number | undefined;
  private dotAddr = 0;

  constructor(private readonly layout: Layout) {
    const { text, data } = layout.sections;
    this.bytes = { text: new Uint8Array(text.offset), data: new Uint8Array(data.offset) };
  }

  readonly env: Env = {
    symbol: (name, col) => {
      if (isRegisterName(name)) throw new AsmError(`register '${name}' cannot be used in an expression`, col);
      const v = this.layout.symbols.get(name)?.val;
      if (v === undefined) throw new AsmError(undefinedMessage(name), col);
      return v;
    },
    dot: () => abs(this.dotAddr),
  };

  item(item: Item): void {
    const b = item.body;
    this.dotAddr = addressOf(this.layout, item);
    switch (b.k) {
      case 'instr': return this.instructions(item, b.plan);
      case 'data': return this.data(item, b);
      case 'bytes': return this.write(item, 0, b.bytes);
      case 'fill': return this.fill(item, b);
      case 'set': return this.set(b);
      case 'entry': this.entry = valueOf(b.e, this.env) >>> 0; return;
      default: return;
    }
  }

  private mapLine(item: Item, addr: number): void {
    this.lines.push({ addr, file: item.src.fileIndex, line: item.src.line });
  }

  private write(item: Item, at: number, bytes: ArrayLike<number>): void {
    this.bytes[item.section].set(bytes, item.offset + at);
    if (at === 0 && bytes.length > 0) this.mapLine(item, addressOf(this.layout, item));
  }

  private instructions(item: Item, plan: Plan): void {
    const pc0 = addressOf(this.layout, item);
    if (pc0 & 3) throw new AsmError(`instruction at ${hex(pc0)} is not 4-byte aligned (add '.balign 4' before it)`);
    for (const c of plan.checks) {
      const v = valueOf(c.e, this.env);
      if (v < c.lo || v > c.hi) throw new AsmError(`immediate ${v} out of range [${c.lo}, ${c.hi}]`, c.col);
    }
    const words = plan.words.map((w, i) => {
      const values = FORMATS[w.info.format].operands.map((spec, j) => operandValue(spec, w.ops[j]!, pc0 + 4 * i, this.env));
      return encode(w.info, values);
    });
    const view = new DataView(this.bytes[item.section].buffer);
    words.forEach((w, i) => {
      view.setUint32(item.offset + 4 * i, w, true);
      this.mapLine(item, pc0 + 4 * i);
    });
  }

  private data(item: Item, b: Extract<Body, { k: 'data' }>): void {
    const out: number[] = [];
    b.exprs.forEach((e, i) => {
      this.dotAddr = addressOf(this.layout, item) + i * b.width;
      const [lo, hi] = DATA_RANGE[b.width];
      const v = valueOf(e, this.env);
      if (v < lo || v > hi) throw new AsmError(`value ${v} out of range [${lo}, ${hi}] for '${b.name}'`, e.col);
      for (let k = 0; k < b.width; k++) out.push((v >>> (8 * k)) & 0xff);
    });
    this.write(item, 0, out);
  }

  private fill(item: Item, b: Extract<Body, { k: 'fill' }>): void {
    if (b.value !== 0) this.bytes[item.section].fill(b.value, item.offset, item.offset + item.size);
    if (b.mapped && item.size > 0) this.mapLine(item, addressOf(this.layout, item));
  }

  private set(b: Extract<Body, { k: 'set' }>): void {
    const sym = this.layout.symbols.get(b.name)!;
    sym.val = abs(valueOf(b.e, this.env));
  }
}

export function encodePass(layout: Layout, diags: Diagnostics): Emitted {
  const p = new Pass2(layout);
  for (const item of layout.items) {
    diags.seq = item.seq;
    diags.guard(item.src, () => p.item(item));
  }
  const lines = p.lines.sort((a, b) => (a.addr >>> 0) - (b.addr >>> 0));
  return { bytes: p.bytes, lines, entry: p.entry };
}
