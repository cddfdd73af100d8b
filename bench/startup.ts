/**
 * `npx tsx bench/startup.ts [--reps N] [--root DIR]...`: what a single
 * command pays before and around its work, measured side by side in one run.
 *
 * Each repetition runs every command once as a fresh process of the launcher
 * users run (`node bin/paravm.js ...`, which loads the built bundle) of every checkout given with --root (default:
 * this one; another built checkout gives a before/after comparison), the
 * commands and checkouts in a rotating order, and
 * records wall time and CPU time (user + system of the child, from
 * /proc/self/stat). It prints the medians. `boot` reads the guest kernel's
 * image from the user's image cache when it is there; the first repetition
 * fills the cache, so the medians are of warm starts. Linux only (procfs).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../guest-kernel/loader/index.ts';
import { median, timeNode } from './children.ts';

/** A paravm command in the checkout at root, in milliseconds of wall and CPU time. */
function time(root: string, args: string[]): { wall: number; cpu: number } {
  const t = timeNode([join(root, 'bin', 'paravm.js'), ...args], { cwd: root });
  return { wall: t.wall * 1000, cpu: t.cpu * 1000 };
}

/** Every value of a repeated flag. */
const all = (argv: string[], flag: string): string[] => argv.flatMap((a, i) => (a === flag && argv[i + 1] ? [argv[i + 1]!] : []));

function main(argv: string[]): void {
  const reps = Number(argv[argv.indexOf('--reps') + 1] ?? 0) || 11;
  const roots = all(argv, '--root');
  if (roots.length === 0) roots.push(ROOT);
  // The image is made by the newest checkout given (last): older readers accept its format.
  const img = join(mkdtempSync(join(tmpdir(), 'paravm-startup-')), 'hello.img');
  time(roots[roots.length - 1]!, ['asm', 'programs/hello.s', '-o', img]);
  const commands: [string, string[]][] = [
    ['run programs/hello.s', ['run', 'programs/hello.s']],
    ['run hello.img (no assembly)', ['run', img]],
    ['boot programs/kernel/hello.s', ['boot', 'programs/kernel/hello.s']],
  ];
  const variants = roots.flatMap((root) => commands.map(([name, args]) => ({ root, name, args })));
  const samples = variants.map(() => [] as { wall: number; cpu: number }[]);
  for (let i = 0; i < reps; i++) {
    for (let j = 0; j < variants.length; j++) {
      const k = (i + j) % variants.length;
      samples[k]!.push(time(variants[k]!.root, variants[k]!.args));
    }
  }
  console.log(`start-up, medians of ${reps} fresh processes (commands and checkouts rotated), Node ${process.version}`);
  variants.forEach((v, k) => {
    const s = samples[k]!;
    const where = roots.length > 1 ? `${v.root}: ` : '';
    console.log(`${(where + v.name).padEnd(44)} ${median(s.map((x) => x.wall)).toFixed(0).padStart(5)} ms wall / ${median(s.map((x) => x.cpu)).toFixed(0).padStart(5)} ms CPU`);
  });
}

main(process.argv.slice(2));
