/**
 * Writes the generated documentation: docs/isa.md from the isa/ tables,
 * docs/config.md and docs/config.schema.json from the configuration's field
 * table. `npm run docs`; tests fail when a committed file differs from this
 * output.
 */
import { writeFileSync } from 'node:fs';
import { isaReference } from '../isa/doc.ts';
import { configDoc, configSchema } from '../hypervisor/index.ts';
import { rootPath } from '../guest-kernel/loader/index.ts';

/** Each generated file and its contents now. */
export function generatedDocs(): [string, string][] {
  return [
    ['docs/isa.md', isaReference()],
    ['docs/config.md', configDoc()],
    ['docs/config.schema.json', `${JSON.stringify(configSchema(), null, 2)}\n`],
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  for (const [file, text] of generatedDocs()) {
    writeFileSync(rootPath(file), text);
    console.log(`wrote ${file}`);
  }
}
