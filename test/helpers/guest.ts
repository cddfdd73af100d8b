/**
 * Test helpers: assemble a source string (failing the test with the
 * formatted diagnostics if it does not assemble) and run it bare metal,
 * collecting the console output.
 */
import { assembleFile, assembleSource, formatDiagnostics } from '../../assembler/index.ts';
import type { Image } from '../../isa/image.ts';
import { runBareMetal, type BareMetalOptions, type BareMetalResult } from '../../hypervisor/baremetal.ts';

export function asm(source: string, file = 'test.s'): Image {
  const res = assembleSource(source, file);
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

/** What a program promises: `# expect: LINE`, `# expect-re: REGEX`, `# expect-exit: N` (default 0). */
export interface Expectation { lines: (string | RegExp)[]; exit: number }

export function expectations(src: string): Expectation {
  const lines: (string | RegExp)[] = [];
  let exit = 0;
  for (const l of src.split('\n')) {
    const m = /^#\s*expect(-re|-exit)?:\s?(.*)$/.exec(l);
    if (!m) continue;
    if (m[1] === '-re') lines.push(new RegExp(m[2]!));
    else if (m[1] === '-exit') exit = Number(m[2]);
    else lines.push(m[2]!);
  }
  return { lines, exit };
}

/**
 * Kernel-mode assembly that maps the page-aligned label `user_code` at
 * USER_VA (user read/execute) and each `data` label at its user address
 * (user read/write), through the tables `pt_root` and `pt_leaf` (page-aligned,
 * reserved by the caller; every address in one 4 MiB region), then drops to
 * user mode at USER_VA. The caller defines USER_VA.
 */
export function enterUserMode(data: Readonly<Record<string, string>> = {}): string {
  const maps = Object.entries(data).map(([label, va]) => `
        la      t1, ${label}
        sub     t1, t1, t2
        ori     t1, t1, PTE_V | PTE_R | PTE_W | PTE_U
        sw      t1, ((${va} >> 12) & 1023) * 4(t0)`).join('');
  return String.raw`
        li      t2, KERNEL_BASE
        la      t0, pt_root
        la      t1, pt_leaf
        sub     t1, t1, t2
        ori     t1, t1, PTE_V
        sw      t1, (USER_VA >> 22) * 4(t0)
        la      t0, pt_leaf
        la      t1, user_code
        sub     t1, t1, t2
        ori     t1, t1, PTE_V | PTE_R | PTE_X | PTE_U
        sw      t1, ((USER_VA >> 12) & 1023) * 4(t0)${maps}
        la      t0, pt_root
        sub     t0, t0, t2
        csrw    CSR_PTBR, t0
        li      t0, USER_VA
        csrw    CSR_EPC, t0
        csrr    t0, CSR_STATUS
        andi    t0, t0, 0xffff & ~STATUS_PKERNEL
        csrw    CSR_STATUS, t0
        eret`;
}
