/** assembler/grammar-source.ts is grammar.ohm compiled: regenerate it with `npm run grammar` after editing the grammar. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as ohm from 'ohm-js';
import { GRAMMAR_MODULE, GRAMMAR_OHM, grammarModule } from '../../bin/gen-grammar.ts';
import { GRAMMAR_RECIPE } from '../../assembler/grammar-source.ts';
import { parseLineUncached } from '../../assembler/parse.ts';

describe('the bundled grammar', () => {
  it('is grammar.ohm as it is now', () => {
    const text = readFileSync(GRAMMAR_OHM, 'utf8');
    expect(readFileSync(GRAMMAR_MODULE, 'utf8') === grammarModule(text), 'assembler/grammar-source.ts is stale: run `npm run grammar`').toBe(true);
  });

  it('rebuilds the grammar the text compiles to: same rules, same descriptions', () => {
    const fromText = ohm.grammar(readFileSync(GRAMMAR_OHM, 'utf8'));
    const fromRecipe = (ohm as unknown as { makeRecipe(r: string): ohm.Grammar }).makeRecipe(GRAMMAR_RECIPE);
    expect(Object.keys(fromRecipe.rules).sort()).toEqual(Object.keys(fromText.rules).sort());
    for (const [name, rule] of Object.entries(fromText.rules)) {
      expect(fromRecipe.rules[name]!.description ?? null, name).toBe(rule.description ?? null);
      expect(fromRecipe.rules[name]!.body.toString(), name).toBe(rule.body.toString());
    }
  });

  it('gives the assembler its usual results and messages', () => {
    expect(parseLineUncached('loop: addi r1, r1, -1 # count down').ok).toBe(true);
    const bad = parseLineUncached('  addi r1, , 2');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/^syntax error: expected /);
  });
});
