/**
 * Node's MIPS on the browser test's loop, in a fresh process (the test
 * runner's own process is not a fair place to time): the same ResumableRun
 * slices the page's worker uses. Prints one number.
 */
import { Hypervisor, ResumableRun, bareMetalConfig } from '../../hypervisor/index.ts';
import { assembleSource } from '../../guest-kernel/loader/index.ts';
import { rootPath } from '../../guest-kernel/loader/index.ts';
import { LOOP } from './loop.ts';

const n = Number(process.argv[2] ?? 20_000_000);
const img = assembleSource(LOOP(n), 'loop.s', { includeDirs: [rootPath('programs')] }).image!;
const hv = new Hypervisor(bareMetalConfig(), [{ images: [img] }]);
const run = new ResumableRun(hv);
while (run.slice(12) === 'paused');
process.stdout.write(`${hv.instructions / run.hostMs / 1000}\n`);
