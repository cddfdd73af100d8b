/**
 * The playground page: wires the editor, the machine's worker and the views.
 * The worker does all the work (worker.ts); this thread only sends requests
 * and draws what comes back, so the page stays responsive whatever runs.
 * The program and the machine travel in the URL's fragment (share link).
 */
import { createEditor } from './editor.ts';
import { FILES } from './files.ts';
import type { FromWorker, MachineShape, MachineState, Mode, ToWorker } from './protocol.ts';
import { Timeline } from './timeline.ts';

interface Example { file: string; machine: MachineShape }

const bare = (): MachineShape => ({ mode: 'bare', pcpus: 1, vms: [{ vcpus: 1, weight: 256 }], timeMs: 0 });

/** The examples: programs/ on bare metal, busy.s in two VMs, the kernel's user programs (not httpd.s, which needs the network device). */
const EXAMPLES: Example[] = [
  ...Object.keys(FILES).filter((f) => /^programs\/[^/]+\.s$/.test(f)).map((file) => ({ file, machine: bare() })),
  { file: 'programs/sched/busy.s', machine: { mode: 'multi', pcpus: 2, vms: [{ vcpus: 1, weight: 256 }, { vcpus: 1, weight: 512 }], timeMs: 20 } },
  ...Object.keys(FILES).filter((f) => /^programs\/kernel\/[^/]+\.s$/.test(f) && !f.endsWith('httpd.s'))
    .map((file): Example => ({ file, machine: { mode: 'kernel', pcpus: 2, vms: [{ vcpus: 2, weight: 256 }], timeMs: 0 } })),
];

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker): void => worker.postMessage(m);

let file = 'programs/hello.s';
let machine: MachineShape = bare();
let dirty = true;
let consoleText = '';

const editor = createEditor($('editor'), '', () => { dirty = true; }, () => send({ t: 'breakpoints', lines: editor.breakpointLines() }));
const timeline = new Timeline($<HTMLCanvasElement>('timeline'), $('tracks'), $('legend'));

// ---- the machine form ------------------------------------------------------------

function drawMachineForm(): void {
  $<HTMLSelectElement>('mode').value = machine.mode;
  $<HTMLInputElement>('pcpus').value = String(machine.pcpus);
  $<HTMLInputElement>('time').value = String(machine.timeMs);
  const rows = machine.vms.map((v, i) => `<tr><td>${machine.mode === 'kernel' ? 'guest' : `vm${i}`}</td>`
    + `<td><input type="number" min="1" max="16" data-vm="${i}" data-k="vcpus" value="${v.vcpus}"></td>`
    + `<td><input type="number" min="1" data-vm="${i}" data-k="weight" value="${v.weight}"></td></tr>`);
  $('vms').innerHTML = `<tr><th>VM</th><th>VCPUs</th><th>weight</th></tr>${rows.join('')}`;
  $('vm-add').hidden = $('vm-del').hidden = machine.mode !== 'multi';
  $('vm-form').hidden = machine.mode === 'bare';
}

function readMachineForm(): void {
  const num = (id: string, d: number): number => { const n = Number($<HTMLInputElement>(id).value); return Number.isFinite(n) && n >= 0 ? Math.floor(n) : d; };
  machine.mode = $<HTMLSelectElement>('mode').value as Mode;
  machine.pcpus = Math.max(1, num('pcpus', 1));
  machine.timeMs = num('time', 0);
  for (const el of $('vms').querySelectorAll<HTMLInputElement>('input')) {
    const vm = machine.vms[Number(el.dataset.vm)];
    if (vm) vm[el.dataset.k as 'vcpus' | 'weight'] = Math.max(1, Math.floor(Number(el.value) || 1));
  }
  if (machine.mode === 'bare') { machine.pcpus = 1; machine.vms = [{ vcpus: 1, weight: 256 }]; }
  dirty = true;
}

// ---- requests ------------------------------------------------------------------------

function load(): void {
  readMachineForm();
  consoleText = '';
  $('console').textContent = '';
  $('kernel').replaceChildren();
  timeline.reset(0, []);
  $<HTMLSelectElement>('vcpu').replaceChildren();
  $('status').textContent = 'assembling';
  send({ t: 'load', source: editor.text(), file, machine, breakpoints: editor.breakpointLines() });
  dirty = false;
}

function openExample(ex: Example): void {
  file = ex.file;
  machine = structuredClone(ex.machine);
  editor.setText(FILES[ex.file] ?? '');
  drawMachineForm();
  load();
}

function share(): void {
  readMachineForm();
  const json = JSON.stringify({ f: file, s: editor.text(), m: machine });
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(json))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  history.replaceState(null, '', `#p=${b64}`);
  void navigator.clipboard?.writeText(location.href).catch(() => undefined);
  $('status').textContent = 'link to this program and machine copied (also in the address bar)';
}

function fromUrl(): boolean {
  const m = /^#p=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m) return false;
  try {
    const bin = atob(m[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    const o = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))) as { f: string; s: string; m: MachineShape };
    file = o.f;
    machine = o.m;
    editor.setText(o.s);
    drawMachineForm();
    load();
    return true;
  } catch {
    return false;
  }
}

// ---- what the worker says ---------------------------------------------------------

function showState(s: MachineState): void {
  document.body.dataset.status = s.status;
  $('status').textContent = `${s.status}${s.reason ? `: ${s.reason}` : ''}`;
  $('counters').textContent = `${s.instructions.toLocaleString('en-US')} instructions, ${s.virtualMs.toFixed(3)} ms virtual`;
  $('mips').textContent = `${s.mips.toFixed(1)} MIPS`;
  $('mips').dataset.mips = String(s.mips);
  $('regs').textContent = s.regs;
  $('csrs').textContent = s.csrs;
  $('memory').textContent = s.memory;
  const sel = $<HTMLSelectElement>('vcpu');
  if (sel.options.length !== s.vcpuNames.length) {
    sel.replaceChildren(...s.vcpuNames.map((n, i) => new Option(n, String(i))));
    timeline.reset(s.pcpus, s.vcpuNames);
  }
  sel.value = String(s.vcpu);
  editor.markLine(s.status === 'running' ? undefined : s.line);
  if (s.kernel) {
    const head = '<tr><th>CPU</th><th>ticks</th><th>switches</th><th>threads run</th><th>migrations</th></tr>';
    $('kernel').innerHTML = head + s.kernel.map((c) => `<tr><td>${c.cpu}</td><td>${c.ticks}</td><td>${c.switches}</td><td>${c.threadsRun}</td><td>${c.migrations}</td></tr>`).join('');
  }
}

worker.onmessage = (e: MessageEvent<FromWorker>): void => {
  const m = e.data;
  if (m.t === 'console') {
    consoleText = (consoleText + m.text).slice(-100_000);
    $('console').textContent = consoleText;
  } else if (m.t === 'diagnostics') {
    editor.showDiagnostics(m.list, file);
    const elsewhere = m.list.filter((d) => d.file !== file).map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
    $('diagnostics').textContent = `${m.list.filter((d) => d.severity === 'error').length} error(s)${elsewhere.length ? `\n${elsewhere.join('\n')}` : ''}`;
  } else if (m.t === 'timeline') {
    timeline.add(m.slices, m.spans, m.now);
  } else {
    showState(m.state);
  }
};

// ---- controls -------------------------------------------------------------------------

const examples = $<HTMLSelectElement>('example');
examples.replaceChildren(...EXAMPLES.map((ex, i) => new Option(ex.file.replace(/^programs\//, ''), String(i))));
examples.onchange = (): void => openExample(EXAMPLES[Number(examples.value)]!);
$('run').onclick = (): void => { if (dirty) load(); $('status').textContent = 'starting'; send({ t: 'run' }); };
$('pause').onclick = (): void => send({ t: 'pause' });
$('step').onclick = (): void => { if (dirty) load(); $('status').textContent = 'stepping'; send({ t: 'step', count: Math.max(1, Number($<HTMLInputElement>('step-count').value) || 1) }); };
$('reset').onclick = load;
$('share').onclick = share;
$('mode').onchange = (): void => { readMachineForm(); drawMachineForm(); };
$('vm-add').onclick = (): void => { readMachineForm(); machine.vms.push({ vcpus: 1, weight: 256 }); drawMachineForm(); };
$('vm-del').onclick = (): void => { readMachineForm(); if (machine.vms.length > 1) machine.vms.pop(); drawMachineForm(); };
for (const id of ['pcpus', 'time']) $(id).onchange = readMachineForm;
$('vms').onchange = readMachineForm;
const sendView = (): void => send({ t: 'view', vcpu: Number($<HTMLSelectElement>('vcpu').value) || 0, mem: $<HTMLInputElement>('mem-addr').value });
$('vcpu').onchange = sendView;
$('mem-addr').onchange = sendView;

if (!fromUrl()) openExample(EXAMPLES.find((e) => e.file === 'programs/hello.s') ?? EXAMPLES[0]!);
document.body.dataset.ready = 'true';
