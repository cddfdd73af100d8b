/**
 * node/index.ts for the guest-kernel loader in the browser: its image cache
 * assembles from the bundled sources (files.ts) and keeps images in memory
 * for the page's life (there is no disk).
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
