// The worker thread's entry when paravm runs from its TypeScript sources
// (vitest, tsx) rather than the bundle: a worker thread does not inherit
// the parent's TypeScript loader, so it registers tsx's before loading
// worker.ts. pool.ts picks this file or dist/experiment-worker.mjs.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;
