/**
 * Sources that once took the host down (stack overflow, hours of work,
 * gigabytes of memory): each is now rejected early, at the line that reaches
 * a limit of assembler/limits.ts, with a message naming the limit; and large
 * valid sources assemble.
 */
import { describe, expect, it } from 'vitest';
import { type Diagnostic } from '../../assembler/index.ts';
import { assembleFile, assembleSource } from '../../guest-kernel/loader/index.ts';
import { LIMITS } from '../../assembler/limits.ts';

const errorsOf = (src: string): Diagnostic[] => assembleSource(src, 't.s').diagnostics.filter((d) => d.severity === 'error');

function rejected(src: string, line: number, message: RegExp, col?: number): void {
  const t0 = performance.now();
  const errs = errorsOf(src);
  expect(performance.now() - t0).toBeLessThan(15_000);
  expect(errs.length).toBeGreaterThan(0);
  expect(errs[0]!.message).toMatch(message);
  expect(errs[0]!.line).toBe(line);
  if (col !== undefined) expect(errs[0]!.col).toBe(col);
  expect(errs.some((d) => d.message.startsWith('internal assembler error'))).toBe(false);
}

describe('nesting and line length', () => {
  it.each([
    ['400 nested parentheses', `.equ x, ${'('.repeat(400)}1${')'.repeat(400)}`],
    ['1,000 unary minuses', `.equ x, ${'-'.repeat(1000)}1`],
    ['100 spaced unary minuses', `.equ x, ${'- '.repeat(100)}1`],
  ])('%s: nested more than the limit, at the column that passes it', (_, line) => {
    rejected(`${line}\n`, 1, new RegExp(`nested more than ${LIMITS.nesting} deep`));
  });

  it('64 levels still assemble', () => {
    expect(errorsOf(`.equ x, ${'('.repeat(32)}${'-'.repeat(31)}1${')'.repeat(32)}\n.text\n_start: nop\n`)).toEqual([]);
  });

  it.each([
    ['a 10,000-term sum', `.equ x, ${Array(10_000).fill('1').join('+')}`],
    ['a 200 KB .ascii', `.data\n.ascii "${'a'.repeat(200_000)}"`],
    ['a 1 MiB label', `${'L'.repeat(1 << 20)}:`],
  ])('%s: a line over the length limit', (_, src) => {
    rejected(`${src}\n`, src.split('\n').length, /line is .* characters long, over the assembler's limit of 16,384/, LIMITS.lineBytes + 1);
  });

  it('a 1,000-term sum within the line limit assembles', () => {
    expect(errorsOf(`.equ x, ${Array(1000).fill('1').join('+')}\n.text\n_start: nop\n`)).toEqual([]);
  });
});

describe('expansion is bounded by work', () => {
  it('.rept 0x7fffffff with an empty body fails at once, at its count', () => {
    rejected('.rept 0x7fffffff\n.endr\n', 1, /'.rept' would expand to 2,147,483,647 more lines, over the assembler's limit/, 7);
  });

  it('nested .rept 0x7fffffff fails at the outer .rept', () => {
    rejected('.rept 0x7fffffff\n.rept 0x7fffffff\n.endr\n.endr\n', 1, /'.rept' would expand/);
  });

  it('a macro whose argument doubles per level stops at the line limit, inside the expansion', () => {
    const errs = errorsOf('.macro grow x\ngrow \\x\\x\n.endm\ngrow a\n');
    expect(errs[0]!.message).toMatch(/over the assembler's limit of 16,384/);
    expect(errs[0]!.line).toBe(2);
    expect(errs[0]!.notes?.some((n) => n.message === "in expansion of macro 'grow'")).toBe(true);
  });

  it('a binary-recursive macro stops at the expansion budget, at the call that passes it', () => {
    rejected('.macro r n\n.if \\n\nr \\n-1\nr \\n-1\n.endif\n.endm\n.text\nr 60\n', 3, /more than .* (lines|bytes)/);
  }, 30_000);

  it('one limit error stops the run (no cascade)', () => {
    expect(errorsOf('.rept 0x7fffffff\n.endr\n.rept 0x7fffffff\n.endr\n')).toHaveLength(1);
  });
});

describe('includes', () => {
  it('.include "/dev/zero" is refused: not a regular file', () => {
    rejected('.include "/dev/zero"\n', 1, /cannot include: '\/dev\/zero' is not a regular file/, 10);
  });

  it('a directory is refused too; a missing file is still "not found"', () => {
    rejected('.include "/"\n', 1, /not a regular file/);
    rejected('.include "/nonexistent/x.s"\n', 1, /not found/);
  });

  it('an injected reader returning too much text is refused', () => {
    const big = 'x'.repeat(LIMITS.fileBytes + 1);
    const r = assembleSource('.include "big.s"\n', 't.s', { readFile: () => big });
    expect(r.diagnostics[0]!.message).toMatch(/over the assembler's limit of .* bytes a file/);
  });

  it('assembling /dev/zero itself is refused', () => {
    expect(assembleFile('/dev/zero').diagnostics[0]!.message).toMatch(/not a regular file/);
  });
});

describe('large valid sources', () => {
  it('200,000 statements assemble, listing included (it once overflowed the stack)', () => {
    const body = Array.from({ length: 200_000 }, (_, i) => `        addi a0, a0, ${i % 1000}`).join('\n');
    const r = assembleSource(`.text\n_start:\n${body}\n`, 't.s');
    expect(r.ok).toBe(true);
    expect(r.listing.split('\n').length).toBeGreaterThan(200_000);
  }, 60_000);
});
