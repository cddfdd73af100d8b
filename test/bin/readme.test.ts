/**
 * The README's first-program walk-through and JS API examples run as
 * written, so the docs cannot drift from paravm. Code blocks are taken from
 * README.md itself, by the marker comment before each:
 *   <!-- test: file NAME -->  the block is written to NAME;
 *   <!-- test: shell -->      each `$ command` runs (`npx paravm` is this checkout's CLI) and its
 *                             stdout must be the lines after it, up to the next `$`;
 *   <!-- test: js -->         the block runs as an ES module (`'paravm'` is bin/api.ts), and what it
 *                             prints must be its `//=>` comments, in order.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../guest-kernel/loader/root.ts';

interface Block { kind: 'file' | 'shell' | 'js'; arg: string; code: string; line: number }

function readmeBlocks(): Block[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const re = /<!-- test: (file|shell|js)\s*([^ ]*?)\s*-->\n```[a-z]*\n([\s\S]*?)```/g;
  return [...text.matchAll(re)].map((m) => ({
    kind: m[1] as Block['kind'], arg: m[2]!, code: m[3]!, line: text.slice(0, m.index).split('\n').length,
  }));
}

const dir = mkdtempSync(join(tmpdir(), 'paravm-readme-'));
const CLI = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin', 'paravm.js'))}`;
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const env = { ...process.env, NO_COLOR: '1' };

/** `$ command` and the stdout lines that follow it. */
function commands(code: string): { cmd: string; out: string }[] {
  const out: { cmd: string; out: string }[] = [];
  for (const line of code.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('$ ')) out.push({ cmd: line.slice(2), out: '' });
    else out[out.length - 1]!.out += `${line}\n`;
  }
  return out;
}

/** The module with 'paravm' meaning this checkout's API, and the lines it must print. */
function jsModule(code: string): { source: string; expected: string[] } {
  const api = pathToFileURL(join(ROOT, 'bin', 'api.ts')).href;
  const source = code
    .replace(/from 'paravm'/g, `from '${api}'`)
    .replace(/import\.meta\.resolve\('paravm\/package\.json'\)/g, `'${pathToFileURL(join(ROOT, 'package.json')).href}'`);
  const expected = [...code.matchAll(/\/\/=> ?(.*)$/gm)].map((m) => m[1]!);
  return { source, expected };
}

const blocks = readmeBlocks();

describe('README examples', () => {
  it('has the walk-through and an example of every part of the JS API', () => {
    expect(blocks.map((b) => b.kind)).toEqual(['file', 'shell', 'shell', 'js', 'js', 'js', 'js']);
    const js = blocks.filter((b) => b.kind === 'js').map((b) => b.code).join('\n');
    for (const name of ['assemble', 'loadImage', 'disassembleImage', 'createMachine', 'registers', 'readWord', 'stats', 'bootGuestKernel', 'runExperiment']) {
      expect(js).toContain(name);
    }
  });

  it.each(blocks.map((b) => [`${b.kind} ${b.arg} (README.md:${b.line})`, b] as const))('%s', (_name, b) => {
    if (b.kind === 'file') {
      writeFileSync(join(dir, b.arg), b.code);
    } else if (b.kind === 'shell') {
      for (const { cmd, out } of commands(b.code)) {
        const r = spawnSync('sh', ['-c', cmd.replace(/npx paravm/g, CLI)], { cwd: dir, encoding: 'utf8', env });
        expect(r.stdout, cmd).toBe(out);
        expect(r.status, `${cmd}\n${r.stderr}`).toBe(0);
      }
    } else {
      const { source, expected } = jsModule(b.code);
      const file = join(dir, `example-${b.line}.mjs`);
      writeFileSync(file, source);
      const r = spawnSync(TSX, [file], { cwd: dir, encoding: 'utf8', env });
      expect(r.stderr).toBe('');
      expect(r.stdout.replace(/\n$/, '').split('\n')).toEqual(expected);
    }
  }, 120_000);
});
