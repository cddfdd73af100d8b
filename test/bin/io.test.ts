/**
 * Where the CLI's outputs go and how a run ends: `-` is stdout for every
 * file flag, --json summaries and --diagnostics-format=json parse, and
 * Ctrl-C (SIGINT) leaves a valid trace, the statistics and a summary, exit 130.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../guest-kernel/loader/root.ts';
import { readImage } from '../../isa/image.ts';

const tmp = mkdtempSync(join(tmpdir(), 'paravm-io-'));
const CLI = join(ROOT, 'bin', 'paravm.js');
const paravm = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('CLI outputs', () => {
  it('- writes the image, listing, symbols, stats and trace to stdout', () => {
    expect(paravm('asm', 'programs/hello.s', '-o', '-').stdout.length).toBeGreaterThan(100);
    expect(paravm('asm', 'programs/hello.s', '-o', join(tmp, 'h.img'), '--listing', '-').stdout).toMatch(/_start:/);
    expect(paravm('asm', 'programs/hello.s', '-o', join(tmp, 'h.img'), '--symbols', '-').stdout).toMatch(/^80000000 T _start$/m);
    const stats = paravm('run', join(tmp, 'h.img'), '--stats', '-');
    const json = stats.stdout.slice(stats.stdout.indexOf('{'));
    expect(JSON.parse(json).provenance).toMatchObject({ command: 'run', paravm: expect.any(String) });
    const trace = paravm('run', join(tmp, 'h.img'), '--trace', '-');
    expect(JSON.parse(trace.stdout.slice(trace.stdout.indexOf('{'))).otherData).toMatchObject({ command: 'run', stopReason: 'done' });
  });

  it('every output file records the version and the parameters that made it', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const head = new RegExp(`^# paravm ${version.replace(/\./g, '\\.')}(, commit [0-9a-f]{12}( \\(modified\\))?)?, Node v\\d+\\.\\d+\\.\\d+: `);
    const [lst, sym, txt, st, tr] = ['h.lst', 'h.sym', 's.txt', 's.json', 't.json'].map((f) => join(tmp, f));
    expect(paravm('asm', 'programs/hello.s', '-D', 'X=3', '-o', join(tmp, 'h.img'), '--listing', lst!, '--symbols', sym!).status).toBe(0);
    for (const f of [lst!, sym!]) {
      const first = readFileSync(f, 'utf8').split('\n')[0]!;
      expect(first).toMatch(head);
      expect(first).toMatch(/: asm \{.*"define":\["X=3"\].*\} programs\/hello\.s$/);
    }
    expect(readFileSync(sym!, 'utf8').split('\n')[1]).toMatch(/^80000000 T _start$/);
    // The image carries the same record as its note, and disasm shows it first.
    const note = readImage(readFileSync(join(tmp, 'h.img'))).note!;
    expect(`# ${note}`).toBe(readFileSync(lst!, 'utf8').split('\n')[0]);
    expect(paravm('disasm', join(tmp, 'h.img')).stdout.split('\n')[0]).toBe(`# ${note}`);
    expect(paravm('run', join(tmp, 'h.img'), '--pcpus', '1', '--stats-text', txt!, '--stats', st!, '--trace', tr!).status).toBe(0);
    expect(readFileSync(txt!, 'utf8')).toMatch(new RegExp(`${head.source}run \\{.*"pcpus":"1"`));
    for (const meta of [JSON.parse(readFileSync(st!, 'utf8')).provenance, JSON.parse(readFileSync(tr!, 'utf8')).otherData]) {
      expect(meta).toMatchObject({ paravm: version, command: 'run', options: { pcpus: '1' }, files: [join(tmp, 'h.img')], config: { pcpus: 1 } });
    }
  });

  it('--json summarises run and boot as one object on stderr', () => {
    const r = paravm('run', 'programs/hello.s', '--json');
    expect(r.stdout).toBe('Hello, paravm!\n');
    expect(JSON.parse(r.stderr)).toMatchObject({ exit: 0, interrupted: false, stopReason: 'done', vms: [{ state: 'shutdown', exitCode: 0 }] });
    const b = paravm('boot', 'programs/kernel/hello.s', '--json');
    expect(JSON.parse(b.stderr)).toMatchObject({ exit: 0, state: 'shutdown', guest: expect.any(Object), provenance: { command: 'boot' } });
  });

  it('--diagnostics-format=json gives the assembler\'s diagnostics as a JSON array', () => {
    const bad = join(tmp, 'bad.s');
    writeFileSync(bad, '_start: frob a0\n');
    const r = paravm('asm', bad, '--diagnostics-format=json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stderr)).toEqual([expect.objectContaining({ line: 1, severity: 'error', message: expect.stringMatching(/frob/) })]);
    expect(paravm('asm', bad, '--diagnostics-format=xml').status).toBe(2);
  });

  it('Ctrl-C ends a run: a valid trace, the statistics and a summary, exit 130', async () => {
    const loop = join(tmp, 'loop.s');
    writeFileSync(loop, '_start:\n1:  addi t0, t0, 1\n    j 1b\n');
    const trace = join(tmp, 'loop.json');
    const stats = join(tmp, 'loop-stats.json');
    const child = spawn(process.execPath, [CLI, 'run', loop, '--trace', trace, '--stats', stats], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(err).toMatch(/paravm: interrupted after \d+ instructions/);
    expect(JSON.parse(readFileSync(trace, 'utf8')).otherData.stopReason).toBe('stopped');
    expect(JSON.parse(readFileSync(stats, 'utf8')).machine.stopReason).toBe('stopped');
  }, 20_000);
});
