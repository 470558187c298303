#!/usr/bin/env node
// Takes the README's screenshots of the demo (light and dark) with Playwright and the system
// Chromium: docs/screenshots/{widget,elements}-{light,dark}.png.
import { mkdirSync } from 'node:fs';
import { assembleSite } from './site.mjs';
import { browser as launch, devServer } from '../test/site/helpers.mjs';

const site = assembleSite('.tmp/screenshot-site');
const server = await devServer(['--static', site, '--quiet']);
const browser = await launch();
mkdirSync('docs/screenshots', { recursive: true });
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
