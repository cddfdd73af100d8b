/**
 * The line parser. Its cache shares one ohm match among lines with the same
 * masked shape (parse.ts); these tests check that this never changes a
 * result: parsing through the shared templates equals parsing each line on
 * its own, for hand-picked tricky lines and for random ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineParser, maskLine, parseLineUncached } from '../../assembler/parse.ts';

/** Parses every line with one LineParser (so templates are shared) and compares with uncached parses. */
function expectCacheTransparent(lines: readonly string[]): void {
  const parser = new LineParser();
  for (const line of lines) expect(parser.parse(line), JSON.stringify(line)).toEqual(parseLineUncached(line));
}

describe('masked templates', () => {
  it('mask keeps length and the characters whose identity matters', () => {
    expect(maskLine('loop1: addi a0, t1, -123 # c9')).toBe('xxxx0: xxxx x0, x0, -100 # x0');
    expect(maskLine('.MACRO m, p=7')).toBe('.MACRO x, x=1');
    expect(maskLine('lw a0, %lo(x)(t0)')).toBe('xx x0, %lo(x)(x0)');
    expect(maskLine('.word 0b101, 0o17, 0x1F, 9f, 0b')).toBe('.xxxx 0b101, 0o17, 0x0F, 1f, 0b');
    expect(maskLine('.ascii "\\x41\\n"')).toBe('.xxxxx "\\x41\\n"');
  });

  it('tricky lines parse the same through shared templates', () => {
    expectCacheTransparent([
      '.word 0b101', '.word 0b121', '.word 0b1', '.word 0b2', '.word 0o7', '.word 0o8', '.word 1b1', '.word 0b1f',
      'j 1b', 'j 9f', 'j 0b', '1: nop', '0x1: nop', '12: nop', '.1 x', '.a x', '.macro m a', '.mAcRo m a', '.macrox m',
      "li a0, 'a'", "li a0, '\\n'", "li a0, '\\x41'", "li a0, '\\q'", "li a0, '\\777'", '.ascii "\\n\\t\\101"', '.ascii "\\9"',
      'lw a0, %hi(x)(t0)', 'lw a0, %lo(x)(t0)', 'lw a0, %xy(x)(t0)', 'x = 5', 'x == 5', '.word 4294967295', '.word 4294967296',
      '.word 0xffffffff', '.word 0x100000000', 'a0: b1: add r1, r2, r3', 'ADD A0, SP, R15', '  li a0, 1 +', 'mymac +, 3',
    ]);
  });

  const pieces = [
    'add', 'li', 'lw', 'x', 'a0', 't1', 'r15', '.word', '.macro', '.MACRO', '.x1', 'loop9', '_q$', '1', '9', '0', '10', '0x1f', '0XAB', '0b1', '0b2', '0o7', '0o9',
    '1b', '2f', '0b', '1:', 'l:', '.l:', ',', '(', ')', '"s9\\n"', "'c'", "'\\x4'", "'\\9'", '%hi', '%lo', '%', '+', '-', '*', '<<', '==', '=', '!', '~',
    '#', ';', '//', '.', ' ', '  ', '\t', '\\', 'é',
  ];

  it('random lines parse the same through shared templates', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 7 }).map((p) => p.join('')), { minLength: 1, maxLength: 20 }), (lines) => {
      expectCacheTransparent(lines);
    }), { numRuns: 400 });
  });
});

describe('trees', () => {
  const parse = (line: string) => {
    const r = new LineParser().parse(line);
    if (!r.ok) throw new Error(r.message);
    return r.line;
  };

  it('binary operators follow C precedence, left to right', () => {
    const s = parse('.word 1 - 2 - 3 * 4').stmt!;
    expect(s.k === 'dir' && s.ops[0]).toMatchObject({
      k: 'expr', e: { k: 'bin', op: '-', l: { k: 'bin', op: '-', l: { v: 1 }, r: { v: 2 } }, r: { k: 'bin', op: '*' } },
    });
  });

  it('labels, directive names in lower case, mnemonic as written, raw macro argument text', () => {
    const line = parse('a: 1: Foo   x, (y + 1)(sp) # c');
    expect(line.labels).toEqual([{ name: 'a', numeric: false, col: 1 }, { name: '1', numeric: true, col: 4 }]);
    expect(line.stmt).toMatchObject({ k: 'instr', name: 'Foo', col: 7, argsText: 'x, (y + 1)(sp)', argsCol: 13 });
    expect(parse('.WORD 1').stmt).toMatchObject({ k: 'dir', name: '.word' });
  });

  it('a line that is not an operand list can still be a macro call', () => {
    const r = new LineParser().parse('m: mymac +, "a,b" # x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fallback?.stmt).toMatchObject({ k: 'instr', name: 'mymac', argsText: '+, "a,b"' });
  });
});
