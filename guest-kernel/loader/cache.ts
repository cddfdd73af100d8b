/**
 * Assembled images cached by content hash, so a process that boots the same
 * programs many times (an experiment's worker thread, a test file) assembles
 * each once. The key hashes the source text, its name and the options that
 * change the output (defines, include directories); a hit is also checked
 * against the hash of every file the image was built from, so an edited
 * include invalidates it. Optionally the cache lives on disk as well (image
 * files in isa/image.ts's format), shared by processes and runs.
 * Callers: bench/experiments (one cache per worker thread). It lives in the
 * host side (guest-kernel/loader/): hashing, the disk and the home directory are Node's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSourceFile } from './files.ts';
import { ROOT } from './root.ts';
import { formatDiagnostics, type Diagnostic } from '../../assembler/index.ts';
import { readImage, writeImage, type Image } from '../../isa/image.ts';

/**
 * What the cache needs of the assembler's options and result. index.ts hands
 * in assembleSource with the disk reader as its default: the compiler checks
 * that AsmOptions and AsmResult fit these.
 */
export interface KeyedOptions { includeDirs?: string[]; defines?: Record<string, number>; readFile?: (path: string) => string; maxErrors?: number }
export type Assemble<O extends KeyedOptions> = (source: string, filename: string, opts: O) => { ok: boolean; image?: Image; diagnostics: Diagnostic[] };

/** A cached image and the content hash of each file (after the first) it was assembled from. */
interface Entry { image: Image; deps: Record<string, string> }

export interface ImageCacheOptions {
  /** Keep images on disk in this directory too (created when needed). */
  dir?: string;
}

const sha = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

/** The hash of a file's contents, or '' when it cannot be read (so a vanished include misses). */
function fileHash(path: string, read: (p: string) => string): string {
  try {
    return sha(read(path));
  } catch {
    return '';
  }
}

/** The host's reader (regular files, size-limited): what the assembler reads on Node when not told otherwise. */
const defaultRead = readSourceFile;

let stamp: string | undefined;

/**
 * The hash of the code that produces images: the assembler's and the ISA's
 * sources when run from the source tree, or the bundle this module was built
 * into. It is part of every key, so a disk entry written by another version
 * of the assembler is never read back as if this one had produced it.
 */
export function toolchainStamp(): string {
  if (stamp !== undefined) return stamp;
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.ts')) return (stamp = sha(readFileSync(self)));
  const dirs = ['assembler', 'isa'].map((d) => join(ROOT, d));
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => /\.(ts|ohm)$/.test(f)).sort().map((f) => join(d, f)));
  return (stamp = sha(files.map((f) => `${f.slice(ROOT.length)}\0${readFileSync(f, 'utf8')}`).join('\0')));
}

/**
 * Where images are kept across processes: $PARAVM_CACHE_DIR, else the user's
 * cache directory ($XDG_CACHE_HOME or ~/.cache, as the XDG base-directory
 * specification puts it) under paravm/images. PARAVM_CACHE_DIR=off keeps
 * images in memory only. Never under node_modules, which an installed
 * package may not be allowed to write.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env.PARAVM_CACHE_DIR;
  if (own !== undefined) return own === '' || own === 'off' ? undefined : own;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'paravm', 'images');
}

export class ImageCache<O extends KeyedOptions = KeyedOptions> {
  private readonly memory = new Map<string, Entry>();
  /** Lookups answered from memory or disk, and assemblies run. */
  hits = 0;
  misses = 0;

  constructor(private readonly assemble: Assemble<O>, private readonly opts: ImageCacheOptions = {}) {}

  /** The image of the file at `path`; throws with the diagnostics when it does not assemble. */
  file(path: string, asm: O = {} as O): Image {
    const read = asm.readFile ?? defaultRead;
    return this.source(read(path), path, asm);
  }

  /** The image of `source` (named `filename` in diagnostics and the image's file table). */
  source(source: string, filename: string, asm: O = {} as O): Image {
    const key = this.key(source, filename, asm);
    const read = asm.readFile ?? defaultRead;
    const hit = this.memory.get(key) ?? this.fromDisk(key);
    if (hit && Object.entries(hit.deps).every(([p, h]) => fileHash(p, read) === h)) {
      this.hits++;
      this.memory.set(key, hit);
      return hit.image;
    }
    this.misses++;
    // Each include is hashed as the assembler read it, so a file edited during the assembly misses next time.
    const seen = new Map<string, string>();
    const recording = (p: string): string => {
      const text = read(p);
      seen.set(p, sha(text));
      return text;
    };
    const r = this.assemble(source, filename, { ...asm, readFile: recording });
    if (!r.ok) throw new Error(`${filename}:\n${formatDiagnostics(r.diagnostics)}`);
    const entry: Entry = { image: r.image!, deps: Object.fromEntries(r.image!.files.slice(1).map((p) => [p, seen.get(p) ?? fileHash(p, read)])) };
    this.memory.set(key, entry);
    this.toDisk(key, entry);
    return entry.image;
  }

  private key(source: string, filename: string, asm: O): string {
    const defines = Object.entries(asm.defines ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return sha(JSON.stringify([toolchainStamp(), filename, asm.includeDirs ?? [], defines, asm.maxErrors ?? null, source]));
  }

  private fromDisk(key: string): Entry | undefined {
    if (!this.opts.dir) return undefined;
    try {
      const deps = JSON.parse(readFileSync(join(this.opts.dir, `${key}.deps.json`), 'utf8')) as Record<string, string>;
      return { image: readImage(readFileSync(join(this.opts.dir, `${key}.img`))), deps };
    } catch {
      return undefined;
    }
  }

  /**
   * Written as temporary files renamed into place, so a reader never sees
   * half an image. A directory that cannot be written (read-only home, full
   * disk) only costs the next process an assembly: the image is still returned.
   */
  private toDisk(key: string, e: Entry): void {
    const dir = this.opts.dir;
    if (!dir) return;
    const put = (name: string, data: string | Uint8Array): void => {
      const tmp = join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}`);
      writeFileSync(tmp, data);
      renameSync(tmp, join(dir, name));
    };
    try {
      mkdirSync(dir, { recursive: true });
      put(`${key}.img`, writeImage(e.image));
      put(`${key}.deps.json`, JSON.stringify(e.deps));
    } catch {
      // Best effort by design (see above).
    }
  }
}
