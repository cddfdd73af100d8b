/**
 * The machine of `paravm run`: the file's configuration (or the defaults
 * with no VMs), machine fields overridden by their flags, then the
 * command-line VMs (--vm specs, then positional image paths) appended after
 * the file's. --vcpus and --memory are the defaults of command-line VMs;
 * with a config file and no command-line VMs they override every file VM
 * instead. Ends with finishConfig. The flags are the fields of fields.ts
 * that declare one; CONFIG_FLAGS lists them for the CLI's flag table.
 */
import { MACHINE_FIELDS, VM_FIELDS, type Field } from './fields.ts';
import { Problems, take } from './read.ts';
import { defaultMachine, defaultVm, DEFAULTS, type MachineConfig } from './types.ts';
import { finishConfig } from './validate.ts';
import { parseVmSpec } from './vmspec.ts';
import { ConfigError } from './units.ts';

type MachineFlagName = { [K in keyof typeof MACHINE_FIELDS]: (typeof MACHINE_FIELDS)[K] extends { flag: infer F } ? F : never }[keyof typeof MACHINE_FIELDS];

/** The `paravm run` machine flags, as raw strings from node:util parseArgs. */
export type MachineFlags = { [K in MachineFlagName | 'vcpus' | 'memory']?: string | undefined } & {
  vm?: string[] | undefined;
  positional?: string[] | undefined;
};

/** A configuration flag: its name (without dashes), its argument in usage text, and what it does. */
export interface ConfigFlag { readonly name: string; readonly arg: string; readonly doc: string }

/** Every flag that sets a configuration field, in table order: the machine's, then the VM defaults. */
export const CONFIG_FLAGS: readonly ConfigFlag[] = [...Object.values(MACHINE_FIELDS), ...Object.values(VM_FIELDS)]
  .flatMap((f) => ('flag' in f && 'arg' in f ? [{ name: f.flag, arg: f.arg, doc: f.doc }] : []));

function copy(cfg: MachineConfig): MachineConfig {
  return { ...cfg, vms: cfg.vms.map((vm) => ({ ...vm, images: [...vm.images], ...(vm.pin ? { pin: [...vm.pin] } : {}) })) };
}

export function machineFromFlags(flags: MachineFlags, fileConfig?: MachineConfig): MachineConfig {
  const p = new Problems('');
  const cfg = fileConfig ? copy(fileConfig) : defaultMachine();
  const fields: Readonly<Record<string, Field<unknown>>> = MACHINE_FIELDS;
  for (const [key, field] of Object.entries(fields)) {
    const raw = field.flag === undefined ? undefined : flags[field.flag as MachineFlagName];
    if (raw === undefined) continue;
    const v = take(p, `--${field.flag}`, field.kind.fromText(raw));
    if (v !== undefined) (cfg as unknown as Record<string, unknown>)[key] = v;
  }
  const vcpus = flags.vcpus === undefined ? undefined : take(p, '--vcpus', VM_FIELDS.vcpus.kind.fromText(flags.vcpus));
  const memory = flags.memory === undefined ? undefined : take(p, '--memory', VM_FIELDS.memory.kind.fromText(flags.memory));
  const specs = flags.vm ?? [];
  const paths = flags.positional ?? [];
  if (specs.length === 0 && paths.length === 0) {
    for (const vm of cfg.vms) {
      if (vcpus !== undefined) vm.vcpus = vcpus;
      if (memory !== undefined) vm.memory = memory;
    }
  }
  const vmDefaults = { vcpus: vcpus ?? DEFAULTS.vm.vcpus, memory: memory ?? DEFAULTS.vm.memory };
  for (const spec of specs) {
    try {
      cfg.vms.push(parseVmSpec(spec, vmDefaults));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      p.lines.push(...e.message.split('\n'));
    }
  }
  for (const path of paths) {
    if (path === '') p.add('image path', 'must not be empty');
    else cfg.vms.push(defaultVm([path], vmDefaults));
  }
  if (p.lines.length) throw new ConfigError(p.lines.join('\n'));
  return finishConfig(cfg);
}
