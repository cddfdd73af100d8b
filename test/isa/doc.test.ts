/** docs/isa.md is generated: it must equal what isa/doc.ts produces now. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_HEADER, isaReference } from '../../isa/doc.ts';
import { OPCODES } from '../../isa/opcodes.ts';
import { KERNEL_BASE, MEMORY_MAP } from '../../isa/memory.ts';

describe('docs/isa.md', () => {
  const committed = readFileSync(new URL('../../docs/isa.md', import.meta.url), 'utf8');

  it('is up to date with isa/*.ts', () => {
    expect(committed === isaReference(), 'docs/isa.md is stale: regenerate it with `npm run docs`').toBe(true);
  });

  it('starts with the generated-file header and lists every instruction', () => {
    const doc = isaReference();
    expect(doc.startsWith(DOC_HEADER)).toBe(true);
    for (const o of OPCODES) expect(doc).toContain(`| \`${o.mnemonic}\` | 0x${o.opcode.toString(16).padStart(2, '0')} |`);
  });

  it('the memory-map diagram shows KERNEL_BASE', () => {
    const h = KERNEL_BASE.toString(16).toUpperCase().padStart(8, '0');
    expect(MEMORY_MAP).toContain(`0x${h.slice(0, 4)}_${h.slice(4)}`);
  });
});
