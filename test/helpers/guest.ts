/**
 * Test helpers: assemble a source string (failing the test with the
 * formatted diagnostics if it does not assemble) and run it bare metal,
 * collecting the console output.
 */
import { join } from 'node:path';
import { formatDiagnostics, type AsmOptions } from '../../assembler/index.ts';
import { assembleFile, assembleSource } from '../../guest-kernel/loader/index.ts';
import type { Image } from '../../isa/image.ts';
import { runBareMetal, type BareMetalOptions, type BareMetalResult } from '../../hypervisor/baremetal.ts';
import { ROOT } from '../../guest-kernel/loader/root.ts';

/** Where `.include "lib/..."` finds the shared routines of programs/lib (io.s, user.s). */
export const PROGRAMS = join(ROOT, 'programs');

export function asm(source: string, file = 'test.s', opts: AsmOptions = {}): Image {
  const res = assembleSource(source, file, { ...opts, includeDirs: [...(opts.includeDirs ?? []), PROGRAMS] });
  if (!res.ok) throw new Error(`assembly failed:\n${formatDiagnostics(res.diagnostics)}`);
  return res.image!;
}

export function asmFile(path: string): Image {
  const res = assembleFile(path);
  if (!res.ok) throw new Error(`assembly failed:\n${formatDiagnostics(res.diagnostics)}`);
  return res.image!;
}

export interface GuestRun extends BareMetalResult {
  output: string;
}

export function runImage(img: Image, opts: BareMetalOptions = {}): GuestRun {
  const chunks: Uint8Array[] = [];
  const res = runBareMetal(img, { maxInstructions: 50_000_000, ...opts, onConsole: (b) => chunks.push(b) });
  return { ...res, output: Buffer.concat(chunks).toString('latin1') };
}

export function runSource(source: string, opts: BareMetalOptions = {}): GuestRun {
  return runImage(asm(source), opts);
}

/** Value of a symbol in an image (tests find guest data by symbol, never by offset). */
export function symbol(img: Image, name: string): number {
  const s = img.symbols.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name}`);
  return s.value >>> 0;
}

/**
 * What a program promises: `# expect: LINE`, `# expect-re: REGEX`,
 * `# expect-exit: N` (default 0) and `# expect-word: LABEL[I] = V, V, ...`
 * (the words from LABEL + 4*I on, each V a number or a symbol; unchecked
 * here: resolve the symbols against the image, as test/hypervisor/hypercalls
 * does).
 */
export interface Expectation { lines: (string | RegExp)[]; exit: number; words: WordExpectation[] }
export interface WordExpectation { label: string; index: number; values: string[] }

export function expectations(src: string): Expectation {
  const lines: (string | RegExp)[] = [];
  const words: WordExpectation[] = [];
  let exit = 0;
  for (const l of src.split('\n')) {
    const m = /^#\s*expect(-re|-exit|-word)?:\s?(.*)$/.exec(l);
    if (!m) continue;
    if (m[1] === '-re') lines.push(new RegExp(m[2]!));
    else if (m[1] === '-exit') exit = Number(m[2]);
    else if (m[1] === '-word') words.push(wordExpectation(m[2]!));
    else lines.push(m[2]!);
  }
  return { lines, exit, words };
}

function wordExpectation(text: string): WordExpectation {
  const m = /^\s*(\w+)(?:\[(\d+)\])?\s*=\s*(.+)$/.exec(text);
  if (!m) throw new Error(`bad '# expect-word: ${text}' (want LABEL[I] = V, V, ...)`);
  return { label: m[1]!, index: Number(m[2] ?? 0), values: m[3]!.split(',').map((v) => v.trim()) };
}

/**
 * Kernel-mode assembly that maps the page-aligned label `user_code` at
 * USER_VA (user read/execute) and each `data` label at its user address
 * (user read/write), through the tables `pt_root` and `pt_leaf` (page-aligned,
 * reserved by the caller; every address in one 4 MiB region), then drops to
 * user mode at USER_VA. The caller defines USER_VA. The routines are those of
 * programs/lib/user.s (one copy, shared with programs/trap.s), included here.
 */
export function enterUserMode(data: Readonly<Record<string, string>> = {}): string {
  const maps = Object.entries(data).map(([label, va]) => `
        la      a0, ${label}
        li      a1, ${va}
        call    map_user_data`).join('');
  return String.raw`
        call    map_user_page${maps}
        j       enter_user
        .include "lib/user.s"`;
}
