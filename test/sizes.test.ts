/**
 * Files and functions stay short (STYLE.md): no product file over 400 lines,
 * no function over 80 lines, except the two interpreter loops, which are one
 * long switch each by design.
 */
import { describe, expect, it } from 'vitest';
import { productFiles } from './helpers/imports.ts';
import { functionSpans, lineCount } from './helpers/sizes.ts';

const LONG_ALLOWED = new Set(['hypervisor/cpu/interp.ts', 'hypervisor/cpu/reference.ts']);
const files = productFiles();

describe('sizes', () => {
  it('the scanner finds functions', () => {
    const spans = files.flatMap(functionSpans);
    expect(spans.length).toBeGreaterThan(500);
    expect(spans.find((s) => s.file === 'hypervisor/cpu/interp.ts' && s.lines > 150)).toBeDefined();
  });

  it('no product file is over 400 lines', () => {
    expect(files.filter((f) => lineCount(f) > 400).map((f) => `${f}: ${lineCount(f)} lines`)).toEqual([]);
  });

  it('no function is over 80 lines but the interpreter loops', () => {
    const long = files.filter((f) => !LONG_ALLOWED.has(f)).flatMap(functionSpans).filter((s) => s.lines > 80);
    expect(long.map((s) => `${s.file}:${s.line} (${s.lines} lines) ${s.head}`)).toEqual([]);
  });
});
