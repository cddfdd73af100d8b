/**
 * The image container: write/read round trip, symbol and source lookup,
 * and clear errors (never a crash) for truncated or foreign files.
 */
import { describe, expect, it } from 'vitest';
import { readImage, writeImage, nearestSymbol, sourceOf, describeAddress, ImageFormatError, type Image } from '../../isa/image.ts';

const IMG: Image = {
  entry: 0x80000004,
  segments: [
    { name: '.text', vaddr: 0x80000000, flags: 0b1010, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
    { name: '.data', vaddr: 0x80001000, flags: 0b0110, data: Uint8Array.of(9) },
  ],
  symbols: [
    { name: '_start', value: 0x80000000, kind: 'label', global: true },
    { name: 'loop', value: 0x80000004, kind: 'label', global: false },
    { name: 'N', value: 0x80000002, kind: 'const', global: false },
  ],
  files: ['a.s', 'lib/b.s'],
  lines: [
    { addr: 0x80000000, file: 0, line: 3 },
    { addr: 0x80000004, file: 1, line: 10 },
  ],
};

describe('image container', () => {
  it('round-trips', () => {
    const back = readImage(writeImage(IMG));
    expect(back).toEqual(IMG);
  });

  it('carries a note (string 0, flagged in the header) without changing what loads', () => {
    const noted = { ...IMG, note: 'paravm 0.1.0, Node v20: asm {} a.s' };
    const bytes = writeImage(noted);
    expect(new DataView(bytes.buffer).getUint16(6, true)).toBe(1);
    expect(readImage(bytes)).toEqual(noted);
    const plain = writeImage(IMG);
    expect(new DataView(plain.buffer).getUint16(6, true)).toBe(0);
    expect('note' in readImage(plain)).toBe(false);
    const odd = plain.slice();
    new DataView(odd.buffer).setUint16(6, 2, true);
    expect(() => readImage(odd)).toThrow(/unknown header flags 0x2/);
  });

  it('finds the nearest label and the source line', () => {
    expect(nearestSymbol(IMG, 0x80000006)).toEqual({ name: 'loop', offset: 2 });
    expect(nearestSymbol(IMG, 0x7fffffff)).toBeUndefined();
    expect(sourceOf(IMG, 0x80000002)).toEqual({ file: 'a.s', line: 3 });
    expect(sourceOf(IMG, 0x80000008)).toEqual({ file: 'lib/b.s', line: 10 });
    expect(describeAddress(IMG, 0x80000006)).toBe('0x80000006 <loop+0x2> at lib/b.s:10');
  });

  it('rejects foreign and truncated files with ImageFormatError', () => {
    const bytes = writeImage(IMG);
    expect(() => readImage(new TextEncoder().encode('#!/bin/sh\necho hi\n'))).toThrow(ImageFormatError);
    for (const n of [0, 10, 40, bytes.length - 1]) {
      expect(() => readImage(bytes.subarray(0, n)), `truncated to ${n}`).toThrow(ImageFormatError);
    }
    const badVersion = bytes.slice();
    badVersion[4] = 99;
    expect(() => readImage(badVersion)).toThrow(/version 99/);
  });
});
