/**
 * The listing: one row per line that reached pass 1, in assembly order,
 *
 *   address   bytes     line  source
 *   80000000  00030320    12  start: li a0, 3
 *
 * An instruction shows its word (as a number); a multi-word
 * pseudo-instruction adds a row per further word. Data shows its bytes in
 * memory order, four to a row, continuing on rows of their own; .space,
 * .align and .org padding show only their first row. A line without bytes
 * shows its address only if it defines a label. A row "# file: name" marks
 * each change of source file (includes, macros defined elsewhere).
 */
import type { Item, Layout } from './layout.ts';
import { addressOf } from './resolve.ts';

const BLANK_ADDR = ' '.repeat(8);
const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
const hexBytes = (bytes: ArrayLike<number>): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

interface Row {
  readonly addr: string;
  readonly bytes: string;
  readonly item?: Item;
}

function instructionRows(item: Item, addr: number, data: Uint8Array): Row[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const rows: Row[] = [];
  for (let i = 0; i < item.size; i += 4) rows.push({ addr: hex8(addr + i), bytes: hex8(view.getUint32(item.offset + i, true)) });
  return rows;
}

function dataRows(item: Item, addr: number, data: Uint8Array, all: boolean): Row[] {
  const rows: Row[] = [];
  const end = all ? item.size : Math.min(item.size, 4);
  for (let i = 0; i < end; i += 4) rows.push({ addr: hex8(addr + i), bytes: hexBytes(data.subarray(item.offset + i, item.offset + Math.min(i + 4, end))) });
  return rows;
}

function rowsOf(layout: Layout, item: Item, sections: Readonly<Record<string, Uint8Array>>): Row[] {
  const addr = addressOf(layout, item);
  const data = sections[item.section]!;
  const k = item.body.k;
  let rows: Row[] = [];
  if (item.size > 0) rows = k === 'instr' ? instructionRows(item, addr, data) : dataRows(item, addr, data, k !== 'fill');
  if (rows.length === 0) rows = [{ addr: item.labels.length ? hex8(addr) : BLANK_ADDR, bytes: '' }];
  rows[0] = { ...rows[0]!, item };
  return rows;
}

export function formatListing(layout: Layout, sections: Readonly<Record<string, Uint8Array>>): string {
  // A loop, not Math.max(...spread): a spread of over ~120,000 items overflows the stack.
  let last = 1;
  for (const i of layout.items) last = Math.max(last, i.src.line);
  const width = String(last).length;
  const out: string[] = [];
  let file: string | undefined;
  for (const item of layout.items) {
    if (item.src.file !== file) {
      if (file !== undefined) out.push(`# file: ${item.src.file}`);
      file = item.src.file;
    }
    for (const r of rowsOf(layout, item, sections)) {
      const tail = r.item ? `  ${String(r.item.src.line).padStart(width)}  ${r.item.src.text}` : '';
      out.push(`${r.addr}  ${r.bytes.padEnd(8)}${tail}`.trimEnd());
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
