/**
 * The playground in a real browser (Debian's chromium, driven by
 * playwright-core): it loads; hello prints its greeting; three steps leave
 * the register the program computed; a bad line gets an inline diagnostic;
 * the 2-VM example draws both PCPUs' tracks; a runaway loop pauses while the
 * page stays responsive; the SMP guest kernel boots and reports per CPU. A
 * screenshot goes to .ci/out/, and the page's MIPS is printed beside Node's
 * on the same program (printed, not asserted: speed is measured, not tested).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../../guest-kernel/loader/index.ts';
import { LOOP } from './loop.ts';
import { haveChromium, launch, serveSite, type Site } from './page.ts';

if (!haveChromium) console.log('test/browser: skipped, /usr/bin/chromium is missing (.ci/run installs it with apt-get)');

describe.skipIf(!haveChromium)('the browser playground', () => {
  let site: Site;
  let ctx: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    site = await serveSite();
    profile = mkdtempSync(join(tmpdir(), 'paravm-chromium-'));
    ctx = await launch(profile);
    page = ctx.pages()[0] ?? await ctx.newPage();
    await page.goto(site.url);
    await page.waitForSelector('body[data-ready="true"]');
  }, 60_000);

  afterAll(async () => {
    await ctx?.close();
    await site?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const status = (): Promise<string> => page.locator('#status').innerText();
  const waitStatus = (re: RegExp, timeout = 20_000): Promise<unknown> =>
    page.waitForFunction(`new RegExp(${JSON.stringify(re.source)}).test(document.getElementById('status').textContent)`, undefined, { timeout });
  const example = async (name: string): Promise<void> => {
    await page.selectOption('#example', { label: name });
    await waitStatus(/^(ready|stopped)/);
  };
  /** Types a program into the editor (replacing it) as a user would. */
  const type = async (text: string): Promise<void> => {
    await page.click('.cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  };

  /** Toggles the breakpoint on the editor's line `index` (0-based) by clicking its gutter. */
  const clickGutter = async (index: number): Promise<void> => {
    const line = (await page.locator('.cm-line').nth(index).boundingBox())!;
    const gutter = (await page.locator('.cm-breakpoint-gutter').boundingBox())!;
    await page.mouse.click(gutter.x + gutter.width / 2, line.y + line.height / 2);
  };

  it('loads the page with the examples from programs/', async () => {
    const names = await page.locator('#example option').allInnerTexts();
    expect(names).toEqual(expect.arrayContaining(['hello.s', 'fib.s', 'sched/busy.s', 'kernel/hello.s']));
    expect(await page.locator('.cm-content').innerText()).toContain('Hello, paravm!');
  });

  it('assembles and runs hello, and shows the greeting in the console', async () => {
    await example('hello.s');
    await page.click('#run');
    await waitStatus(/^stopped/);
    expect(await page.locator('#console').innerText()).toContain('Hello, paravm!');
    expect(await status()).toContain('exit code 0');
    // The memory view at a symbol: "Hell" as a little-endian word.
    await page.fill('#mem-addr', 'greeting');
    await page.press('#mem-addr', 'Enter');
    await page.waitForFunction(`document.getElementById('memory').textContent.includes('0x6c6c6548')`);
  });

  it('steps 3 instructions and shows the register they computed', async () => {
    await type('        .text\n        .global _start\n_start: addi t0, zero, 5\n        addi t0, t0, 7\n        addi t1, t0, 1\n        li a0, 0\n        j exit\n        .include "lib/io.s"\n');
    await page.fill('#step-count', '3');
    await page.click('#step');
    await waitStatus(/^paused: stepped/);
    const regs = await page.locator('#regs').innerText();
    expect(regs).toMatch(/t0 0x0000000c/);
    expect(regs).toMatch(/t1 0x0000000d/);
    expect(await page.locator('.cm-pc-line').innerText()).toContain('li a0, 0');
  });

  it('stops at a breakpoint set in the gutter, before its line runs, and runs on from there', async () => {
    await type('        .text\n        .global _start\n_start: addi t0, zero, 1\n        addi t0, t0, 2\n        addi t0, t0, 4\n        li a0, 0\n        j exit\n        .include "lib/io.s"\n');
    await clickGutter(3);
    await page.waitForSelector('.cm-breakpoint-gutter .bp');
    await page.click('#run');
    await waitStatus(/^breakpoint/);
    expect(await page.locator('#regs').innerText()).toMatch(/t0 0x00000001/);
    expect(await page.locator('.cm-pc-line').innerText()).toContain('addi t0, t0, 2');
    await page.click('#run');
    await waitStatus(/^stopped/);
    expect(await page.locator('#regs').innerText()).toMatch(/t0 0x00000007/);
  });

  it('puts the program and the machine in a share link that reopens them', async () => {
    await example('sched/busy.s');
    await page.fill('#pcpus', '3');
    await page.click('#share');
    const url = page.url();
    expect(url).toMatch(/#p=[A-Za-z0-9_-]+$/);
    const other = await ctx.newPage();
    await other.goto(url);
    await other.waitForSelector('body[data-ready="true"]');
    expect(await other.locator('.cm-content').innerText()).toContain('counts in memory forever');
    expect(await other.inputValue('#pcpus')).toBe('3');
    expect(await other.inputValue('#mode')).toBe('multi');
    await other.close();
  });

  it('shows a diagnostic inline for a bad line', async () => {
    await type('        .text\n_start: addi t0, t0\n        frobnicate a0\n');
    await page.click('#run');
    await page.waitForSelector('.cm-lintRange-error');
    expect(await page.locator('.cm-lint-marker-error').count()).toBeGreaterThanOrEqual(1);
    expect(await status()).toContain('does not assemble');
  });

  it('runs the 2-VM example and draws the tracks of both PCPUs and both VCPUs in the timeline', async () => {
    await example('sched/busy.s');
    await page.click('#run');
    await waitStatus(/^stopped/);
    const events = async (sel: string): Promise<number[]> =>
      Promise.all((await page.locator(sel).all()).map(async (t) => Number(await t.getAttribute('data-events'))));
    const pcpus = await events('#tracks .track[data-pcpu]');
    expect(pcpus).toHaveLength(2);
    for (const n of pcpus) expect(n).toBeGreaterThan(0);
    const vcpus = await events('#tracks .track[data-vcpu]');
    expect(vcpus).toHaveLength(2);
    for (const n of vcpus) expect(n).toBeGreaterThan(0);
  });

  it('pauses a runaway loop, and the page answers while it runs', async () => {
    await example('hello.s');
    await type('        .text\n        .global _start\n_start:\n1:      addi t0, t0, 1\n        j 1b\n');
    await page.click('#run');
    await waitStatus(/^running/);
    await page.waitForTimeout(800);
    const t0 = Date.now();
    await page.evaluate('new Promise((ok) => requestAnimationFrame(ok))');
    const frameMs = Date.now() - t0;
    await page.click('#pause');
    await waitStatus(/^paused/, 5000);
    const n = Number((await page.locator('#counters').innerText()).split(' ')[0]!.replace(/,/g, ''));
    expect(n).toBeGreaterThan(1_000_000);
    expect(frameMs).toBeLessThan(1000);
  });

  it('boots the SMP guest kernel and shows its per-CPU summary', async () => {
    await example('kernel/hello.s');
    await page.click('#run');
    await waitStatus(/^stopped/, 60_000);
    expect(await page.locator('#kernel tr').count()).toBe(1 + 2);
  }, 90_000);

  it('stops at a breakpoint in a guest-kernel process, in user mode', async () => {
    await example('kernel/hello.s');
    await clickGutter(8); // line 9: li a0, 0, after the greeting is printed
    await page.click('#run');
    await waitStatus(/^breakpoint: breakpoint at line 9 \(/, 60_000);
    expect(await page.locator('#console').innerText()).toContain('hello from user mode');
    await clickGutter(8);
    await page.click('#run');
    await waitStatus(/^stopped/, 60_000);
  }, 90_000);

  it('saves a screenshot and prints its MIPS beside Node\'s on the same program', async () => {
    const n = 20_000_000;
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    // Three runs each, alternated, medians: the machine is shared, so one run says little.
    const pageMips: number[] = [];
    const nodeMips: number[] = [];
    for (let k = 0; k < 3; k++) {
      await example('hello.s');
      await type(LOOP(n));
      await page.click('#run');
      await waitStatus(/^stopped/, 60_000);
      pageMips.push(Number(await page.locator('#mips').getAttribute('data-mips')));
      const node = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'browser', 'node-mips.ts'), String(n)], { encoding: 'utf8' });
      nodeMips.push(Number(node.stdout.trim()));
    }
    const [p, q] = [median(pageMips), median(nodeMips)];
    console.log(`playground MIPS on a ${n.toLocaleString('en-US')}-iteration loop (median of 3): page ${p.toFixed(1)}, Node ${q.toFixed(1)} (${(p / q).toFixed(2)}x)`);
    expect(p).toBeGreaterThan(0);
    await example('sched/busy.s');
    await page.click('#run');
    await waitStatus(/^stopped/);
    const out = join(ROOT, '.ci', 'out');
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: join(out, 'playground.png') });
  }, 90_000);
});
