/**
 * Assembling on a Node host: what the assembler needs of the host and
 * cannot have in a browser (reading source files, the on-disk image cache,
 * the user's cache directory). isa/, assembler/ and hypervisor/ import no
 * Node module (test/browser-clean.test.ts), so the browser playground runs
 * them as they are; Node callers take assembleFile and assembleSource from
 * here (through the loader's index.ts), which read includes from the disk unless told otherwise.
 */
import * as asm from '../../assembler/index.ts';
import type { AsmOptions, AsmResult } from '../../assembler/index.ts';
import { ImageCache, defaultCacheDir, type ImageCacheOptions } from './cache.ts';
import { readSourceFile } from './files.ts';

export type { ImageCache, ImageCacheOptions } from './cache.ts';
export { defaultCacheDir, toolchainStamp } from './cache.ts';
export { readSourceFile } from './files.ts';

const onDisk = (opts: AsmOptions): AsmOptions => (opts.readFile ? opts : { ...opts, readFile: readSourceFile });

/** assembler's assembleFile, reading the file and its includes from the disk by default. */
export function assembleFile(path: string, opts: AsmOptions = {}): AsmResult {
  return asm.assembleFile(path, onDisk(opts));
}

/** assembler's assembleSource, reading includes from the disk by default. */
export function assembleSource(source: string, filename: string, opts: AsmOptions = {}): AsmResult {
  return asm.assembleSource(source, filename, onDisk(opts));
}

/** A cache of assembled images by content hash, in memory and optionally on disk (cache.ts). */
export function imageCache(opts: ImageCacheOptions = {}): ImageCache<AsmOptions> {
  return new ImageCache<AsmOptions>(assembleSource, opts);
}

/** A cache in memory and in the user's cache directory (defaultCacheDir), shared by every process that boots the same sources. */
export const sharedImageCache = (): ImageCache<AsmOptions> => imageCache({ dir: defaultCacheDir() });
