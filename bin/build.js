// Bundles the CLI, the JS API and the benchmark into dist/ with esbuild. One
// bundle per entry point, because V8 optimizes the interpreter loop markedly
// better when the interpreter and its helpers live in one module (measured by
// `npm run bench`: see README). Runs from `npm install` and `npm pack`
// (prepare), which also emit the API's declarations (dist/types, tsc), and in
// a checkout, when a source file is newer than the bundle, from bin/paravm.js.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['isa', 'assembler', 'hypervisor', 'guest-kernel', 'bench', 'bin'];
export const ENTRIES = {
  'paravm.mjs': 'bin/cli.ts', 'api.mjs': 'bin/api.ts', 'bench.mjs': 'bench/main.ts', 'experiment-worker.mjs': 'bench/experiments/worker.ts',
};
// Bundles loaded by another at run time, built with it: the experiments' worker threads load
// experiment-worker.mjs from beside paravm.mjs (bench/experiments/pool.ts).
const COMPANIONS = { 'paravm.mjs': ['experiment-worker.mjs'], 'api.mjs': ['experiment-worker.mjs'] };

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function isStale(out) {
  const target = join(DIST, out);
  if (!existsSync(target)) return true;
  const built = statSync(target).mtimeMs;
  return SOURCE_DIRS.some((d) => newestMtime(join(ROOT, d)) > built);
}

export async function build(out) {
  // Loaded only when a build is needed, so an up-to-date start never loads esbuild.
  const { buildSync } = await import('esbuild');
  mkdirSync(DIST, { recursive: true });
  buildSync({
    entryPoints: [join(ROOT, ENTRIES[out])],
    outfile: join(DIST, out),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
  });
}

export async function ensureBuilt(out) {
  for (const o of [out, ...(COMPANIONS[out] ?? [])]) if (isStale(o)) await build(o);
  return join(DIST, out);
}

/** The API's .d.ts files (dist/types), by tsc from the sources: the types a user imports are the code's own. */
function emitTypes() {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.types.json')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('paravm: tsc could not emit the API\'s declarations');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const out of Object.keys(ENTRIES)) await build(out);
  emitTypes();
}
