/**
 * The command line's flag table: every command has help and exits 0 with
 * it, unknown flags get one line with the nearest known flag, negative and
 * out-of-range numbers reach the range checks, registry names are checked
 * as names (not as Object.prototype keys), and the README's command lines
 * use only flags the table declares.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandName } from '../../bin/flags.ts';
import { commandUsage, synopsis } from '../../bin/usage.ts';
import { ROOT } from '../../guest-kernel/loader/index.ts';

function paravm(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'paravm.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const NAMES = Object.keys(COMMANDS) as CommandName[];

describe('paravm flags', () => {
  it('--version, help and every command\'s --help exit 0 with that command\'s flags', () => {
    const v = paravm('--version');
    expect(v.code).toBe(0);
    expect(v.out).toBe(`paravm ${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    for (const cmd of NAMES) {
      for (const args of [[cmd, '--help'], ['help', cmd]]) {
        const r = paravm(...args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.out).toBe(`${commandUsage(cmd)}\n`);
        for (const flag of Object.keys(COMMANDS[cmd].flags)) expect(r.out).toContain(`--${flag}`);
      }
    }
  });

  it('an unknown flag is one line naming the nearest known one, exit 2', () => {
    const r = paravm('run', '--pcpu', '2', 'programs/hello.s');
    expect(r.code).toBe(2);
    expect(r.err).toBe("paravm: run: unknown option --pcpu (did you mean --pcpus?)\nTry 'paravm help run' for usage.\n");
    expect(paravm('demo', '--bogus').code).toBe(2);
    expect(paravm('demo', 'extra').code).toBe(2);
    expect(paravm('bot').err).toMatch(/unknown command 'bot' \(did you mean boot\?\)/);
  });

  it('negative and huge numbers reach the range checks', () => {
    for (const [flag, v, msg] of [['--memory', '-1', /--memory: expected a size like 1M, 64K or 4096, got "-1"/], ['--time', '-1ms', /--time: expected a duration/],
      ['--limit', '-5', /--limit must be a positive integer, got -5/], ['--limit', '99999999999999999999', /--limit must be at most 9007199254740991/],
      ['--time', '1e15', /--time: expected a duration like 10ms/]] as const) {
      const r = paravm('run', flag, v, 'programs/hello.s');
      expect(r.code, `${flag} ${v}`).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/ambiguous|\n\s+at /);
    }
  });

  it('registry names are names: toString, constructor and __proto__ are refused cleanly', () => {
    for (const args of [['run', '--policy', 'toString'], ['run', '--policy', 'constructor'], ['run', '--preemption', '__proto__'],
      ['boot', '--preemption', 'constructor']]) {
      const r = paravm(...args, args[0] === 'boot' ? 'programs/kernel/hello.s' : 'programs/hello.s');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/unknown (scheduling policy|preemption strategy) "(toString|constructor|__proto__)" \(known: /);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('the README\'s command lines use only declared flags, and its CLI reference is the table\'s', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const lines = readme.split('\n').filter((l) => /^\s*(\$ )?(npx )?paravm \w/.test(l));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const [, cmd = ''] = /paravm (\w+)/.exec(line)!;
      if (!(cmd in COMMANDS)) continue;
      const known = Object.entries(COMMANDS[cmd as CommandName].flags).flatMap(([n, f]) => [`--${n}`, ...('short' in f ? [`-${f.short}`] : [])]);
      for (const flag of line.match(/(?<=\s)--?[a-z][\w-]*/gi) ?? []) expect(known.concat('--help', '-h'), line).toContain(flag);
    }
    for (const cmd of NAMES) expect(readme, `README: paravm ${cmd}`).toContain(synopsis(cmd));
  });
});
