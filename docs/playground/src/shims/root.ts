/** The package root in the browser: paravm:files names every file from it, so it is the empty path. */
import { joinPath } from '../../../../assembler/index.ts';

export const ROOT = '';
export const rootPath = (...parts: string[]): string => joinPath(...parts);
