/**
 * guest-kernel/loader/assemble.ts in the browser: the loader's image cache
 * assembles from the bundled sources (files.ts) and keeps images in memory
 * for the page's life (there is no disk). What needs the host's files
 * (the loader re-exports it for Node callers) says so when called.
 */
import { assembleSource, formatDiagnostics, type AsmOptions } from '../../../../assembler/index.ts';
import type { Image } from '../../../../isa/image.ts';
import { INCLUDE_DIRS, readBundled } from '../files.ts';

const images = new Map<string, Image>();

export function sharedImageCache(): { file(path: string, opts?: AsmOptions): Image } {
  return {
    file(path: string, opts: AsmOptions = {}): Image {
      const hit = images.get(path);
      if (hit) return hit;
      const r = assembleSource(readBundled(path), path, { includeDirs: INCLUDE_DIRS, readFile: readBundled, ...opts });
      if (!r.ok) throw new Error(`${path}:\n${formatDiagnostics(r.diagnostics)}`);
      images.set(path, r.image!);
      return r.image!;
    },
  };
}

const noDisk = (what: string) => (): never => {
  throw new Error(`${what} reads the host's files: not available in the browser`);
};
export const assembleFile = noDisk('assembleFile');
export const readSourceFile = noDisk('readSourceFile');
export const toolchainStamp = (): string => 'browser';
export const defaultCacheDir = (): undefined => undefined;
export const imageCache = sharedImageCache;
export { assembleSource };
