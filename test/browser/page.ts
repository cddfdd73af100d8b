/**
 * What the browser tests need: the playground built into a temporary
 * directory (esbuild, as `npm run playground:build` does), a small static
 * server for it, and Debian's chromium driven by playwright-core (no browser
 * download: the system one, with the flags it needs on a closed network).
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { OPTIONS } from '../../docs/playground/build.ts';
import { ROOT } from '../../guest-kernel/loader/index.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export interface Site { url: string; dir: string; close(): Promise<void> }

/** The playground built and served from a fresh directory. */
export async function serveSite(): Promise<Site> {
  const dir = mkdtempSync(join(tmpdir(), 'paravm-playground-'));
  const src = join(ROOT, 'docs', 'playground');
  for (const f of ['index.html', 'style.css']) cpSync(join(src, f), join(dir, f));
  await esbuild.build({ ...OPTIONS, outdir: join(dir, 'build'), sourcemap: false });
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split(/[?#]/)[0]!)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`, dir,
    close: () => new Promise<void>((ok) => server.close(() => { rmSync(dir, { recursive: true, force: true }); ok(); })),
  };
}

/** Chromium with a fresh profile (playwright passes it as --user-data-dir). */
export function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
