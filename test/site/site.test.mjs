// The built bundles on real pages, served by prepatu-dev-server, in the system Chromium:
// the module script, the classic script tag with the CMS loader, and a strict CSP with
// Trusted Types where the site hosts the worklet file itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleSite } from '../../scripts/site.mjs';
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
    const attrs = await page.evaluate(() => {
      const w = document.querySelector('prepatu-widget');
      return w && { session: w.getAttribute('session-url'), program: w.getAttribute('program-id'), placement: w.getAttribute('placement'), global: typeof window.Prepatu?.VoiceAgent };
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

  it('csp.html without worklet-url: the policy really blocks blob: and the visitor gets a typed, explained error', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/csp.html`);
    await page.evaluate(() => {
      const w = document.querySelector('prepatu-widget');
      w.removeAttribute('worklet-url');
      window.__errors = [];
      document.addEventListener('prepatu-error', (e) => window.__errors.push(`${e.detail.error.code}: ${e.detail.error.message}`));
    });
    await page.getByRole('button', { name: /Talk to us/ }).click();
    await page.waitForFunction(() => window.__errors.length > 0, null, { timeout: 15_000 });
    // Chromium rejects addModule(blob:) under this policy (it reports no violation event to the
    // page for worklets); the site owner reads what to do in the error.
    const errors = await page.evaluate(() => window.__errors);
    assert.ok(errors.some((e) => e.startsWith('audio_unavailable') && e.includes('worklet-url')), errors.join('\n'));
    // The worker's blob: is refused too; that alone is a warning (the socket can run on the main thread), not an error.
    assert.ok(errors.every((e) => !/worker/i.test(e)), errors.join('\n'));
    const text = await page.locator('prepatu-widget').evaluate((w) => w.shadowRoot.textContent);
    assert.match(text, /browser couldn.t start the call.s audio/i);
    await page.close();
  });
});
