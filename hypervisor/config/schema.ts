/**
 * The JSON Schema of machine configuration files (docs/config.schema.json),
 * derived from the field tables so editors can check and complete a
 * --config file. The schema checks shapes and single values; the checks
 * across fields are validateConfig's.
 */
import { MACHINE_FIELDS, MAX_VMS, NET_FIELDS, VM_FIELDS } from './fields.ts';
import type { Table } from './read.ts';

function properties(table: Table): Record<string, unknown> {
  return Object.fromEntries(Object.entries(table).map(([k, f]) => [k, { description: f.doc, ...f.kind.schema }]));
}

export function configSchema(): Record<string, unknown> {
  const net = { type: 'object', additionalProperties: false, description: 'The paravirtual network device and its load generator.', properties: properties(NET_FIELDS) };
  const vm = {
    type: 'object', additionalProperties: false, required: ['image'],
    properties: { ...properties(VM_FIELDS), net },
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'paravm machine configuration',
    description: 'A machine for `paravm run --config FILE`: PCPUs, hypervisor settings and VMs (docs/config.md).',
    type: 'object', additionalProperties: false, required: ['vms'],
    properties: { $schema: { type: 'string' }, ...properties(MACHINE_FIELDS), vms: { type: 'array', minItems: 1, maxItems: MAX_VMS, items: vm } },
  };
}
