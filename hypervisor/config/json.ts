/**
 * A machine configuration file (--config; format in docs/config.md): the
 * shape, the types and every single value, each problem reported with its
 * path (`machine.json: vms[1].weight: must be a positive integer, got -3`),
 * all at once. Relative image paths are resolved against the file's
 * directory (as strings: no node:path, so this runs in a browser too). Checks across fields (pin against pcpus, unique names, total
 * memory) are validateConfig's, after flags may have overridden fields.
 */
import { dirnameOf, resolveFrom } from '../../assembler/index.ts';
import { CYCLES_PER_US } from '../../isa/clock.ts';
import { MACHINE_FIELDS, MAX_VMS, NET_FIELDS, VM_FIELDS } from './fields.ts';
import type { NetOptions } from './net.ts';
import { Problems, isObject, readJsonFields, unknownKeys } from './read.ts';
import { defaultMachine, defaultVm, type MachineConfig, type VmConfig } from './types.ts';
import { ConfigError, show } from './units.ts';

const MACHINE_KEYS = [...Object.keys(MACHINE_FIELDS), 'vms'];

export function parseConfigJson(text: string, file: string): MachineConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new ConfigError(`${file}: expected a JSON object, got ${Array.isArray(doc) ? 'an array' : show(doc)}`);
  const p = new Problems(`${file}: `);
  // `$schema` names the JSON Schema for editors (docs/config.schema.json); paravm ignores it.
  unknownKeys(p, Object.fromEntries(Object.entries(doc).filter(([k]) => k !== '$schema')), MACHINE_KEYS, '');
  const cfg = defaultMachine();
  for (const [k, v] of readJsonFields(p, doc, MACHINE_FIELDS, '')) (cfg as unknown as Record<string, unknown>)[k] = v;
  const vms = doc.vms;
  if (!Array.isArray(vms) || vms.length === 0) {
    p.add('vms', `must be a non-empty array of VMs, got ${vms === undefined ? 'nothing' : Array.isArray(vms) ? '[]' : show(vms)}`);
  } else if (vms.length > MAX_VMS) {
    p.add('vms', `at most ${MAX_VMS} VMs, got ${vms.length}`);
  } else {
    vms.forEach((v: unknown, i) => { const vm = readVm(p, v, `vms[${i}]`, dirnameOf(file)); if (vm) cfg.vms.push(vm); });
  }
  if (p.lines.length) throw new ConfigError(p.lines.join('\n'));
  return cfg;
}

function readVm(p: Problems, v: unknown, at: string, dir: string): VmConfig | undefined {
  if (!isObject(v)) { p.add(at, `expected an object, got ${show(v)}`); return undefined; }
  unknownKeys(p, v, [...Object.keys(VM_FIELDS), 'net'], `${at}.`);
  const vm = defaultVm([]);
  if (v.image === undefined) p.add(`${at}.image`, 'missing (every VM needs an image)');
  for (const [k, value] of readJsonFields(p, v, VM_FIELDS, `${at}.`)) {
    if (k === 'image') vm.images.unshift(resolveFrom(dir, value as string));
    else if (k === 'modules') vm.images.push(...(value as string[]).map((m) => resolveFrom(dir, m)));
    else (vm as unknown as Record<string, unknown>)[k] = value;
  }
  if (v.net !== undefined) vm.net = readNet(p, v.net, `${at}.net`);
  return vm;
}

function readNet(p: Problems, n: unknown, at: string): NetOptions | undefined {
  if (!isObject(n)) { p.add(at, `must be an object like {"clients": 16, "think": "100us"}, got ${show(n)}`); return undefined; }
  unknownKeys(p, n, Object.keys(NET_FIELDS), `${at}.`);
  const net: NetOptions = {};
  for (const [k, value] of readJsonFields(p, n, NET_FIELDS, `${at}.`)) {
    if (k === 'think') net.thinkUs = (value as number) / CYCLES_PER_US;
    else net[k as 'clients' | 'files' | 'requests' | 'seed'] = value as number;
  }
  return net;
}
