/**
 * An image that could only fault at its first instruction is refused:
 * no code at all, or an entry point that is misaligned or outside .text.
 */
import { describe, expect, it } from 'vitest';
import { assembleSource } from '../../guest-kernel/loader/index.ts';

const errors = (src: string): string[] => assembleSource(src, 'e.s').diagnostics.map((d) => `${d.severity}: ${d.message}`);

describe('entry point checks', () => {
  it('an empty program is an error', () => {
    expect(errors('')).toEqual(['error: the program has no code: the entry point 0x80000000 is not inside .text']);
    expect(errors('  .equ X, 1\n  .data\n  .word 1\n')).toHaveLength(1);
  });

  it('a misaligned or outside entry is an error', () => {
    expect(errors('_start: nop\n  .entry 3\n')).toEqual(['error: the entry point 0x00000003 is not 4-aligned']);
    expect(errors('_start: nop\n  .entry _start + 4\n')[0]).toMatch(/not inside \.text \(0x80000000\.\.0x80000004\)/);
    expect(errors('  .data\nd: .word 0\n  .text\n_start: nop\n  .entry d\n')[0]).toMatch(/not inside \.text/);
  });

  it('a normal program passes', () => {
    expect(errors('_start: nop\n')).toEqual([]);
  });
});

describe('assembler/README.md', () => {
  it('documents every pseudo-instruction in its table', async () => {
    const { PSEUDOS } = await import('../../assembler/pseudo.ts');
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../assembler/README.md', import.meta.url), 'utf8');
    const table = readme.split('\n').filter((l) => l.startsWith('| `'));
    for (const p of PSEUDOS) expect(table.some((row) => row.includes(`\`${p.name}`) || row.includes(`/ \`${p.name}\``)), p.name).toBe(true);
  });
});
