/**
 * Builds the browser playground: `npm run playground:build` writes the
 * static site (index.html, style.css and the bundles under build/) into
 * docs/playground/, as GitHub Pages serves docs/; `npm run playground` serves
 * it with esbuild's serve mode, rebuilding on each reload.
 *
 * The core (isa/, assembler/, hypervisor/) bundles as it is. The guest
 * kernel's loader is Node-side code, so three of its imports are swapped for
 * browser ones (shims/): its package root, node:path's basename, and the
 * disk image cache. paravm's own sources (programs/, guest-kernel/) are
 * bundled as a virtual module, paravm-files, so examples and includes work.
 */
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SHIMS = join(HERE, 'src', 'shims');

/** Every assembly source under programs/ and guest-kernel/, by path from the package root. */
function sourceFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(s|inc)$/.test(name)) out[relative(ROOT, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(join(ROOT, 'programs'));
  for (const name of readdirSync(join(ROOT, 'guest-kernel')).sort()) {
    if (/\.(s|inc)$/.test(name)) out[`guest-kernel/${name}`] = readFileSync(join(ROOT, 'guest-kernel', name), 'utf8');
  }
  return out;
}

const browserHost: esbuild.Plugin = {
  name: 'paravm-browser',
  setup(b) {
    b.onResolve({ filter: /^paravm-files$/ }, () => ({ path: 'files', namespace: 'paravm' }));
    b.onLoad({ filter: /.*/, namespace: 'paravm' }, () => ({ contents: `export default ${JSON.stringify(sourceFiles())};`, loader: 'js' }));
    b.onResolve({ filter: /^node:path$/ }, () => ({ path: join(SHIMS, 'path.ts') }));
    b.onResolve({ filter: /^\.\/assemble\.ts$/ }, (a) => (a.resolveDir.endsWith(join('guest-kernel', 'loader')) ? { path: join(SHIMS, 'node-host.ts') } : undefined));
    b.onResolve({ filter: /^\.\/root\.ts$/ }, (a) => (a.resolveDir.endsWith(join('guest-kernel', 'loader')) ? { path: join(SHIMS, 'root.ts') } : undefined));
  },
};

export const OPTIONS: esbuild.BuildOptions = {
  entryPoints: { app: join(HERE, 'src', 'main.ts'), worker: join(HERE, 'src', 'worker.ts') },
  outdir: join(HERE, 'build'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
  plugins: [browserHost],
};

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) {
    const ctx = await esbuild.context(OPTIONS);
    const port = Number(process.env.PORT ?? 8765);
    const { hosts } = await ctx.serve({ servedir: HERE, port });
    process.stdout.write(`paravm playground: http://${hosts[0] ?? 'localhost'}:${port}/ (Ctrl-C stops)\n`);
    return;
  }
  await esbuild.build(OPTIONS);
  process.stdout.write(`paravm playground: wrote ${relative(process.cwd(), join(HERE, 'build'))}/ (open docs/playground/index.html through any static server)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => { process.stderr.write(`playground: ${e instanceof Error ? e.message : String(e)}\n`); process.exit(1); });
}
