/**
 * Diagnostics as the user sees them: exact formatted text, positions,
 * include and macro notes, the error cap, colour, and that no input makes
 * the assembler throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics, type AsmOptions } from '../../assembler/index.ts';
import { assembleSource } from '../../guest-kernel/loader/index.ts';

function report(source: string, opts: AsmOptions = {}, file = 'main.s'): string {
  const res = assembleSource(source, file, opts);
  expect(res.ok).toBe(false);
  expect(res.image).toBeUndefined();
  return formatDiagnostics(res.diagnostics);
}

function readerOf(files: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT: ${path}`);
    return text;
  };
}

describe('formatted diagnostics', () => {
  it('three different errors, in source order, each with its line and a caret', () => {
    const src = [
      '_start: addi a0, a0, 70000',
      '        frob a1',
      '        j nowhere',
      '        add a0, a1',
    ].join('\n');
    expect(report(src)).toBe([
      'main.s:1:22: error: immediate 70000 out of range [-32768, 32767]',
      '_start: addi a0, a0, 70000',
      '                     ^',
      "main.s:2:9: error: unknown mnemonic 'frob'",
      '        frob a1',
      '        ^',
      "main.s:3:11: error: undefined symbol 'nowhere'",
      '        j nowhere',
      '          ^',
      "main.s:4:9: error: 'add' takes 3 operands (rd, rs1, rs2), got 2",
      '        add a0, a1',
      '        ^',
      '',
    ].join('\n'));
  });

  it('the caret keeps tabs so it lines up under the source', () => {
    expect(report('\tli\ta0,\tfoo')).toBe("main.s:1:9: error: undefined symbol 'foo'\n\tli\ta0,\tfoo\n\t  \t   \t^\n");
  });

  it('syntax errors name what was expected', () => {
    expect(report('  lw a0, 4(a1\n  li a0, 1 +\n  .ascii "open')).toBe([
      "main.s:1:14: error: syntax error: expected ')', found end of line",
      '  lw a0, 4(a1',
      '             ^',
      'main.s:2:13: error: syntax error: expected an expression, found end of line',
      '  li a0, 1 +',
      '            ^',
      'main.s:3:10: error: missing terminating " character',
      '  .ascii "open',
      '         ^',
      '',
    ].join('\n'));
  });

  it('operand kinds and counts', () => {
    expect(report('add a0, a1, 5\nlw a0, a1\ncas a0, a1, 4(a2)\nli a0, t0 + 1\nret a0')).toBe([
      'main.s:1:13: error: expected a register, got an expression',
      'add a0, a1, 5',
      '            ^',
      "main.s:2:8: error: expected a memory operand 'imm(reg)', got register 'a1'",
      'lw a0, a1',
      '       ^',
      "main.s:3:13: error: atomic memory operands take no displacement: write '(reg)'",
      'cas a0, a1, 4(a2)',
      '            ^',
      "main.s:4:8: error: register 't0' cannot be used in an expression",
      'li a0, t0 + 1',
      '       ^',
      "main.s:5:1: error: 'ret' takes no operands, got 1",
      'ret a0',
      '^',
      '',
    ].join('\n'));
  });

  it('an error inside an include names the include site', () => {
    const readFile = readerOf({ 'inc/defs.s': '.equ OK, 1\n  addi a0, a0, 99999\n' });
    expect(report('nop\n  .include "inc/defs.s"\n', { readFile })).toBe([
      'inc/defs.s:2:16: error: immediate 99999 out of range [-32768, 32767]',
      '  addi a0, a0, 99999',
      '               ^',
      'main.s:2:3: note: included from here',
      '  .include "inc/defs.s"',
      '  ^',
      '',
    ].join('\n'));
  });

  it('an error inside a macro expansion shows the expanded line and names the call', () => {
    const readFile = readerOf({ 'm.s': '.macro load reg, sym\n  lw \\reg, \\sym(zero)\n.endm\n' });
    const src = '.include "m.s"\n.macro twice r\n  load \\r, nothing\n  load \\r, nothing\n.endm\n  twice a0\n';
    const text = report(src, { readFile });
    expect(text.split('\n').slice(0, 12).join('\n')).toBe([
      "m.s:2:10: error: undefined symbol 'nothing'",
      '  lw a0, nothing(zero)',
      '         ^',
      "main.s:3:3: note: in expansion of macro 'load'",
      '  load a0, nothing',
      '  ^',
      "main.s:6:3: note: in expansion of macro 'twice'",
      '  twice a0',
      '  ^',
      "m.s:2:10: error: undefined symbol 'nothing'",
      '  lw a0, nothing(zero)',
      '         ^',
    ].join('\n'));
  });

  it('a redefinition points at the previous definition', () => {
    expect(report('x: nop\nx: nop')).toBe([
      "main.s:2:1: error: redefinition of label 'x'",
      'x: nop',
      '^',
      "main.s:1:1: note: previous definition of 'x' was here",
      'x: nop',
      '^',
      '',
    ].join('\n'));
  });

  it('missing includes and unterminated blocks', () => {
    expect(report('.include "gone.s"\n.macro m\nnop\n', { includeDirs: ['lib'], readFile: readerOf({}) })).toBe([
      "main.s:1:10: error: include file 'gone.s' not found (searched: gone.s, lib/gone.s)",
      '.include "gone.s"',
      '         ^',
      "main.s:2:1: error: unterminated '.macro' (missing '.endm')",
      '.macro m',
      '^',
      '',
    ].join('\n'));
  });

  it('stops after maxErrors errors with one "too many errors" line', () => {
    const src = Array.from({ length: 80 }, (_, i) => `bad${i} a0`).join('\n');
    const res = assembleSource(src, 'many.s');
    expect(res.diagnostics).toHaveLength(51);
    expect(formatDiagnostics(res.diagnostics).split('\n').slice(-2)).toEqual(['many.s:51:1: error: too many errors (limit 50), stopping now', '']);
    expect(assembleSource(src, 'many.s', { maxErrors: 3 }).diagnostics.map((d) => d.message)).toEqual([
      "unknown mnemonic 'bad0'", "unknown mnemonic 'bad1'", "unknown mnemonic 'bad2'", 'too many errors (limit 3), stopping now',
    ]);
  });

  it('colour only when asked', () => {
    const res = assembleSource('frob', 'c.s');
    expect(formatDiagnostics(res.diagnostics)).not.toContain('\x1b');
    expect(formatDiagnostics(res.diagnostics, { color: true })).toBe(
      "\x1b[1mc.s:1:1:\x1b[0m \x1b[1;31merror:\x1b[0m \x1b[1munknown mnemonic 'frob'\x1b[0m\nfrob\n\x1b[1;32m^\x1b[0m\n",
    );
  });

  it('diagnostics carry structured fields as well', () => {
    const res = assembleSource('  j nowhere', 's.s');
    expect(res.diagnostics).toEqual([{ file: 's.s', line: 1, col: 5, severity: 'error', message: "undefined symbol 'nowhere'", sourceLine: '  j nowhere' }]);
  });
});

describe('robustness', () => {
  const pieces = ['add', 'li', 'lw', '.word', '.macro', '.endm', '.rept', '.endr', '.if', '.endif', '.include', 'a0', 'sp', 'x', '1b', '2f', '1:', 'x:', '.l:',
    ',', '(', ')', '"s"', "'c'", "'\\q'", '%hi', '%lo', '0x', '0x1', '-', '+', '*', '/', '<<', '#', ';', '\\@', '\\x', '=', '.', '99999999999', ' ', '\t'];

  it('never throws, whatever the lines', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.constantFrom(...pieces), { maxLength: 8 }), { maxLength: 12 }), (lines) => {
      const src = lines.map((l) => l.join(' ')).join('\n');
      const res = assembleSource(src, 'fuzz.s', { readFile: () => 'nop' });
      expect(res.ok).toBe(res.diagnostics.every((d) => d.severity !== 'error'));
      expect(formatDiagnostics(res.diagnostics)).not.toContain('internal assembler error');
    }), { numRuns: 300 });
  });
});
