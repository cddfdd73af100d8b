/**
 * Where a sweep's numbers came from: paravm's version, the git commit when
 * the package root is itself the top of a paravm checkout (never the commit
 * of a user's repository that happens to hold an installed copy; or
 * PARAVM_COMMIT, for container images built without .git), Node's version, the experiment, its full parameters and
 * the plan hash. Recorded in results.json and every partial; the table's
 * header prints the part that cannot differ between machines running the
 * same code (not Node's version), so tables compare byte for byte.
 * Computed once per process: runs and merges in one process agree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
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

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** Git speaks for this package only when the package root is the work tree's top and that tree is paravm's. */
export function isOwnCheckout(root: string, name: string, topLevel: string | undefined): boolean {
  return name === 'paravm' && topLevel !== undefined && real(topLevel) === real(root);
}

/** The version, commit and Node of this process (looked up once). */
export function buildInfo(): Build {
  if (!build) {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    const fromEnv = process.env.PARAVM_COMMIT;
    const own = !fromEnv && isOwnCheckout(ROOT, pkg.name, git('rev-parse', '--show-toplevel'));
    const commit = fromEnv || (own ? git('rev-parse', 'HEAD') : undefined) || null;
    const modified = own && commit !== null && (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '';
    build = { paravm: pkg.version, commit, modified, node: process.version };
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
