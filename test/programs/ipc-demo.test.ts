/**
 * programs/ipc: the key-value server VM and its client VM, built from the
 * demo's own machine.json, exactly as `paravm run --config` does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishConfig, parseConfigJson } from '../../hypervisor/config/index.ts';
import { Hypervisor } from '../../hypervisor/machine.ts';
import { asmFile } from '../helpers/guest.ts';
import { ROOT } from '../../guest-kernel/loader/root.ts';

const CONFIG = join(ROOT, 'programs', 'ipc', 'machine.json');

function runDemo(): Hypervisor {
  const cfg = finishConfig(parseConfigJson(readFileSync(CONFIG, 'utf8'), CONFIG));
  const hv = new Hypervisor(cfg, cfg.vms.map((vm) => ({ images: vm.images.map(asmFile) })));
  hv.run();
  return hv;
}

describe('programs/ipc: a key-value service in one VM, used by another', () => {
  const hv = runDemo();
  const [kv, client] = hv.vms;

  it('both VMs shut down cleanly', () => {
    expect(hv.stopReason).toBe('done');
    expect([kv!.state, kv!.exitCode, client!.state, client!.exitCode]).toEqual(['shutdown', 0, 'shutdown', 0]);
  });

  it('requests and replies travel by IPC_CALL / IPC_RECV / IPC_SEND', () => {
    expect(client!.console.text()).toContain('client: get 7 -> 49\nclient: get 9 -> 81\n');
    expect(kv!.console.text()).toBe('kv server: waiting for requests\nkv server: served 16 requests, shutting down\n');
  });

  it('the server edits the page the client granted, in the client\'s memory', () => {
    expect(client!.console.text()).toContain(
      'the server upper-cased our shared page: HELLO FROM THE CLIENT VM, IN A PAGE GRANTED TO THE SERVER\n');
  });

  it('after revocation the server faults on its side (ST_REVOKED = 3) and both VMs go on', () => {
    expect(client!.console.text()).toContain('after revoking the grant, the server answered status 3\nclient: done\n');
    expect(client!.grants.size).toBe(0); // revoked
    expect(client!.nextGrant).toBe(1); // it had made exactly one
    expect(kv!.mem.grants.every((e) => e === -1)).toBe(true);
  });
});
