/**
 * The machine configuration: duration and size syntax, the --vm spec, the
 * JSON file, flags over the file, and the semantic checks, each reporting
 * every problem at once with its path.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  ConfigError, DEFAULTS, finishConfig, formatDuration, machineFromFlags, parseConfigJson, parseDuration,
  parseSize, parseVmSpec, validateConfig, type MachineConfig, type VmConfig,
} from '../../../hypervisor/config/index.ts';

/** The ConfigError message `f` throws (fails if it throws nothing or something else). */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

const MiB = 1024 * 1024;

function machine(vms: Partial<VmConfig>[], over: Partial<MachineConfig> = {}): MachineConfig {
  return {
    pcpus: 2, slice: 1_000_000, quantum: 500, seed: 1, policy: 'stride', preemption: 'none', capPeriod: 3_000_000,
    vms: vms.map((v) => ({ name: '', images: ['a.s'], memory: MiB, vcpus: 1, weight: 256, ...v })),
    ...over,
  };
}

describe('parseDuration', () => {
  it('reads units at 100 MHz', () => {
    expect(parseDuration('10ms', 't')).toBe(1_000_000);
    expect(parseDuration('2.5 ms', 't')).toBe(250_000);
    expect(parseDuration('500us', 't')).toBe(50_000);
    expect(parseDuration('1s', 't')).toBe(100_000_000);
    expect(parseDuration('1000cycles', 't')).toBe(1000);
    expect(parseDuration('1 cycle', 't')).toBe(1);
    expect(parseDuration('30ns', 't')).toBe(3);
    expect(parseDuration(' 5us ', 't')).toBe(500);
    expect(parseDuration('.5us', 't')).toBe(50);
    expect(parseDuration('10MS', 't')).toBe(1_000_000);
  });

  it('rounds to whole cycles and may return 0', () => {
    expect(parseDuration('14ns', 't')).toBe(1);
    expect(parseDuration('16ns', 't')).toBe(2);
    expect(parseDuration('1.234567us', 't')).toBe(123);
    expect(parseDuration('0ms', 't')).toBe(0);
    expect(parseDuration('1ns', 't')).toBe(0);
  });

  it('takes numbers as cycles', () => {
    expect(parseDuration(1234, 't')).toBe(1234);
    expect(parseDuration(0, 't')).toBe(0);
  });

  it('rejects anything else, naming the field', () => {
    const msg = (v: string | number): string => `slice: expected a duration like 10ms, 500us or 1000cycles, got ${JSON.stringify(v)}`;
    for (const v of ['10', '10 m', 'ms', '-5ms', '1e3cycles', '10ms5', '', '5 hours', '1,5ms']) {
      expect(errorOf(() => parseDuration(v, 'slice'))).toBe(msg(v));
    }
    for (const v of [-1, 1.5, NaN, Infinity]) expect(errorOf(() => parseDuration(v, 'slice'))).toBe(msg(v));
    expect(errorOf(() => parseDuration('1e30', 'x'))).toMatch(/^x: expected a duration/);
  });
});

describe('formatDuration', () => {
  it('uses the largest unit with at most two decimals', () => {
    expect(formatDuration(1_000_000)).toBe('10ms');
    expect(formatDuration(500)).toBe('5us');
    expect(formatDuration(1234)).toBe('12.34us');
    expect(formatDuration(250_000)).toBe('2.5ms');
    expect(formatDuration(100_000_000)).toBe('1s');
    expect(formatDuration(150_000_000)).toBe('1.5s');
    expect(formatDuration(1_234_567)).toBe('12.35ms');
    expect(formatDuration(50)).toBe('500ns');
    expect(formatDuration(1)).toBe('10ns');
    expect(formatDuration(0)).toBe('0ns');
    expect(formatDuration(99_999_999)).toBe('1s');
    expect(formatDuration(-500)).toBe('-5us');
  });

  it('round-trips through parseDuration where exact', () => {
    for (const c of [1, 7, 100, 1234, 250_000, 1_000_000, 3_000_000_000]) expect(parseDuration(formatDuration(c), 't')).toBe(c);
  });
});

describe('parseSize', () => {
  it('reads bytes and K/M/G as powers of 1024', () => {
    expect(parseSize('1M', 'm')).toBe(MiB);
    expect(parseSize('1MiB', 'm')).toBe(MiB);
    expect(parseSize('1MB', 'm')).toBe(MiB);
    expect(parseSize('2m', 'm')).toBe(2 * MiB);
    expect(parseSize('64K', 'm')).toBe(64 * 1024);
    expect(parseSize('64 kib', 'm')).toBe(64 * 1024);
    expect(parseSize('4096', 'm')).toBe(4096);
    expect(parseSize('8192B', 'm')).toBe(8192);
    expect(parseSize('1G', 'm')).toBe(1024 * MiB);
    expect(parseSize('1.5M', 'm')).toBe(1.5 * MiB);
    expect(parseSize(8192, 'm')).toBe(8192);
  });

  it('rejects bad syntax, non-page multiples and sizes over 1 GiB', () => {
    expect(errorOf(() => parseSize('lots', 'memory'))).toBe('memory: expected a size like 1M, 64K or 4096, got "lots"');
    expect(errorOf(() => parseSize('1T', 'memory'))).toBe('memory: expected a size like 1M, 64K or 4096, got "1T"');
    expect(errorOf(() => parseSize('-4K', 'memory'))).toBe('memory: expected a size like 1M, 64K or 4096, got "-4K"');
    expect(errorOf(() => parseSize('1000', 'memory'))).toBe('memory: must be a positive multiple of the page size (4096 bytes), got "1000"');
    expect(errorOf(() => parseSize(0, 'memory'))).toBe('memory: must be a positive multiple of the page size (4096 bytes), got 0');
    expect(errorOf(() => parseSize('0K', 'memory'))).toBe('memory: must be a positive multiple of the page size (4096 bytes), got "0K"');
    expect(errorOf(() => parseSize(4096.5, 'memory'))).toMatch(/positive multiple of the page size/);
    expect(errorOf(() => parseSize('2G', 'memory'))).toBe('memory: must be at most 1 GiB (the largest VM memory), got "2G"');
  });
});

describe('parseVmSpec', () => {
  it('takes the image alone with defaults', () => {
    expect(parseVmSpec('a.s', { vcpus: 3 })).toEqual({ name: '', images: ['a.s'], memory: DEFAULTS.vm.memory, vcpus: 3, weight: 256 });
    const vm = parseVmSpec('a.s', { vcpus: 1, memory: 2 * MiB });
    expect(vm.memory).toBe(2 * MiB);
    expect(Object.keys(vm).sort()).toEqual(['images', 'memory', 'name', 'vcpus', 'weight']);
  });

  it('reads every key', () => {
    const vm = parseVmSpec('prog/a.s,vcpus=4,weight=512,cap=50,memory=2M,name=web,entry=0x80000100,pin=0:-:1:*,image=m1.img,image=m2.img', { vcpus: 1 });
    expect(vm).toEqual({
      name: 'web', images: ['prog/a.s', 'm1.img', 'm2.img'], memory: 2 * MiB, vcpus: 4, weight: 512, cap: 50,
      entry: 0x80000100, pin: [0, null, 1, null],
    });
  });

  it('reads entries as addresses or symbols, and caps with decimals or %', () => {
    expect(parseVmSpec('a.s,entry=_start', { vcpus: 1 }).entry).toBe('_start');
    expect(parseVmSpec('a.s,entry=.local', { vcpus: 1 }).entry).toBe('.local');
    expect(parseVmSpec('a.s,entry=2147483904', { vcpus: 1 }).entry).toBe(0x80000100);
    expect(parseVmSpec('a.s,entry=0XFF', { vcpus: 1 }).entry).toBe(255);
    expect(parseVmSpec('a.s,cap=12.5', { vcpus: 1 }).cap).toBe(12.5);
    expect(parseVmSpec('a.s,cap=150%', { vcpus: 1 }).cap).toBe(150);
    expect(parseVmSpec('a.s, weight = 7 ', { vcpus: 1 }).weight).toBe(7);
  });

  it('reports every kind of error, naming the spec and the key', () => {
    const d = { vcpus: 1 };
    expect(errorOf(() => parseVmSpec('', d))).toBe('--vm "": the image path (the first field) is missing');
    expect(errorOf(() => parseVmSpec(',weight=2', d))).toBe('--vm ",weight=2": the image path (the first field) is missing');
    expect(errorOf(() => parseVmSpec('a.s,colour=red', d))).toBe(
      '--vm "a.s,colour=red": unknown key "colour" (known: name, image, memory, vcpus, entry, weight, cap, pin)');
    expect(errorOf(() => parseVmSpec('a.s,weight=1,weight=2', d))).toBe('--vm "a.s,weight=1,weight=2": weight: given twice');
    expect(errorOf(() => parseVmSpec('a.s,weight', d))).toBe('--vm "a.s,weight": expected key=value, got "weight"');
    expect(errorOf(() => parseVmSpec('a.s,,weight=2', d))).toBe('--vm "a.s,,weight=2": empty field (a stray comma?)');
    expect(errorOf(() => parseVmSpec('a.s,weight=-3', d))).toBe('--vm "a.s,weight=-3": weight: must be a positive integer, got -3');
    expect(errorOf(() => parseVmSpec('a.s,weight=0', d))).toBe('--vm "a.s,weight=0": weight: must be a positive integer, got 0');
    expect(errorOf(() => parseVmSpec('a.s,weight=70000', d))).toBe('--vm "a.s,weight=70000": weight: must be at most 65535, got 70000');
    expect(errorOf(() => parseVmSpec('a.s,vcpus=33', d))).toBe('--vm "a.s,vcpus=33": vcpus: must be at most 32, got 33');
    expect(errorOf(() => parseVmSpec('a.s,vcpus=two', d))).toBe('--vm "a.s,vcpus=two": vcpus: must be a positive integer, got "two"');
    expect(errorOf(() => parseVmSpec('a.s,cap=0', d))).toBe(
      '--vm "a.s,cap=0": cap: must be a percentage greater than 0 (100 = one whole PCPU), got 0');
    expect(errorOf(() => parseVmSpec('a.s,memory=3000', d))).toBe(
      '--vm "a.s,memory=3000": memory: must be a positive multiple of the page size (4096 bytes), got "3000"');
    expect(errorOf(() => parseVmSpec('a.s,name=', d))).toBe('--vm "a.s,name=": name: must not be empty');
    expect(errorOf(() => parseVmSpec('a.s,entry=1abc', d))).toBe(
      '--vm "a.s,entry=1abc": entry: expected an address (0x80000000) or a symbol name, got "1abc"');
    expect(errorOf(() => parseVmSpec('a.s,entry=0x100000000', d))).toBe(
      '--vm "a.s,entry=0x100000000": entry: address must be at most 0xffffffff, got "0x100000000"');
    expect(errorOf(() => parseVmSpec('a.s,pin=0:x', d))).toBe(
      '--vm "a.s,pin=0:x": pin: expected PCPU indexes separated by \':\' (- or * for unpinned), got "0:x"');
    expect(errorOf(() => parseVmSpec('a.s,pin=', d))).toMatch(/: pin: expected PCPU indexes/);
    expect(errorOf(() => parseVmSpec('a.s,image=', d))).toBe('--vm "a.s,image=": image: must not be empty');
  });

  it('reports all errors of one spec together', () => {
    const msg = errorOf(() => parseVmSpec('a.s,weight=x,cap=-1,size=3', { vcpus: 1 }));
    expect(msg.split('\n')).toEqual([
      '--vm "a.s,weight=x,cap=-1,size=3": weight: must be a positive integer, got "x"',
      '--vm "a.s,weight=x,cap=-1,size=3": cap: must be a percentage greater than 0 (100 = one whole PCPU), got "-1"',
      '--vm "a.s,weight=x,cap=-1,size=3": unknown key "size" (known: name, image, memory, vcpus, entry, weight, cap, pin)',
    ]);
  });
});

describe('parseConfigJson', () => {
  const FULL = {
    pcpus: 2, slice: '10ms', quantum: '5us', seed: 7, time: '200ms', policy: 'stride', preemption: 'none', capPeriod: '30ms',
    vms: [
      { name: 'server', image: 'ipc-server.s', modules: ['lib/a.img', '/abs/b.img'], memory: '2M', vcpus: 2,
        entry: '_start', weight: 256, cap: 50, pin: [0, null] },
      { image: 'client.s', weight: 512, entry: '0x80000010', memory: 65536 },
    ],
  };

  it('reads a full example, resolving images against the file directory', () => {
    const file = join('programs', 'machine.json');
    const cfg = parseConfigJson(JSON.stringify(FULL), file);
    expect(cfg).toEqual({
      pcpus: 2, slice: 1_000_000, quantum: 500, seed: 7, time: 20_000_000, policy: 'stride', preemption: 'none', capPeriod: 3_000_000,
      vms: [
        { name: 'server', images: [join('programs', 'ipc-server.s'), join('programs', 'lib', 'a.img'), '/abs/b.img'],
          memory: 2 * MiB, vcpus: 2, entry: '_start', weight: 256, cap: 50, pin: [0, null] },
        { name: '', images: [join('programs', 'client.s')], memory: 65536, vcpus: 1, weight: 512, entry: 0x80000010 },
      ],
    });
  });

  it('fills defaults; time absent stays undefined; numbers are cycles', () => {
    const cfg = parseConfigJson('{"vms":[{"image":"/x/a.s"}],"slice":12345}', '/etc/m.json');
    expect(cfg).toEqual({
      pcpus: 1, slice: 12345, quantum: DEFAULTS.quantum, seed: 1, policy: 'stride', preemption: 'none', capPeriod: DEFAULTS.capPeriod,
      vms: [{ name: '', images: ['/x/a.s'], memory: DEFAULTS.vm.memory, vcpus: 1, weight: 256 }],
    });
    expect(cfg.time).toBeUndefined();
    expect('time' in cfg).toBe(false);
  });

  it('reports invalid JSON and a non-object', () => {
    expect(errorOf(() => parseConfigJson('{"vms": [', 'm.json'))).toMatch(/^m\.json: invalid JSON: .+/);
    expect(errorOf(() => parseConfigJson('[1]', 'm.json'))).toBe('m.json: expected a JSON object, got an array');
    expect(errorOf(() => parseConfigJson('3', 'm.json'))).toBe('m.json: expected a JSON object, got 3');
  });

  it('reports unknown keys at both levels', () => {
    const msg = errorOf(() => parseConfigJson('{"pcpu":2,"vms":[{"image":"a.s","wieght":3}]}', 'm.json'));
    expect(msg.split('\n')).toEqual([
      'm.json: "pcpu": unknown key (known: pcpus, slice, sliceJitter, slicePhase, delayBound, safePointWindow, quantum, seed, time, policy, preemption, engine, capPeriod, vms)',
      'm.json: vms[0]."wieght": unknown key (known: name, image, modules, memory, vcpus, entry, weight, cap, pin, net)',
    ]);
  });

  it('requires a non-empty vms array and an image per VM', () => {
    expect(errorOf(() => parseConfigJson('{}', 'm.json'))).toBe('m.json: vms: must be a non-empty array of VMs, got nothing');
    expect(errorOf(() => parseConfigJson('{"vms":[]}', 'm.json'))).toBe('m.json: vms: must be a non-empty array of VMs, got []');
    expect(errorOf(() => parseConfigJson('{"vms":{}}', 'm.json'))).toBe('m.json: vms: must be a non-empty array of VMs, got {}');
    expect(errorOf(() => parseConfigJson('{"vms":[{"name":"x"}, 5]}', 'm.json')).split('\n')).toEqual([
      'm.json: vms[0].image: missing (every VM needs an image)',
      'm.json: vms[1]: expected an object, got 5',
    ]);
  });

  it('reports every problem at once, each with its path', () => {
    const bad = {
      pcpus: 0, slice: 'soon', quantum: '0us', seed: -1, time: true, policy: '', capPeriod: '30ms',
      vms: [
        { image: 'a.s' },
        { image: 42, modules: 'b.img', memory: '1000', vcpus: 40, weight: -3, entry: '9lives', cap: 0, pin: [0, -1, 'x'], name: '' },
      ],
    };
    const lines = errorOf(() => parseConfigJson(JSON.stringify(bad), 'machine.json')).split('\n');
    expect(lines).toEqual([
      'machine.json: pcpus: must be a positive integer, got 0',
      'machine.json: slice: expected a duration like 10ms, 500us or 1000cycles, got "soon"',
      'machine.json: quantum: must be at least 1 cycle, got "0us"',
      'machine.json: seed: must be a non-negative integer, got -1',
      'machine.json: time: expected a duration like 10ms, 500us or 1000cycles, got true',
      'machine.json: policy: must be one of stride, gang, relaxed-cosched, got ""',
      'machine.json: vms[1].name: must be a non-empty string, got ""',
      'machine.json: vms[1].image: must be a non-empty path, got 42',
      'machine.json: vms[1].modules: must be an array of image paths, got "b.img"',
      'machine.json: vms[1].memory: must be a positive multiple of the page size (4096 bytes), got "1000"',
      'machine.json: vms[1].vcpus: must be at most 32, got 40',
      'machine.json: vms[1].entry: expected an address (0x80000000) or a symbol name, got "9lives"',
      'machine.json: vms[1].weight: must be a positive integer, got -3',
      'machine.json: vms[1].cap: must be a percentage greater than 0 (100 = one whole PCPU), got 0',
      // The first bad entry of an array is reported.
      'machine.json: vms[1].pin[1]: must be a non-negative integer, got -1 (a PCPU index, or null for any)',
    ]);
  });
});

describe('validateConfig and finishConfig', () => {
  it('accepts a good machine and fills default names without modifying the argument', () => {
    const cfg = machine([{}, { name: 'b', pin: [1] }, {}]);
    expect(() => validateConfig(cfg)).not.toThrow();
    const done = finishConfig(cfg);
    expect(done.vms.map((v) => v.name)).toEqual(['vm0', 'b', 'vm2']);
    expect(cfg.vms.map((v) => v.name)).toEqual(['', 'b', '']);
  });

  it('checks pins against pcpus and vcpus', () => {
    const lines = errorOf(() => validateConfig(machine([{ name: 's', vcpus: 2, pin: [null, 2, 0] }]), 'm.json')).split('\n');
    expect(lines).toEqual([
      'm.json: vms[0] (s).pin: 3 entries for 2 VCPUs',
      'm.json: vms[0] (s).pin[1]: no PCPU 2 (the machine has PCPUs 0..1; null = any)',
    ]);
  });

  it('checks caps against the PCPUs', () => {
    expect(() => validateConfig(machine([{ cap: 200 }]))).not.toThrow();
    expect(errorOf(() => validateConfig(machine([{ cap: 250 }])))).toBe(
      'config: vms[0] (vm0).cap: must be at most 200 (100 per PCPU, 2 PCPUs), got 250');
    expect(errorOf(() => validateConfig(machine([{ cap: 101 }], { pcpus: 1 })))).toBe(
      'config: vms[0] (vm0).cap: must be at most 100 (100 per PCPU, 1 PCPU), got 101');
    expect(errorOf(() => validateConfig(machine([{ cap: -5 }])))).toBe('config: vms[0] (vm0).cap: must be a percentage greater than 0 (100 = one whole PCPU), got -5');
  });

  it('reports duplicate names, including defaulted ones', () => {
    expect(errorOf(() => finishConfig(machine([{ name: 'a' }, { name: 'a' }])))).toBe(
      'config: vms[1] (a).name: duplicate name "a" (also vms[0])');
    expect(errorOf(() => finishConfig(machine([{ name: 'vm1' }, {}])))).toBe(
      'config: vms[1] (vm1).name: duplicate name "vm1" (also vms[0])');
  });

  it('limits the total memory to 1.5 GiB', () => {
    expect(() => validateConfig(machine([{ memory: 1024 * MiB }, { memory: 512 * MiB }]))).not.toThrow();
    expect(errorOf(() => validateConfig(machine([{ memory: 1024 * MiB }, { memory: 512 * MiB }, { memory: 4096 }])))).toBe(
      'config: vms: total memory 1536.004 MiB exceeds 1.5 GiB (one host buffer holds every VM\'s memory)');
    expect(errorOf(() => validateConfig(machine([{ memory: 1024 * MiB }, { memory: 1024 * MiB }])))).toMatch(
      /^config: vms: total memory 2 GiB exceeds 1\.5 GiB/);
  });

  it('checks the machine fields and every VM field, all at once', () => {
    const cfg = machine([{ vcpus: 0, weight: 65536, memory: 100, images: [], entry: -1 }], {
      pcpus: 1025, slice: 0, quantum: 1.5, seed: 2 ** 32, time: 0, capPeriod: 0, policy: '' as 'stride',
    });
    expect(errorOf(() => validateConfig(cfg)).split('\n')).toEqual([
      'config: pcpus: must be at most 1024, got 1025',
      'config: slice: must be a positive integer, got 0',
      'config: quantum: must be a positive integer, got 1.5',
      'config: seed: must be at most 4294967295, got 4294967296',
      'config: time: must be a positive integer, got 0',
      'config: policy: must be one of stride, gang, relaxed-cosched, got ""',
      'config: capPeriod: must be a positive integer, got 0',
      'config: vms[0] (vm0).vcpus: must be a positive integer, got 0',
      'config: vms[0] (vm0).weight: must be at most 65535, got 65536',
      'config: vms[0] (vm0).memory: must be a positive multiple of the page size (4096 bytes), got 100',
      'config: vms[0] (vm0).entry: must be an address in 0..0xffffffff, got -1',
      'config: vms[0] (vm0).images: no image',
    ]);
  });

  it('requires quantum ≤ slice and at least one VM, at most 4096', () => {
    expect(errorOf(() => validateConfig(machine([{}], { slice: 1000, quantum: 2000 })))).toBe(
      'config: quantum: must not be longer than the slice (10us), got 20us');
    expect(errorOf(() => validateConfig(machine([])))).toBe('config: vms: no VMs (give an image path, --vm IMAGE or --config FILE)');
    const many = machine(Array.from({ length: 4097 }, (_, i) => ({ name: `v${i}`, memory: 4096 })));
    expect(errorOf(() => validateConfig(many))).toBe('config: vms: at most 4096 VMs, got 4097');
  });
});

describe('machineFromFlags', () => {
  const FILE = parseConfigJson(JSON.stringify({
    pcpus: 4, slice: '20ms', seed: 3, vms: [{ name: 'a', image: 'a.s', vcpus: 2, pin: [3, 3] }, { image: 'b.s', memory: '2M' }],
  }), '/cfg/m.json');

  it('defaults to one PCPU and builds VMs from --vm and positional paths', () => {
    const cfg = machineFromFlags({ vm: ['x.s,weight=512,name=x'], positional: ['y.s'], vcpus: '2', memory: '64K' });
    expect(cfg).toEqual({
      pcpus: 1, slice: DEFAULTS.slice, quantum: DEFAULTS.quantum, seed: 1, policy: 'stride', preemption: 'none', capPeriod: DEFAULTS.capPeriod,
      vms: [
        { name: 'x', images: ['x.s'], memory: 65536, vcpus: 2, weight: 512 },
        { name: 'vm1', images: ['y.s'], memory: 65536, vcpus: 2, weight: 256 },
      ],
    });
  });

  it('reads every machine flag', () => {
    const cfg = machineFromFlags({
      pcpus: '3', seed: '0', time: '100ms', slice: '5ms', quantum: '2us', policy: 'stride', preemption: 'ple', positional: ['p.s'],
    });
    expect(cfg).toMatchObject({ pcpus: 3, seed: 0, time: 10_000_000, slice: 500_000, quantum: 200, policy: 'stride', preemption: 'ple' });
  });

  it('lets flags override the file and appends command-line VMs after its VMs', () => {
    const cfg = machineFromFlags({ pcpus: '8', time: '1s', vcpus: '3', vm: ['c.s,pin=7'] }, FILE);
    expect(cfg.pcpus).toBe(8);
    expect(cfg.slice).toBe(2_000_000);
    expect(cfg.seed).toBe(3);
    expect(cfg.time).toBe(100_000_000);
    expect(cfg.vms.map((v) => [v.name, v.images, v.vcpus, v.memory])).toEqual([
      ['a', ['/cfg/a.s'], 2, MiB],
      ['vm1', ['/cfg/b.s'], 1, 2 * MiB],
      ['vm2', ['c.s'], 3, MiB],
    ]);
    expect(cfg.vms[2]!.pin).toEqual([7]);
    expect(FILE.pcpus).toBe(4);
    expect(FILE.vms[1]!.name).toBe('');
  });

  it('--vcpus and --memory override every file VM when no VM is on the command line', () => {
    const cfg = machineFromFlags({ vcpus: '4', memory: '4M' }, FILE);
    expect(cfg.vms.map((v) => [v.name, v.vcpus, v.memory])).toEqual([['a', 4, 4 * MiB], ['vm1', 4, 4 * MiB]]);
    expect(FILE.vms[0]!.vcpus).toBe(2);
  });

  it('validates the merged machine', () => {
    expect(errorOf(() => machineFromFlags({ pcpus: '2' }, FILE))).toBe(
      'config: vms[0] (a).pin[0]: no PCPU 3 (the machine has PCPUs 0..1; null = any)\n'
      + 'config: vms[0] (a).pin[1]: no PCPU 3 (the machine has PCPUs 0..1; null = any)');
    expect(errorOf(() => machineFromFlags({}))).toBe('config: vms: no VMs (give an image path, --vm IMAGE or --config FILE)');
  });

  it('reports every bad flag, naming it', () => {
    const lines = errorOf(() => machineFromFlags({
      pcpus: 'x', vcpus: '0', seed: '-1', time: '10', slice: '0ms', quantum: 'fast', memory: '1000', policy: '', vm: ['a.s,weight=0'],
    })).split('\n');
    expect(lines).toEqual([
      '--pcpus: must be a positive integer, got "x"',
      '--slice: must be at least 1 cycle, got "0ms"',
      '--quantum: expected a duration like 10ms, 500us or 1000cycles, got "fast"',
      '--seed: must be a non-negative integer, got -1',
      '--time: expected a duration like 10ms, 500us or 1000cycles, got "10"',
      '--policy: must be one of stride, gang, relaxed-cosched, got ""',
      '--vcpus: must be a positive integer, got 0',
      '--memory: must be a positive multiple of the page size (4096 bytes), got "1000"',
      '--vm "a.s,weight=0": weight: must be a positive integer, got 0',
    ]);
  });
});
