/**
 * The language: directives, expressions, labels, macros, .rept, includes,
 * conditionals, sections and the entry point. Values are read back from the
 * image by symbol, never by a copied offset.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics, type AsmOptions, type AsmResult } from '../../assembler/index.ts';
import { assembleFile, assembleSource } from '../../guest-kernel/loader/index.ts';
import type { Image } from '../../isa/image.ts';
import { DEFAULT_TEXT_BASE, PAGE_SIZE, PTE } from '../../isa/memory.ts';
import { predefinedSymbols } from '../../isa/symbols.ts';

function ok(source: string, opts: AsmOptions = {}): Image {
  const res = assembleSource(source, 'syn.s', opts);
  if (!res.ok) throw new Error(formatDiagnostics(res.diagnostics));
  return res.image!;
}

function errors(source: string, opts: AsmOptions = {}): string[] {
  const res = assembleSource(source, 'syn.s', opts);
  expect(res.ok).toBe(false);
  return res.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col}: ${d.message}`);
}

function sym(img: Image, name: string): number {
  const s = img.symbols.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name}`);
  return s.value >>> 0;
}

function segment(img: Image, name: string) {
  const s = img.segments.find((x) => x.name === name);
  if (!s) throw new Error(`no segment ${name}`);
  return s;
}

/** Bytes of the image at [addr, addr + n). */
function bytesAt(img: Image, addr: number, n: number): number[] {
  for (const s of img.segments) {
    const off = addr - s.vaddr;
    if (off >= 0 && off + n <= s.data.length) return Array.from(s.data.subarray(off, off + n));
  }
  throw new Error(`no bytes at 0x${addr.toString(16)}`);
}

const word = (img: Image, addr: number): number => new DataView(Uint8Array.from(bytesAt(img, addr, 4)).buffer).getUint32(0, true);

/** The value of each expression, via `.word`. */
function values(...exprs: string[]): number[] {
  const img = ok(`v: .word ${exprs.join(', ')}`);
  return exprs.map((_e, i) => word(img, sym(img, 'v') + 4 * i) | 0);
}

describe('data directives', () => {
  it('.byte .half .word are little-endian with no implicit alignment', () => {
    const img = ok('a: .byte 1, -1, 255\nb: .half 0x1234, -2\nc: .word 0xdeadbeef, -1');
    expect(bytesAt(img, sym(img, 'a'), 3)).toEqual([1, 0xff, 0xff]);
    expect(sym(img, 'b') - sym(img, 'a')).toBe(3);
    expect(bytesAt(img, sym(img, 'b'), 4)).toEqual([0x34, 0x12, 0xfe, 0xff]);
    expect(bytesAt(img, sym(img, 'c'), 8)).toEqual([0xef, 0xbe, 0xad, 0xde, 0xff, 0xff, 0xff, 0xff]);
  });

  it('.ascii, .asciz and .string with escapes', () => {
    const img = ok('s: .ascii "a\\tb", "c"\nz: .asciz "\\x41\\101\\0"\nt: .string "#;//"');
    expect(bytesAt(img, sym(img, 's'), 4)).toEqual([97, 9, 98, 99]);
    expect(bytesAt(img, sym(img, 'z'), 4)).toEqual([65, 65, 0, 0]);
    expect(bytesAt(img, sym(img, 't'), 5)).toEqual([35, 59, 47, 47, 0]);
  });

  it('.space/.skip with fill, .align (2^n) and .balign (n) with fill', () => {
    const img = ok('a: .byte 1\n.space 3, 9\nb: .skip 2\n.align 3\nc: .byte 2\n.balign 4, 0xee\nd: .byte 3');
    const a = sym(img, 'a');
    expect(bytesAt(img, a, 4)).toEqual([1, 9, 9, 9]);
    expect(sym(img, 'b') - a).toBe(4);
    expect(sym(img, 'c') - a).toBe(8);
    expect(bytesAt(img, sym(img, 'c'), 4)).toEqual([2, 0xee, 0xee, 0xee]);
    expect(sym(img, 'd') - a).toBe(12);
  });

  it('.equ, .set and = define constants; .set may redefine (each use sees the value above it)', () => {
    const img = ok('.equ A, 3\n.set B, A * 2\nC = B + 1\n.set B, 100\nv: .word A, C, B\nw: .word B');
    expect([word(img, sym(img, 'v')), word(img, sym(img, 'v') + 4), word(img, sym(img, 'v') + 8)]).toEqual([3, 7, 100]);
    expect(img.symbols.find((s) => s.name === 'A')).toMatchObject({ kind: 'const', value: 3 });
  });

  it('a constant may be used above its definition (forward references resolve)', () => {
    const img = ok('v: .word X\n.equ X, Y + 1\n.equ Y, end - v\nend:');
    expect(word(img, sym(img, 'v'))).toBe(5);
  });

  it('.global marks symbols global', () => {
    const img = ok('.global f, g\nf: nop\ng: nop\nh: nop');
    expect(img.symbols.filter((s) => s.global).map((s) => s.name)).toEqual(['f', 'g']);
  });
});

describe('expressions', () => {
  it('C precedence and associativity', () => {
    expect(values('1 + 2 * 3', '(1 + 2) * 3', '10 - 4 - 3', '1 << 2 + 1', '6 & 3 | 8', '1 | 6 ^ 3', '2 + 3 == 5', '7 % 4 * 2', '100 / 10 / 5'))
      .toEqual([7, 9, 3, 8, 10, 5, 1, 6, 2]);
  });

  it('unary operators, comparisons and logic', () => {
    expect(values('-5', '~0', '!0', '!7', '- -3', '3 < 4', '4 <= 3', '5 > 2', '2 >= 2', '3 != 3', '1 && 0', '0 || 2'))
      .toEqual([-5, -1, 1, 0, 3, 1, 0, 1, 1, 0, 0, 1]);
  });

  it('32-bit wrapping, signed division and arithmetic shift', () => {
    expect(values('0xffffffff', '0x7fffffff + 1', '-7 / 2', '-7 % 2', '-16 >> 2', '1 << 31', '0x10000 * 0x10000'))
      .toEqual([-1, -2147483648, -3, -1, -4, -2147483648, 0]);
  });

  it('number bases and character literals with escapes', () => {
    expect(values('0x1F', '0b101', '0o17', '42', "'a'", "'\\n'", "'\\t'", "'\\0'", "'\\\\'", "'\\''", "'\\\"'", "'\\x41'", "'#'"))
      .toEqual([31, 5, 15, 42, 97, 10, 9, 0, 92, 39, 34, 65, 35]);
  });

  it('%hi/%lo split so that (hi << 16) + lo is the value', () => {
    for (const v of [0x12345678, 0x12348000, 0x8000, 0xffff8000, 0, 0x7fff]) {
      const [hi, lo] = values(`%hi(${v})`, `%lo(${v})`);
      expect(((hi! << 16) + lo!) | 0).toBe(v | 0);
      expect(lo).toBeGreaterThanOrEqual(-32768);
      expect(lo).toBeLessThanOrEqual(32767);
    }
    const img = ok('lui t0, %hi(x)\nlw t1, %lo(x)(t0)\n.data\n.space 0x9000\nx: .word 5');
    expect(sym(img, 'x') & 0xffff).toBeGreaterThan(0x7fff);
  });

  it('. is the current address; each data item has its own', () => {
    const img = ok('a: nop\nb: .word ., ., . - a');
    const b = sym(img, 'b');
    expect([word(img, b), word(img, b + 4), word(img, b + 8)]).toEqual([b, b + 4, b + 8 - sym(img, 'a')]);
  });

  it('label differences are constants in pass 1 (usable by .space and .if)', () => {
    const img = ok('s: .word 1, 2, 3\ne:\n.space e - s\nafter:\n.if e - s == 12\nok12: nop\n.endif');
    expect(sym(img, 'after') - sym(img, 'e')).toBe(12);
    expect(img.symbols.some((x) => x.name === 'ok12')).toBe(true);
  });

  it('predefined ISA symbols and -D defines', () => {
    const img = ok('v: .word HC_CONSOLE_PUTC, CSR_STATUS, PAGE_SIZE, FROM_CLI\ncsrr t0, CSR_STATUS', { defines: { FROM_CLI: 99 } });
    const v = sym(img, 'v');
    const pre = predefinedSymbols();
    expect([word(img, v), word(img, v + 4), word(img, v + 8), word(img, v + 12)]).toEqual([pre.get('HC_CONSOLE_PUTC'), pre.get('CSR_STATUS'), PAGE_SIZE, 99]);
    expect(img.symbols.some((s) => s.name === 'PAGE_SIZE' || s.name === 'FROM_CLI')).toBe(false);
  });
});

describe('lines', () => {
  it('comments start with #, ; or // and run to the end of the line, but not inside strings', () => {
    const img = ok("a: nop # x\nb: nop ; y\nc: nop // z\ns: .ascii \"#;//\" // done\n.byte '#'\n# whole line\n; too");
    expect([sym(img, 'b') - sym(img, 'a'), sym(img, 'c') - sym(img, 'b')]).toEqual([4, 4]);
    expect(bytesAt(img, sym(img, 's'), 5)).toEqual([35, 59, 47, 47, 35]);
  });

  it('a local label may be named like a directive; .name on its own is a directive', () => {
    const img = ok('f: nop\n.skip: nop\n.skip 4\nj .skip');
    expect(sym(img, 'f.skip')).toBe(sym(img, 'f') + 4);
  });
});

describe('labels', () => {
  it('several labels on one line, and a label on a line of its own', () => {
    const img = ok('a: b: nop\nc:\nd: nop');
    expect(sym(img, 'a')).toBe(sym(img, 'b'));
    expect(sym(img, 'c')).toBe(sym(img, 'd'));
    expect(sym(img, 'd') - sym(img, 'a')).toBe(4);
  });

  it('numeric local labels: Nb is the nearest before, Nf the nearest after', () => {
    const img = ok('1: nop\nb1: j 1b\nf1: j 1f\n1: nop\nb2: j 1b\n1: nop');
    const jal = (at: string) => word(img, sym(img, at)) >> 12;
    expect(jal('b1')).toBe(-1);
    expect(jal('f1')).toBe(1);
    expect(jal('b2')).toBe(-1);
    expect(img.symbols.some((s) => /^1/.test(s.name))).toBe(false);
  });

  it('.name labels are scoped to the last non-local label', () => {
    const img = ok('f: nop\n.loop: j .loop\ng: nop\n.loop: j .loop\nh: j f.loop');
    expect(sym(img, 'f.loop')).toBe(sym(img, 'f') + 4);
    expect(sym(img, 'g.loop')).toBe(sym(img, 'g') + 4);
    expect(word(img, sym(img, 'h')) >> 12).toBe((sym(img, 'f.loop') - sym(img, 'h')) / 4);
  });
});

describe('macros and .rept', () => {
  it('named parameters, defaults, keyword arguments and \\@ labels', () => {
    const src = '.macro addn reg, n=1\nl\\@: addi \\reg, \\reg, \\n\n.endm\na: addn a0\nb: addn a1, 5\nc: addn n=7, reg=t0';
    const img = ok(src);
    expect(word(img, sym(img, 'a'))).toBe(word(ok('addi a0, a0, 1'), DEFAULT_TEXT_BASE));
    expect(word(img, sym(img, 'b'))).toBe(word(ok('addi a1, a1, 5'), DEFAULT_TEXT_BASE));
    expect(word(img, sym(img, 'c'))).toBe(word(ok('addi t0, t0, 7'), DEFAULT_TEXT_BASE));
    expect(img.symbols.map((s) => s.name).filter((n) => n.startsWith('l'))).toEqual(['l0', 'l1', 'l2']);
  });

  it('arguments are text: a mnemonic, an expression with commas in parentheses, \\() joins', () => {
    const img = ok('.macro op2 m, d, s\n\\m \\d, \\s\n.endm\n.macro lbl n\n\\n\\()_end: nop\n.endm\na: op2 mv, a0, a1\nb: op2 lw, a0, (4 * (1 + 1))(sp)\nlbl foo');
    expect(word(img, sym(img, 'a'))).toBe(word(ok('mv a0, a1'), DEFAULT_TEXT_BASE));
    expect(word(img, sym(img, 'b'))).toBe(word(ok('lw a0, 8(sp)'), DEFAULT_TEXT_BASE));
    expect(sym(img, 'foo_end')).toBe(sym(img, 'b') + 4);
  });

  it('macros may call macros', () => {
    const img = ok('.macro one r\naddi \\r, \\r, 1\n.endm\n.macro two r\none \\r\none \\r\n.endm\ns: two a0\ne:');
    expect(sym(img, 'e') - sym(img, 's')).toBe(8);
  });

  it('.rept repeats, nests, and sees .set changes', () => {
    const img = ok('.set i, 0\nv: .rept 3\n.rept 2\n.byte i\n.endr\n.set i, i + 1\n.endr\ne:');
    expect(bytesAt(img, sym(img, 'v'), 6)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(sym(img, 'e') - sym(img, 'v')).toBe(6);
  });

  it('.rept 0 emits nothing', () => {
    const img = ok('a: .rept 0\nnop\n.endr\nb: nop');
    expect(sym(img, 'b')).toBe(sym(img, 'a'));
  });
});

describe('conditionals', () => {
  const src = '.ifdef DEBUG\nv: .word 1\n.elseif LEVEL > 2\nv: .word 2\n.else\nv: .word 3\n.endif\n.ifndef DEBUG\nn: nop\n.endif';
  const v = (defines: Record<string, number>) => {
    const img = ok(src, { defines });
    return [word(img, sym(img, 'v')), img.symbols.some((s) => s.name === 'n')];
  };

  it('.ifdef/.ifndef/.elseif/.else with -D', () => {
    expect(v({ DEBUG: 0 })).toEqual([1, false]);
    expect(v({ LEVEL: 5 })).toEqual([2, true]);
    expect(v({ LEVEL: 1 })).toEqual([3, true]);
  });

  it('.if sees constants defined above; untaken branches are not parsed', () => {
    const img = ok('.equ N, 4\n.if N == 4\nyes: nop\n.else\n this is not assembly ((\n.if 1\n.endif\n.endif');
    expect(img.symbols.some((s) => s.name === 'yes')).toBe(true);
  });
});

describe('includes', () => {
  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'asm');

  it('relative to the including file, then through -I', () => {
    const res = assembleFile(join(fixtures, 'main.s'), { includeDirs: [join(fixtures, 'lib')] });
    expect(formatDiagnostics(res.diagnostics)).toBe('');
    expect(res.image!.files.map((f) => f.slice(fixtures.length + 1))).toEqual(['main.s', 'sub/defs.s', 'sub/more.s', 'lib/macros.s']);
    expect(word(res.image!, DEFAULT_TEXT_BASE)).toBe(word(ok('li a0, 33'), DEFAULT_TEXT_BASE));
    expect(word(res.image!, DEFAULT_TEXT_BASE + 4)).toBe(word(ok('add a1, a1, a1'), DEFAULT_TEXT_BASE));
  });

  it('readFile supplies the files; the line map points into them', () => {
    const files: Record<string, string> = { 'dir/top.s': 'nop\n.include "inc.s"\n', 'dir/inc.s': '\n\nx: .word 1\n' };
    const res = assembleFile('dir/top.s', { readFile: (p) => files[p] ?? (() => { throw new Error('ENOENT'); })() });
    expect(res.ok).toBe(true);
    const img = res.image!;
    expect(img.files).toEqual(['dir/top.s', 'dir/inc.s']);
    expect(img.lines).toEqual([{ addr: DEFAULT_TEXT_BASE, file: 0, line: 1 }, { addr: DEFAULT_TEXT_BASE + 4, file: 1, line: 3 }]);
  });
});

describe('sections, .org and the entry point', () => {
  it('.text starts at DEFAULT_TEXT_BASE; .data follows it, page-aligned', () => {
    const img = ok('nop\n.data\nd: .word 1\n.text\nnop');
    expect(segment(img, '.text')).toMatchObject({ vaddr: DEFAULT_TEXT_BASE, flags: PTE.R | PTE.X });
    expect(segment(img, '.text').data.length).toBe(8);
    expect(segment(img, '.data')).toMatchObject({ vaddr: DEFAULT_TEXT_BASE + PAGE_SIZE, flags: PTE.R | PTE.W });
    expect(sym(img, 'd')).toBe(DEFAULT_TEXT_BASE + PAGE_SIZE);
  });

  it('a leading .org sets a base; a later .org moves forward with fill', () => {
    const img = ok('.org 0x2000\na: nop\n.org 0x2010, 0xaa\nb: nop\n.section .data\n.org 0x9000\nd: .byte 1\n.org d + 4\ne: .byte 2');
    expect([sym(img, 'a'), sym(img, 'b'), sym(img, 'd'), sym(img, 'e')]).toEqual([0x2000, 0x2010, 0x9000, 0x9004]);
    expect(bytesAt(img, 0x2004, 4)).toEqual([0xaa, 0xaa, 0xaa, 0xaa]);
  });

  it('.data placed after .text honours a larger .align', () => {
    const img = ok('nop\n.data\n.align 14\nd: .word 1');
    expect(sym(img, 'd') % (1 << 14)).toBe(0);
  });

  it('entry: .entry, else _start, else start, else the start of .text', () => {
    expect(ok('nop\nmain: nop\n_start: nop\n.entry main').entry).toBe(DEFAULT_TEXT_BASE + 4);
    expect(ok('nop\nstart: nop\n_start: nop').entry).toBe(DEFAULT_TEXT_BASE + 8);
    expect(ok('nop\nstart: nop').entry).toBe(DEFAULT_TEXT_BASE + 4);
    expect(ok('.org 0x100\nnop').entry).toBe(0x100);
  });
});

describe('errors that the language rules imply', () => {
  it.each([
    ['.org backwards', 'nop\nnop\n.org 0x80000000', ['3:6: .org 0x80000000 moves the location counter backwards (it is at 0x80000008)']],
    ['.org absolute in a .data with no base', '.data\n.byte 1\n.org 0x1000', ['3:6: .org to an absolute address in .data needs .data to start with its own .org (its base is fixed only after .text is laid out)']],
    ['.space of a forward reference', '.space N\n.equ N, 4', ["1:8: 'N' is not defined at this point"]],
    ['duplicate label', 'a: nop\na: nop', ["2:1: redefinition of label 'a'"]],
    ['register as a symbol', 'sp: nop', ["1:1: 'sp' is a register name and cannot be a symbol"]],
    ['ISA symbol redefined', '.equ PAGE_SIZE, 1', ["1:6: 'PAGE_SIZE' is predefined by the ISA and cannot be redefined"]],
    ['undefined global', '.global nowhere', ["1:9: 'nowhere' is declared .global but never defined"]],
    ['misaligned instruction', '.byte 1\nnop', ['2:1: instruction at 0x80000001 is not 4-byte aligned (add \'.balign 4\' before it)']],
    ['branch out of range', 'b: beq a0, a1, b + 0x40000', ['1:16: branch target 0x80040000 out of range: 65536 words away, allowed [-32768, 32767]']],
    ['misaligned branch target', 'beq a0, a1, . + 2', ['1:13: branch target 0x80000002 is not 4-byte aligned']],
    ['uimm16 is strict', 'ori a0, a0, -1', ['1:13: immediate -1 out of range [0, 65535]']],
    ['.byte range', '.byte 256', ["1:7: value 256 out of range [-128, 255] for '.byte'"]],
    ['subi range names its own range', 'subi a0, a0, 40000', ['1:14: immediate 40000 out of range [-32767, 32768]']],
    ['overlapping sections', '.org 0x1000\n.space 16\n.data\n.org 0x1008\n.word 1', ['5:1: sections overlap: .text is [0x00001000, 0x00001010), .data is [0x00001008, 0x0000100c)']],
    ['second .entry', '.entry 0\n.entry 4', ["2:1: a second '.entry': the entry point is already set"]],
    ['.align range', '.align 20', ["1:8: '.align' exponent 20 out of range [0, 16] (it aligns to 2^N bytes)"]],
    ['unknown section', '.section .bss', ["1:10: unknown section: only '.text' and '.data' exist"]],
    ['number too large', '.word 0x100000000', ['1:7: number 0x100000000 does not fit in 32 bits']],
    ['macro argument missing', '.macro m a\nnop\n.endm\nm', ["4:1: macro 'm' needs a value for parameter 'a'"]],
    ['too many macro arguments', '.macro m a\nnop\n.endm\nm 1, 2', ["4:6: macro 'm' takes 1 argument, got 2"]],
    ['.endif without .if', '.endif', ["1:1: '.endif' without '.if'"]],
    ['.else twice', '.if 1\n.else\n.else\n.endif', ["3:1: '.else' after '.else'"]],
    ['recursive macro', '.macro r\nr\n.endm\nr', ["2:1: macro expansion nested more than 64 deep (recursive macro 'r'?)"]],
    ['.if on a forward reference', '.if X\n.endif\n.equ X, 1', ["1:5: 'X' is not defined at this point"]],
  ])('%s', (_what, src, expected) => {
    expect(errors(src)).toEqual(expected);
  });
});

describe('assembleFile', () => {
  it('a missing top-level file is a diagnostic, not an exception', () => {
    const res: AsmResult = assembleFile('/nonexistent/dir/prog.s');
    expect(res.ok).toBe(false);
    expect(res.image).toBeUndefined();
    expect(formatDiagnostics(res.diagnostics)).toBe("/nonexistent/dir/prog.s:1:1: error: cannot read '/nonexistent/dir/prog.s': no such file\n");
  });
});
