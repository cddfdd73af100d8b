/**
 * Where a sweep's numbers came from: paravm's version, the git commit when
 * the package is a checkout (or PARAVM_COMMIT, for container images built
 * without .git), Node's version, the experiment, its full parameters and
 * the plan hash. Recorded in results.json and every partial; the table's
 * header prints the part that cannot differ between machines running the
 * same code (not Node's version), so tables compare byte for byte.
 * Computed once per process: runs and merges in one process agree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../guest-kernel/loader/index.ts';
import { formatParams, type Params } from './axes.ts';

export interface Provenance {
  paravm: string;
  /** HEAD's hash, null outside a git checkout. */
  commit: string | null;
  /** Files tracked by git differed from the commit. */
  modified: boolean;
  node: string;
  experiment: string;
  planHash: string;
  params: Params;
}

interface Build { paravm: string; commit: string | null; modified: boolean; node: string }

let build: Build | undefined;

function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The version, commit and Node of this process (looked up once). */
export function buildInfo(): Build {
  if (!build) {
    const paravm = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const fromEnv = process.env.PARAVM_COMMIT;
    const commit = fromEnv || git('rev-parse', 'HEAD') || null;
    const modified = !fromEnv && commit !== null && (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '';
    build = { paravm, commit, modified, node: process.version };
  }
  return build;
}

export function provenance(experiment: string, planHash: string, params: Params): Provenance {
  return { ...buildInfo(), experiment, planHash, params };
}

/** The table's first line: what a reviewer comparing two tables needs, and nothing that varies between identical runs. */
export function provenanceLine(p: Provenance): string {
  const commit = p.commit === null ? 'commit unknown' : `commit ${p.commit.slice(0, 12)}${p.modified ? ' (modified)' : ''}`;
  return `# paravm ${p.paravm}, ${commit}, plan ${p.planHash}: ${p.experiment} ${formatParams(p.params)}`;
}
