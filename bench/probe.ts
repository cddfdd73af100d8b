// Child-process entry for the tsx-vs-bundle comparison in bench/main.ts.
import { probe } from './main.ts';

probe();
