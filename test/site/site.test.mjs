// The built bundles on real pages, served by prepatu-dev-server, in the system Chromium:
// the module script, the classic script tag with the CMS loader, and a strict CSP with
// Trusted Types where the site hosts the worklet file itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleSite } from '../../scripts/site.mjs';
import { BUDGETS } from '../../scripts/size.mjs';
import { browser as launch, devServer } from './helpers.mjs';

let server;
let browser;
before(async () => {
  const site = assembleSite('.tmp/site-test');
  // csp.html under a policy that only allows Lit's Trusted Types policy, not the widget's own.
  const csp = readFileSync(join(site, 'csp.html'), 'utf8');
  writeFileSync(join(site, 'csp-lit-only.html'), csp.replace('trusted-types lit-html prepatu', 'trusted-types lit-html'));
  server = await devServer(['--static', site]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function startCall(page) {
  await page.getByRole('button', { name: 'Open voice assistant' }).click();
  await page.getByRole('button', { name: /Talk to us|Start again|Try again/ }).click();
}

/** Waits until the widget's inner session reaches one of `statuses`. */
async function sessionStatus(page, statuses, timeout = 15_000) {
  await page.waitForFunction(
    (s) => s.includes(document.querySelector('prepatu-widget')?.session?.status),
    statuses,
    { timeout },
  );
  return page.evaluate(() => document.querySelector('prepatu-widget').session.status);
}

describe('demo pages with the built bundles', () => {
  it('index.html: one module script; the widget starts a call with the microphone and renders the flow', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await startCall(page);
    assert.ok(['listening', 'speaking'].includes(await sessionStatus(page, ['listening', 'speaking'])));
    await page.locator('prepatu-artifact [part~="form"]').waitFor({ timeout: 15_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('script-tag.html: the classic bundle inserts the widget from data-* attributes (CMS loader)', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/script-tag.html`);
    // The classic script is a loader: the widget arrives with the module it imports.
    await page.waitForFunction(() => document.querySelector('prepatu-widget')?.shadowRoot);
    const attrs = await page.evaluate(async () => {
      const w = document.querySelector('prepatu-widget');
      const api = await window.Prepatu.load(); // the whole API, for headless use from a script tag
      return { session: w.getAttribute('session-url'), program: w.getAttribute('program-id'), placement: w.getAttribute('placement'), global: typeof api.VoiceAgent };
    });
    assert.deepEqual(attrs, { session: '/api/start-session', program: 'appointment-booking', placement: 'bottom-left', global: 'function' });
    await startCall(page);
    await sessionStatus(page, ['listening', 'speaking']);
    await page.close();
  });

  it('csp.html: works under script-src \'self\' (no blob:) and Trusted Types, with the hosted worklet file as worklet and socket worker', async () => {
    const page = await browser.newPage();
    const errors = [];
    const warnings = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(`${server.url}/csp.html`);
    await page.getByRole('button', { name: /Talk to us/ }).click(); // the panel starts open
    await sessionStatus(page, ['listening', 'speaking']);
    await page.locator('prepatu-artifact [part~="form"]').waitFor({ timeout: 15_000 });
    const violations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
    // The socket runs in the worker, started from the hosted file through the 'prepatu' policy.
    assert.equal(await page.evaluate(() => document.querySelector('prepatu-widget').session.agent.transport.inWorker), true);
    assert.deepEqual(warnings.filter((w) => w.includes('Prepatu')), []);
    await page.close();
  });

  it('csp.html without the prepatu Trusted Types policy: the socket runs on the main thread, one console warning, the call works', async () => {
    const page = await browser.newPage();
    const warnings = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(`${server.url}/csp-lit-only.html`);
    await page.getByRole('button', { name: /Talk to us/ }).click();
    await sessionStatus(page, ['listening', 'speaking']);
    await page.locator('prepatu-artifact [part~="form"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => document.querySelector('prepatu-widget').session.agent.transport.inWorker), false);
    const ours = warnings.filter((w) => w.includes('Prepatu'));
    assert.equal(ours.length, 1, warnings.join('\n'));
    assert.match(ours[0], /main thread/);
    await page.close();
  });

  it('csp.html without worklet-url: the bundle finds its worklets and worker beside itself, no blob: needed', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/csp.html`);
    await page.evaluate(() => document.querySelector('prepatu-widget').removeAttribute('worklet-url'));
    await page.getByRole('button', { name: /Talk to us/ }).click();
    await sessionStatus(page, ['listening', 'speaking']);
    await page.locator('prepatu-artifact [part~="form"]').waitFor({ timeout: 15_000 });
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.equal(await page.evaluate(() => document.querySelector('prepatu-widget').session.agent.transport.inWorker), true);
    assert.deepEqual(errors, []);
    await page.close();
  });

  /** Our files (dist/) a page requests before its load event, and their gzip -9 size (from the build's manifest). */
  async function firstLoad(path) {
    const manifest = JSON.parse(readFileSync('dist/prepatu-manifest.json', 'utf8'));
    const page = await browser.newPage();
    const before = [];
    let loaded = false;
    page.on('request', (r) => {
      const m = /\/dist\/([^?#]+)$/.exec(new URL(r.url()).pathname);
      if (m && !loaded) before.push(m[1]);
    });
    await page.goto(`${server.url}/${path}`, { waitUntil: 'load' });
    loaded = true;
    const gzip = before.reduce((t, f) => t + manifest.files[f].gzip, 0);
    return { page, before, gzip, manifest };
  }

  for (const [path, load] of [['', 'firstLoad'], ['script-tag.html', 'firstLoadIife']]) {
    it(`${path || 'index.html'}: by the load event the page has fetched only the launcher's code, ≤ ${BUDGETS.firstLoad} KiB gzipped`, async () => {
      const { page, before, gzip, manifest } = await firstLoad(path);
      console.log(`  ${path || 'index.html'}: ${before.join(', ')} = ${(gzip / 1024).toFixed(1)} KiB gzipped by the load event`);
      // Only the launcher's files (a classic script's dynamic import may even finish after load).
      assert.ok(before.every((f) => manifest.loads[load].includes(f)), before.join(', '));
      assert.ok(gzip <= BUDGETS.firstLoad * 1024, `${gzip} bytes`);
      // The module's first load is one file: no chain of static imports to wait for.
      if (load === 'firstLoad') assert.deepEqual(before, ['prepatu.js']);
      await page.close();
    });
  }

  it('a click right after load opens the panel at once (loading state), and Start runs the call', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Open voice assistant' }).click();
    await page.waitForFunction(() => document.querySelector('prepatu-widget').open);
    await page.getByRole('button', { name: /Talk to us/ }).click();
    await sessionStatus(page, ['listening', 'speaking']);
    await page.locator('prepatu-artifact [part~="form"]').waitFor({ timeout: 15_000 });
    await page.close();
  });
});
