#!/usr/bin/env node
// The `paravm` command. Runs the bundled CLI, rebuilding it first if any
// source changed since the last build (see bin/build.js for why a bundle).
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.js';

const cli = await import(pathToFileURL(await ensureBuilt('paravm.mjs')).href);
process.exitCode = await cli.main(process.argv.slice(2));
