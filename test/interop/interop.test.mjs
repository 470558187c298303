// The framework apps under demo/interop/ (Vue 3, Svelte 5, Angular, React 19, plain HTML),
// each built with its own toolchain, in the system Chromium against prepatu-dev-server:
// a property binding (an object reaches the element intact), event listening (the app's own
// state follows the elements' events), and a user action whose `ui_event` reaches the server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { INTEROP_APPS, copyInteropApps, interopBuilt } from '../../scripts/interop.mjs';
import { browser as launch, devServer } from '../site/helpers.mjs';

const SITE = '.tmp/interop-site';

let server;
let browser;
before(async () => {
  rmSync(SITE, { recursive: true, force: true });
  mkdirSync(SITE, { recursive: true });
  if (!interopBuilt()) throw new Error('the framework apps are not built: npm run interop');
  copyInteropApps(SITE);
  // The development server's simulated understanding fills the form after each utterance it
  // hears; with the fake microphone's beeps never counted as speech, the test fills it itself.
  server = await devServer(['--static', SITE, '--vad-threshold', '0.99']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** The server's own record of the session (`--test-hooks`), asked through the app's session element. */
function serverStats(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const session = document.querySelector('prepatu-session');
        const timer = setTimeout(() => reject(new Error('no __test_stats from the server')), 5000);
        session.addEventListener('prepatu-message', function on(e) {
          const m = e.detail.message;
          if (m.type !== 'unknown' || m.original_type !== '__test_stats') return;
          session.removeEventListener('prepatu-message', on);
          clearTimeout(timer);
          resolve(m.raw);
        });
        session.agent.transport.sendText(JSON.stringify({ type: '__test', do: 'stats' }));
      }),
  );
}

for (const app of Object.keys(INTEROP_APPS)) {
  describe(`${app} app`, () => {
    it('binds an object property, listens to events, and its ui_event reaches the server', async () => {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`));
      await page.goto(`${server.url}/${app}/`);

      // Property binding: the options object arrived as an object (an attribute would be "[object Object]").
      const local = page.locator('prepatu-artifact:not(prepatu-session prepatu-artifact)');
      await local.getByText('Pick a plan').waitFor({ timeout: 10_000 });
      await local.getByRole('button', { name: /Pro/ }).click();
      // Event listening: the app's own state shows the event's detail.
      await page.locator('[data-testid="chosen"]').getByText('pro', { exact: true }).waitFor();

      // Attributes (ws-url, program-id) + a method call through the framework's element reference.
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await page.locator('[data-testid="status"]').getByText(/^(listening|speaking)$/).waitFor({ timeout: 15_000 });
      const form = page.locator('prepatu-session prepatu-artifact');
      await form.getByRole('textbox', { name: /name/i }).fill('Ada Lovelace');
      await form.getByRole('textbox', { name: /email/i }).fill('ada@example.com');
      await form.getByRole('button', { name: 'Submit' }).click();
      await page.locator('[data-testid="last-event"]').getByText('form_submit').waitFor();
      // The server moved the flow on: the next artifact, rendered inside the app.
      await form.getByRole('button', { name: /Team/ }).click();
      await page.locator('[data-testid="last-event"]').getByText('option_select').waitFor();

      let stats = await serverStats(page);
      for (let i = 0; i < 20 && stats.ui_events.length < 2; i++) stats = await serverStats(page);
      assert.equal(stats.flow_id, 'sample-onboarding');
      assert.deepEqual(stats.ui_events.map((e) => e.action), ['form_submit', 'option_select']);
      assert.ok(Object.values(stats.ui_events[0].data).includes('ada@example.com'), JSON.stringify(stats.ui_events[0]));
      assert.equal(stats.ui_events[1].data.selected_id, 'team');
      assert.ok(stats.audio_bytes > 0, 'the microphone reached the server');

      await page.getByRole('button', { name: 'End', exact: true }).click();
      await page.locator('[data-testid="status"]').getByText('ended').waitFor();
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
