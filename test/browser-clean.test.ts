/**
 * isa/, assembler/ and hypervisor/ import nothing of Node, so the browser
 * playground (docs/playground/) bundles them as they are: no node:* or
 * other bare module but the allowed ones, no Buffer, no process, no
 * require. Comments are skipped (they may name what was replaced).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../guest-kernel/loader/index.ts';
import { productFiles } from './helpers/imports.ts';

const CLEAN = ['isa', 'assembler', 'hypervisor'];
/** Packages the core may import: each runs in a browser. */
const ALLOWED = new Set(['ohm-js']);
const SPECIFIER = /^\s*(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
const NODE_ONLY: readonly [RegExp, string][] = [
  [/\bBuffer\b/, 'Buffer (use Uint8Array)'],
  [/\bprocess\s*\./, 'process.*'],
  [/\bNodeJS\./, 'a NodeJS.* type'],
  [/\brequire\s*\(/, 'require()'],
  [/\b__dirname\b|\b__filename\b/, '__dirname/__filename'],
  [/\bsetImmediate\b/, 'setImmediate'],
];

/** The text with comments blanked (line counts kept); strings are left alone. */
const code = (src: string): string => src.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');

/** Every Node dependency in one file's text, as "line: what". */
export function nodeUses(src: string): string[] {
  const text = code(src);
  const out: string[] = [];
  const lineAt = (index: number): number => text.slice(0, index).split('\n').length;
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = (m[1] ?? m[2] ?? m[3])!;
    if (!spec.startsWith('.') && !ALLOWED.has(spec)) out.push(`${lineAt(m.index)}: imports '${spec}'`);
  }
  text.split('\n').forEach((line, i) => {
    for (const [re, what] of NODE_ONLY) if (re.test(line)) out.push(`${i + 1}: uses ${what}`);
  });
  return out;
}

describe('the browser-clean core', () => {
  const files = productFiles().filter((f) => CLEAN.includes(f.split('/')[0]!));

  it('reads the real folders', () => {
    for (const dir of CLEAN) expect(files.filter((f) => f.startsWith(`${dir}/`)).length, dir).toBeGreaterThan(5);
  });

  it('catches each kind of Node dependency', () => {
    const bad = [
      "import { readFileSync } from 'node:fs';", "import { join } from 'path';", "const b = Buffer.from('x');",
      'const e = process.env.HOME;', 'let x: NodeJS.ErrnoException;', "const fs = require('fs');", "await import('node:os');",
    ];
    for (const line of bad) expect(nodeUses(line), line).toHaveLength(1);
    expect(nodeUses("import {\n  a,\n} from 'node:fs';")).toEqual(["1: imports 'node:fs'"]);
    expect(nodeUses("import * as ohm from 'ohm-js';\nconst a = new ArrayBuffer(8); // Buffer.from was here\nconst o = { args: ['from', 'to'] };")).toEqual([]);
  });

  it('has no Node import or Node-only global in isa/, assembler/ or hypervisor/', () => {
    const found = files.flatMap((f) => nodeUses(readFileSync(join(ROOT, f), 'utf8')).map((u) => `${f}:${u}`));
    expect(found).toEqual([]);
  });
});
