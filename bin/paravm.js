#!/usr/bin/env node
// The `paravm` command: runs the bundled CLI in dist/ (see bin/build.js for why a bundle). In a
// git checkout, where the sources and esbuild are, it first rebuilds a bundle older than its
// sources; an installed package has neither and only runs dist/, building and writing nothing.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function entry() {
  const bundle = join(root, 'dist', 'paravm.mjs');
  if (!existsSync(join(root, 'bin', 'cli.ts'))) return bundle;
  try {
    return await (await import('./build.js')).ensureBuilt('paravm.mjs');
  } catch (e) {
    // A checkout without dev dependencies: run the bundle it has.
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && existsSync(bundle)) return bundle;
    throw e;
  }
}

const cli = await import(pathToFileURL(await entry()).href);
process.exitCode = await cli.main(process.argv.slice(2));
