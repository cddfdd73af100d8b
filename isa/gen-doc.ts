/**
 * Writes docs/isa.md from the isa/ tables: `npx tsx isa/gen-doc.ts`.
 * test/isa/doc.test.ts fails when the committed file differs from this output.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isaReference } from './doc.ts';

const out = fileURLToPath(new URL('../docs/isa.md', import.meta.url));
writeFileSync(out, isaReference());
console.log(`wrote ${out}`);
