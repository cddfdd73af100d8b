/**
 * Writes the generated documentation: docs/isa.md from the isa/ tables,
 * docs/config.md and docs/config.schema.json from the configuration's field
 * table, the editor grammar and VS Code extension in docs/editors/ from the
 * ISA and assembler tables (bin/editors.ts). `npm run docs`; tests fail when a committed file differs from this
 * output.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isaReference } from '../isa/doc.ts';
import { configDoc, configSchema } from '../hypervisor/index.ts';
import { rootPath } from '../guest-kernel/loader/index.ts';
import { editorFiles } from './editors.ts';

/** Each generated file and its contents now. */
export function generatedDocs(): [string, string][] {
  return [
    ['docs/isa.md', isaReference()],
    ['docs/config.md', configDoc()],
    ['docs/config.schema.json', `${JSON.stringify(configSchema(), null, 2)}\n`],
    ...editorFiles((JSON.parse(readFileSync(rootPath('package.json'), 'utf8')) as { version: string }).version),
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  for (const [file, text] of generatedDocs()) {
    mkdirSync(dirname(rootPath(file)), { recursive: true });
    writeFileSync(rootPath(file), text);
    console.log(`wrote ${file}`);
  }
}
