#!/usr/bin/env node
// `npm run bench`: runs the bundled benchmark (rebuilt when sources changed).
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.js';

const bench = await import(pathToFileURL(await ensureBuilt('bench.mjs')).href);
await bench.main(process.argv.slice(2));
