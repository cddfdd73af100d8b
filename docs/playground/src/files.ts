/**
 * paravm's assembly sources in the page (programs/, guest-kernel/), bundled
 * by build.ts: the examples, and what `.include` reads. A reader for
 * AsmOptions.readFile over them, failing like a missing file.
 */
/// <reference path="./files.d.ts" />
import FILES from 'paravm-files';
import { joinPath } from '../../../assembler/index.ts';

export { FILES };

/** Include directories the command line would give a program of programs/: the library and the kernel's headers. */
export const INCLUDE_DIRS = ['programs', 'guest-kernel'];

export function readBundled(path: string): string {
  const text = FILES[joinPath(path)];
  if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  return text;
}
