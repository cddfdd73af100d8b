/**
 * What a successful run hands back besides the bytes: the listing, the
 * nm-style symbol file, and the image's symbols, files and line map.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostics, type AsmOptions, type AsmResult } from '../../assembler/index.ts';
import { assembleSource } from '../../guest-kernel/loader/index.ts';
import { readImage, sourceOf, writeImage } from '../../isa/image.ts';

function ok(source: string, opts: AsmOptions = {}): AsmResult {
  const res = assembleSource(source, 'out.s', opts);
  if (!res.ok) throw new Error(formatDiagnostics(res.diagnostics));
  return res;
}

const files: Record<string, string> = { 'io.s': '# helper\nputc: ret\n' };
const readFile = (p: string): string => files[p] ?? (() => { throw new Error(`ENOENT ${p}`); })();

const SOURCE = [
  '        .global _start',
  '        .equ    N, 3',
  '.macro twice r',
  '        add     \\r, \\r, \\r',
  '.endm',
  '_start:',
  '        li      a0, 0x12345678',
  '        twice   a0',
  '        call    putc',
  '        .include "io.s"',
  '        .data',
  'msg:    .asciz  "hello"',
  'buf:    .space  16',
].join('\n');

describe('listing', () => {
  it('address, bytes, line and source; a row per extra word; data continues; fill shows one row', () => {
    expect(ok(SOURCE, { readFile }).listing).toBe([
      '                     1          .global _start',
      '                     2          .equ    N, 3',
      '80000000             6  _start:',
      '80000000  12340329   7          li      a0, 0x12345678',
      '80000004  56783322',
      '80000008  00033301   4          add     a0, a0, a0',
      '8000000c  00001148   9          call    putc',
      '# file: io.s',
      '                     1  # helper',
      '80000010  00001049   2  putc: ret',
      '# file: out.s',
      '                    11          .data',
      '80001000  68656c6c  12  msg:    .asciz  "hello"',
      '80001004  6f00',
      '80001006  00000000  13  buf:    .space  16',
      '',
    ].join('\n'));
  });

  it('is empty when the run fails', () => {
    const res = assembleSource('frob', 'bad.s');
    expect([res.listing, res.symbolsText]).toEqual(['', '']);
  });
});

describe('symbol file', () => {
  it('nm style, sorted by value: T/t text labels, D/d data labels, A/a constants', () => {
    expect(ok(`${SOURCE}\n.global BIG\n.equ BIG, 0x90000000`, { readFile }).symbolsText).toBe([
      '00000003 a N',
      '80000000 T _start',
      '80000010 t putc',
      '80001000 d msg',
      '80001006 d buf',
      '90000000 A BIG',
      '',
    ].join('\n'));
  });
});

describe('image', () => {
  it('symbols: labels and constants (not numeric local labels, ISA names or -D defines)', () => {
    const img = ok('.global f\nf: nop\n1: j 1b\n.equ K, -1\n.l: nop', { defines: { D: 1 } }).image!;
    expect(img.symbols).toEqual([
      { name: 'f', value: 0x80000000, kind: 'label', global: true },
      { name: 'f.l', value: 0x80000008, kind: 'label', global: false },
      { name: 'K', value: 0xffffffff, kind: 'const', global: false },
    ]);
  });

  it('line map: one entry per instruction word and per data item, macro lines point into the body', () => {
    const img = ok(SOURCE, { readFile }).image!;
    expect(img.files).toEqual(['out.s', 'io.s']);
    expect(img.lines.map((l) => [l.addr.toString(16), img.files[l.file], l.line])).toEqual([
      ['80000000', 'out.s', 7], ['80000004', 'out.s', 7], ['80000008', 'out.s', 4], ['8000000c', 'out.s', 9],
      ['80000010', 'io.s', 2], ['80001000', 'out.s', 12], ['80001006', 'out.s', 13],
    ]);
    expect(sourceOf(img, 0x80000012)).toEqual({ file: 'io.s', line: 2 });
  });

  it('survives the image file format', () => {
    const img = ok(SOURCE, { readFile }).image!;
    expect(readImage(writeImage(img))).toEqual({ ...img, segments: img.segments.map((s) => ({ ...s, data: Uint8Array.from(s.data) })) });
  });
});
