/** assembler/grammar-source.ts is grammar.ohm as a string: regenerate it with `npm run grammar` after editing the grammar. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GRAMMAR_MODULE, GRAMMAR_OHM, grammarModule } from '../../bin/gen-grammar.ts';
import { GRAMMAR_SOURCE } from '../../assembler/grammar-source.ts';

describe('the bundled grammar', () => {
  it('is grammar.ohm as it is now', () => {
    const ohm = readFileSync(GRAMMAR_OHM, 'utf8');
    expect(GRAMMAR_SOURCE).toBe(ohm);
    expect(readFileSync(GRAMMAR_MODULE, 'utf8') === grammarModule(ohm), 'assembler/grammar-source.ts is stale: run `npm run grammar`').toBe(true);
  });
});
