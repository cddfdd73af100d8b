/**
 * The image cache (guest-kernel/loader/cache.ts): one assembly per content, a hit
 * equal to a fresh assembly, edits to the source or to an include miss, and
 * the disk copy serves a second cache.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleFile, defaultCacheDir, imageCache } from '../../guest-kernel/loader/index.ts';
import { writeImage } from '../../isa/image.ts';

function tree(): { dir: string; main: string; inc: string } {
  const dir = mkdtempSync(join(tmpdir(), 'paravm-cache-'));
  const main = join(dir, 'main.s');
  const inc = join(dir, 'values.inc');
  writeFileSync(inc, '        .equ VALUE, 7\n');
  writeFileSync(main, `        .include "${inc}"\n        .text\n        .global _start\n_start: li a0, VALUE + N\n1:      j 1b\n`);
  return { dir, main, inc };
}

describe('imageCache', () => {
  it('assembles once per content and returns what a fresh assembly gives', () => {
    const { main } = tree();
    const c = imageCache();
    const a = c.file(main, { defines: { N: 1 } });
    expect(c.file(main, { defines: { N: 1 } })).toBe(a);
    expect([c.hits, c.misses]).toEqual([1, 1]);
    expect(writeImage(a)).toEqual(writeImage(assembleFile(main, { defines: { N: 1 } }).image!));
    c.file(main, { defines: { N: 2 } });
    expect(c.misses).toBe(2);
  });

  it('misses when the source or an included file changes', () => {
    const { main, inc } = tree();
    const c = imageCache();
    const a = c.file(main, { defines: { N: 1 } });
    writeFileSync(inc, '        .equ VALUE, 8\n');
    const b = c.file(main, { defines: { N: 1 } });
    expect(b).not.toBe(a);
    expect(c.misses).toBe(2);
  });

  it('keeps images on disk for another cache, and throws with diagnostics on errors', () => {
    const { dir, main } = tree();
    const first = imageCache({ dir: join(dir, 'cache') });
    const a = first.file(main, { defines: { N: 3 } });
    const second = imageCache({ dir: join(dir, 'cache') });
    expect(writeImage(second.file(main, { defines: { N: 3 } }))).toEqual(writeImage(a));
    expect([second.hits, second.misses]).toEqual([1, 0]);
    expect(() => first.source('  bogus x\n', 'bad.s')).toThrow(/bad\.s/);
  });

  it('still returns the image when the disk directory cannot be written', () => {
    const { dir, main } = tree();
    const blocked = join(dir, 'file');
    writeFileSync(blocked, 'not a directory');
    const c = imageCache({ dir: join(blocked, 'cache') });
    expect(writeImage(c.file(main, { defines: { N: 4 } }))).toEqual(writeImage(assembleFile(main, { defines: { N: 4 } }).image!));
  });

  it('lives in PARAVM_CACHE_DIR, else the XDG cache directory, and off means memory only', () => {
    expect(defaultCacheDir({ PARAVM_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(defaultCacheDir({ PARAVM_CACHE_DIR: 'off' })).toBeUndefined();
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/c' })).toBe(join('/c', 'paravm', 'images'));
    expect(defaultCacheDir({})).toMatch(/\.cache[\\/]paravm[\\/]images$/);
  });

  it('keys an include by the text the assembler read, so an edit during the assembly misses next time', () => {
    const { main, inc } = tree();
    const c = imageCache();
    let edited = false;
    // The include changes on disk right after the assembler has read it.
    const readFile = (p: string): string => {
      const text = readFileSync(p, 'utf8');
      if (p === inc && !edited) {
        edited = true;
        writeFileSync(inc, '        .equ VALUE, 9\n');
      }
      return text;
    };
    c.file(main, { defines: { N: 1 }, readFile });
    c.file(main, { defines: { N: 1 }, readFile });
    expect([c.hits, c.misses]).toEqual([0, 2]);
  });
});
