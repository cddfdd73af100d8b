/**
 * docs/cluster.md's Slurm and Kubernetes scripts use the command line as it
 * is: every `paravm experiment` command in them parses against the
 * experiment command's flag table, its shard spec and axis values are
 * valid, and the doc has a job array, an Indexed Job and a merge.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../guest-kernel/loader/index.ts';
import { EXPERIMENTS, parseShard, resolveParams } from '../../bench/experiments/index.ts';
import { parseCommand } from '../../bin/args.ts';

const doc = readFileSync(join(ROOT, 'docs', 'cluster.md'), 'utf8');

/** Each `paravm experiment ...` command in the doc's code blocks, shell variables replaced by 1, quotes dropped. */
function commands(): string[][] {
  const blocks = [...doc.matchAll(/```\w*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split('\n')).filter((l) => l.includes('paravm experiment'))
    .map((l) => l.slice(l.indexOf('paravm experiment') + 'paravm experiment'.length).split(/\s[>|]\s|'\s*$|'$/)[0]!)
    .map((l) => l.replace(/\$\(\([^)]*\)\)|\$\{\w+\}|\$\w+/g, '1').replace(/["']/g, '').trim().split(/\s+/));
}

describe('docs/cluster.md', () => {
  it('has a Slurm job array, a Kubernetes Indexed Job and the merge step', () => {
    expect(doc).toMatch(/#SBATCH --array=1-\d+/);
    expect(doc).toMatch(/completionMode: Indexed/);
    const cmds = commands();
    expect(cmds.filter((c) => c.includes('--shard')).length).toBeGreaterThanOrEqual(2);
    expect(cmds.filter((c) => c[0] === 'merge').length).toBeGreaterThanOrEqual(2);
  });

  it('uses only flags and values the command line accepts', () => {
    for (const words of commands()) {
      const { values, positionals } = parseCommand('experiment', words);
      const [name] = positionals;
      if (name === 'merge') {
        expect(positionals.length, words.join(' ')).toBeGreaterThan(1);
        continue;
      }
      const exp = EXPERIMENTS[name as keyof typeof EXPERIMENTS];
      expect(exp, words.join(' ')).toBeDefined();
      if (values.shard !== undefined) parseShard(values.shard);
      const flags = Object.fromEntries(Object.values(exp.axes).flatMap((a) => (a.flag ? [[a.flag, (values as Record<string, string | undefined>)[a.flag]]] : [])));
      resolveParams(exp.axes, exp.presets.full, undefined, '', flags);
    }
  });
});
