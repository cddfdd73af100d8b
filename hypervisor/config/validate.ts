/**
 * Every check of a machine, shared by the JSON and command-line paths and
 * by programs that build a MachineConfig themselves: each field's own check
 * (its kind, from fields.ts) and the checks across fields (quantum against
 * slice, pin and cap against pcpus, unique names, total memory). Throws one
 * ConfigError listing every problem (`where: path: problem`).
 */
import { MACHINE_FIELDS, MAX_TOTAL_MEMORY, MAX_VMS, VM_FIELDS } from './fields.ts';
import { netOptionProblems } from './net.ts';
import { Problems } from './read.ts';
import type { MachineConfig, VmConfig } from './types.ts';
import { ConfigError, formatDuration, formatSize, show } from './units.ts';

/** VM fields checked by their kind; pin is checked against the machine's PCPUs below. */
const VM_CHECKED = ['vcpus', 'weight', 'memory', 'entry', 'cap'] as const;

export function validateConfig(cfg: MachineConfig, where = 'config'): void {
  const p = new Problems(`${where}: `);
  for (const [key, field] of Object.entries(MACHINE_FIELDS)) {
    const v = (cfg as unknown as Record<string, unknown>)[key];
    if ((key === 'time' || key === 'engine' || key === 'sliceJitter' || key === 'slicePhase' || key === 'delayBound' || key === 'safePointWindow') && v === undefined) continue;
    const problem = field.kind.problem(v);
    if (problem) p.add(key, problem);
  }
  if (Number.isSafeInteger(cfg.slice) && Number.isSafeInteger(cfg.sliceJitter) && cfg.sliceJitter! > cfg.slice) {
    p.add('sliceJitter', `must not be longer than the slice (${formatDuration(cfg.slice)}), got ${formatDuration(cfg.sliceJitter!)}`);
  }
  if (Number.isSafeInteger(cfg.slice) && Number.isSafeInteger(cfg.quantum) && cfg.quantum > cfg.slice) {
    p.add('quantum', `must not be longer than the slice (${formatDuration(cfg.slice)}), got ${formatDuration(cfg.quantum)}`);
  }
  const vms: readonly VmConfig[] = Array.isArray(cfg.vms) ? cfg.vms : [];
  if (vms.length === 0) p.add('vms', 'no VMs (give an image path, --vm IMAGE or --config FILE)');
  if (vms.length > MAX_VMS) p.add('vms', `at most ${MAX_VMS} VMs, got ${vms.length}`);
  const names = new Map<string, number>();
  vms.forEach((vm, i) => {
    checkVm(p, vm, `vms[${i}] (${vm.name || `vm${i}`})`, cfg.pcpus);
    const label = vm.name || `vm${i}`;
    const prev = names.get(label);
    if (prev !== undefined) p.add(`vms[${i}] (${label}).name`, `duplicate name ${show(label)} (also vms[${prev}])`);
    else names.set(label, i);
  });
  const total = vms.reduce((n, vm) => n + (VM_FIELDS.memory.kind.problem(vm.memory) ? 0 : vm.memory), 0);
  if (total > MAX_TOTAL_MEMORY) {
    p.add('vms', `total memory ${formatSize(total)} exceeds ${formatSize(MAX_TOTAL_MEMORY)} (one host buffer holds every VM's memory)`);
  }
  if (p.lines.length) throw new ConfigError(p.lines.join('\n'));
}

function checkVm(p: Problems, vm: VmConfig, at: string, pcpus: number): void {
  for (const key of VM_CHECKED) {
    if (vm[key] === undefined && key !== 'vcpus' && key !== 'weight' && key !== 'memory') continue;
    const problem = VM_FIELDS[key].kind.problem(vm[key]);
    if (problem) p.add(`${at}.${key}`, problem);
  }
  const pcpusOk = Number.isSafeInteger(pcpus) && pcpus >= 1;
  if (pcpusOk && typeof vm.cap === 'number' && vm.cap > 100 * pcpus) {
    p.add(`${at}.cap`, `must be at most ${100 * pcpus} (100 per PCPU, ${pcpus} PCPU${pcpus === 1 ? '' : 's'}), got ${vm.cap}`);
  }
  if (Array.isArray(vm.pin)) checkPin(p, vm.pin, vm.vcpus, `${at}.pin`, pcpusOk ? pcpus : undefined);
  else if (vm.pin !== undefined) p.add(`${at}.pin`, `must be an array, got ${show(vm.pin)}`);
  if (!Array.isArray(vm.images) || vm.images.length === 0) p.add(`${at}.images`, 'no image');
  else vm.images.forEach((img, j) => { if (typeof img !== 'string' || img === '') p.add(`${at}.images[${j}]`, `must be a non-empty path, got ${show(img)}`); });
  if (vm.net !== undefined) {
    if (typeof vm.net !== 'object' || vm.net === null) p.add(`${at}.net`, `must be an object, got ${show(vm.net)}`);
    else for (const [k, problem] of netOptionProblems(vm.net)) p.add(`${at}.net.${k}`, problem);
  }
  if (typeof vm.name !== 'string') p.add(`${at}.name`, `must be a string, got ${show(vm.name)}`);
}

function checkPin(p: Problems, pin: (number | null)[], vcpus: number, at: string, pcpus: number | undefined): void {
  if (Number.isSafeInteger(vcpus) && pin.length > vcpus) p.add(at, `${pin.length} entries for ${vcpus} VCPU${vcpus === 1 ? '' : 's'}`);
  pin.forEach((x, j) => {
    if (x === null || (Number.isSafeInteger(x) && x >= 0 && (pcpus === undefined || x < pcpus))) return;
    p.add(`${at}[${j}]`, `no PCPU ${show(x)} (the machine has PCPUs 0..${pcpus === undefined ? '?' : pcpus - 1}; null = any)`);
  });
}

/**
 * A complete configuration: empty VM names become `vm<index>`; then
 * validateConfig. Returns a new configuration (the argument is not modified).
 */
export function finishConfig(cfg: MachineConfig, where = 'config'): MachineConfig {
  const out: MachineConfig = {
    ...cfg,
    vms: (Array.isArray(cfg.vms) ? cfg.vms : []).map((vm, i) => ({ ...vm, name: vm.name || `vm${i}` })),
  };
  validateConfig(out, where);
  return out;
}
