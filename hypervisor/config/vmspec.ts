/**
 * The --vm flag: `IMAGE[,key=value...]`, one VM on the command line. The keys
 * are the VM fields that declare a `spec` key in fields.ts (`image=` adds an
 * extra module and may repeat). vcpus and memory default to the --vcpus and
 * --memory flags; the name is left '' for finishConfig. Checks that depend
 * on the machine (pin and cap against pcpus) are validateConfig's.
 */
import { VM_FIELDS, type Field } from './fields.ts';
import { Problems, take } from './read.ts';
import { defaultVm, type VmConfig } from './types.ts';
import { ConfigError, show } from './units.ts';

const TABLE: Readonly<Record<string, Field<unknown>>> = VM_FIELDS;
const SPEC_FIELDS = Object.entries(TABLE).flatMap(([key, f]) => (f.spec === undefined ? [] : [[f.spec, key, f] as const]));
const SPEC_KEYS = SPEC_FIELDS.map(([k]) => k);

export function parseVmSpec(spec: string, defaults: { vcpus: number; memory?: number }): VmConfig {
  const p = new Problems(`--vm ${JSON.stringify(spec)}: `);
  const [first = '', ...fields] = spec.split(',');
  const vm = defaultVm([first.trim()], defaults);
  if (first.trim() === '') p.add('', 'the image path (the first field) is missing');
  const seen = new Set<string>();
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq < 0) {
      p.add('', field.trim() === '' ? 'empty field (a stray comma?)' : `expected key=value, got ${show(field.trim())}`);
      continue;
    }
    const key = field.slice(0, eq).trim();
    const entry = SPEC_FIELDS.find(([k]) => k === key);
    if (!entry) { p.add('', `unknown key ${show(key)} (known: ${SPEC_KEYS.join(', ')})`); continue; }
    if (key !== 'image' && seen.has(key)) { p.add(key, 'given twice'); continue; }
    seen.add(key);
    const value = take(p, key, entry[2].kind.fromText(field.slice(eq + 1).trim()));
    if (value === undefined) continue;
    if (entry[1] === 'modules') vm.images.push(...(value as string[]));
    else (vm as unknown as Record<string, unknown>)[entry[1]] = value;
  }
  if (p.lines.length) throw new ConfigError(p.lines.join('\n'));
  return vm;
}
