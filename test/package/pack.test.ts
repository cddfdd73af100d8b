/**
 * The package as a user gets it: `npm pack`, installed from the tarball into
 * an empty directory with no network, then the CLI and an `import` of the
 * API run there. Nothing may be built or written inside node_modules.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../guest-kernel/loader/root.ts';

const dir = mkdtempSync(join(tmpdir(), 'paravm-pack-'));
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const pkg = join(dir, 'node_modules', 'paravm');

describe('the packed package', () => {
  beforeAll(() => {
    const packed = npm(['pack', '--pack-destination', dir], ROOT);
    expect(packed.status, packed.stderr).toBe(0);
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    // The run-time dependencies come packed from this checkout's node_modules, so no registry is asked.
    const deps = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: object }).dependencies);
    const depDir = mkdtempSync(join(tmpdir(), 'paravm-deps-'));
    expect(npm(['pack', '--pack-destination', depDir, ...deps.map((d) => join(ROOT, 'node_modules', d))], ROOT).status).toBe(0);
    writeFileSync(join(dir, 'package.json'), '{"name":"user","private":true,"type":"module"}\n');
    const tarballs = [join(dir, tgz), ...readdirSync(depDir).map((f) => join(depDir, f))];
    const inst = npm(['install', '--offline', '--no-audit', '--no-fund', ...tarballs], dir);
    expect(inst.status, inst.stderr).toBe(0);
  }, 120_000);

  it('ships the bundles and types, not the sources', () => {
    expect(readdirSync(join(pkg, 'dist'))).toEqual(expect.arrayContaining(['paravm.mjs', 'api.mjs', 'experiment-worker.mjs', 'types']));
    expect(readdirSync(pkg)).not.toContain('hypervisor');
  });

  it('runs the CLI: a program that includes lib/io.s from anywhere', () => {
    writeFileSync(join(dir, 'hi.s'), '_start: la a0, msg\n call puts\n li a0, 0\n j exit\n .include "io.s"\n .data\nmsg: .asciz "hi from a package\\n"\n');
    const before = readdirSync(join(pkg, 'dist')).join();
    const r = node([join(dir, 'node_modules', '.bin', 'paravm'), 'run', 'hi.s']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.stdout).toBe('hi from a package\n');
    expect(r.status).toBe(0);
    expect(node([join(dir, 'node_modules', '.bin', 'paravm'), '--version']).stdout).toMatch(/^paravm \d+\.\d+\.\d+\n$/);
    expect(readdirSync(join(pkg, 'dist')).join()).toBe(before);
  });

  it('records no commit when installed inside someone else\'s git repository', () => {
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    expect(git('-c', 'user.name=u', '-c', 'user.email=u@example.com', 'commit', '-q', '--allow-empty', '-m', 'user').status).toBe(0);
    const r = node([join(dir, 'node_modules', '.bin', 'paravm'), 'run', 'hi.s', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stderr).provenance).toMatchObject({ paravm: expect.any(String), commit: null, modified: false });
  });

  it('imports the API: assemble, run for a budget, inspect, boot the guest kernel', () => {
    writeFileSync(join(dir, 'use.mjs'), `
      import { assemble, createMachine, bareMetalConfig, bootGuestKernel } from 'paravm';
      const asm = assemble('_start: li a0, 0\\n li t0, 41\\n addi t0, t0, 1\\n j exit\\n .include "io.s"\\n', 'x.s');
      const cfg = { ...bareMetalConfig(), vms: [{ ...bareMetalConfig().vms?.[0], images: ['x.s'] }] };
      const k = bootGuestKernel({ vcpus: 2, pcpus: 2, programs: [new URL('./node_modules/paravm/programs/kernel/hello.s', import.meta.url).pathname] });
      let paused = 0;
      while (k.machine.run(20000) === 'paused') paused++;
      console.log(JSON.stringify({ ok: asm.ok, words: asm.image.segments.length, paused, state: k.vm.state, insns: k.machine.stats().machine ? 1 : 0 }));
    `);
    const r = node(['use.mjs']);
    expect(r.stderr).toBe('');
    const o = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok: boolean; paused: number; state: string };
    expect(o.ok).toBe(true);
    expect(o.paused).toBeGreaterThan(0);
    expect(o.state).toBe('shutdown');
  });
});
