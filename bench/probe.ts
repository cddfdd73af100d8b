// A measurement under tsx (one module per file), for comparing with the bundle: `node --import tsx bench/probe.ts interp sieve`.
import { measure, type Kernel, type Variant } from './measure.ts';

measure((process.argv[2] ?? 'interp') as Variant, (process.argv[3] ?? 'sieve') as Kernel);
