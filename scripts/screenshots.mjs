#!/usr/bin/env node
// Takes the README's screenshots of the demo (light and dark) with Playwright and the system
// Chromium: docs/screenshots/{widget,elements}-{light,dark}.png, and the widget's panel in the
// states of issue 14: widget-{consent,voice,summary}-{light,dark}.png.
import { mkdirSync } from 'node:fs';
import { assembleSite } from './site.mjs';
import { browser as launch, devServer } from '../test/site/helpers.mjs';

const site = assembleSite('.tmp/screenshot-site');
const server = await devServer(['--static', site, '--quiet']);
const browser = await launch();
mkdirSync('docs/screenshots', { recursive: true });

/** The widget's panel with a margin of the page around it. */
async function panelShot(page, path) {
  const box = await page.locator('prepatu-widget [part~="panel"]').boundingBox();
  const m = 24;
  await page.screenshot({ path, clip: { x: box.x - m, y: box.y - m, width: box.width + 2 * m, height: box.height + 2 * m } });
}

try {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Open voice assistant' }).click();
    await page.getByRole('button', { name: 'Talk to us' }).click();
    await page.locator('prepatu-artifact [part~="form"]').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1500); // the greeting in the transcript, the orb moving
    await page.screenshot({ path: `docs/screenshots/widget-${colorScheme}.png` });

    // Consent before the first call: the notice, as the site's markup.
    await page.goto(`${server.url}/`);
    await page.evaluate(() => {
      const notice = document.createElement('p');
      notice.slot = 'consent';
      notice.innerHTML = 'Calls are recorded and answered by an AI assistant. See our <a href="#privacy">privacy notice</a>.';
      document.querySelector('prepatu-widget').append(notice);
    });
    await page.getByRole('button', { name: 'Open voice assistant' }).click();
    await page.getByRole('button', { name: 'Accept' }).waitFor();
    await panelShot(page, `docs/screenshots/widget-consent-${colorScheme}.png`);

    // A voice call: the caption of the line being spoken, the device menu, "Type instead".
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('button', { name: 'Talk to us' }).click();
    await page.locator('prepatu-widget [part~="caption"]').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Audio devices' }).click();
    await page.locator('prepatu-widget [part~="device-select"]').first().waitFor();
    await page.waitForTimeout(300);
    await panelShot(page, `docs/screenshots/widget-voice-${colorScheme}.png`);

    // Typing instead, to the end of the flow: the summary, the transcript file, start again.
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Open voice assistant' }).click();
    await page.getByRole('button', { name: 'Type instead' }).click();
    const artifact = page.locator('prepatu-artifact');
    await artifact.locator('input[type="text"]').fill('Jane Smith');
    await artifact.locator('input[type="email"]').fill('jane@example.com');
    await artifact.locator('[part~="submit"]').click();
    await artifact.locator('[part~="option"]').nth(1).click();
    await artifact.locator('[part~="confirm"]').click();
    await page.locator('prepatu-widget [part~="summary-list"]').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Start again' }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await panelShot(page, `docs/screenshots/widget-summary-${colorScheme}.png`);

    await page.goto(`${server.url}/elements.html`);
    await page.getByRole('button', { name: 'Start call' }).click();
    await page.locator('prepatu-artifact [part~="form"]').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `docs/screenshots/elements-${colorScheme}.png` });
    await context.close();
    console.log(`docs/screenshots/*-${colorScheme}.png`);
  }
} finally {
  await browser.close();
  server.stop();
}
