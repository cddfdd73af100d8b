/**
 * Generated documentation is fresh (bin/gen-docs.ts, `npm run docs`), and
 * the configuration's JSON Schema says what the field table says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedDocs } from '../../bin/gen-docs.ts';
import { rootPath } from '../../guest-kernel/loader/index.ts';
import { MACHINE_FIELDS, NET_FIELDS, POLICY_NAMES, VM_FIELDS, configSchema, parseConfigJson } from '../../hypervisor/index.ts';

type Obj = { properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };

describe('generated docs', () => {
  it.each(generatedDocs().map(([f, text]) => [f, text]))('%s is up to date (npm run docs)', (file, text) => {
    expect(readFileSync(rootPath(file), 'utf8') === text, `${file} is stale: run npm run docs`).toBe(true);
  });

  it('the schema has every field of every table, and nothing else', () => {
    const s = configSchema() as unknown as Obj;
    const vm = (s.properties.vms as { items: Obj }).items;
    const net = vm.properties.net as Obj;
    expect(Object.keys(s.properties)).toEqual(['$schema', ...Object.keys(MACHINE_FIELDS), 'vms']);
    expect(Object.keys(vm.properties)).toEqual([...Object.keys(VM_FIELDS), 'net']);
    expect(Object.keys(net.properties)).toEqual(Object.keys(NET_FIELDS));
    for (const o of [s, vm, net]) expect(o.additionalProperties).toBe(false);
    expect(s.required).toEqual(['vms']);
    expect(vm.required).toEqual(['image']);
    expect(s.properties.policy).toMatchObject({ enum: [...POLICY_NAMES] });
  });

  it('a configuration that names the schema reads as one that does not', () => {
    const plain = { pcpus: 2, vms: [{ image: '/a.s', weight: 512 }] };
    const named = { $schema: '../docs/config.schema.json', ...plain };
    expect(parseConfigJson(JSON.stringify(named), '/m.json')).toEqual(parseConfigJson(JSON.stringify(plain), '/m.json'));
  });

  it('the shipped example configuration uses only schema keys', () => {
    const s = configSchema() as unknown as Obj;
    const vmKeys = Object.keys(((s.properties.vms as { items: Obj }).items).properties);
    const doc = JSON.parse(readFileSync(rootPath('programs/ipc/machine.json'), 'utf8')) as { vms: Record<string, unknown>[] };
    for (const k of Object.keys(doc)) expect(Object.keys(s.properties)).toContain(k);
    for (const vm of doc.vms) for (const k of Object.keys(vm)) expect(vmKeys).toContain(k);
  });
});
