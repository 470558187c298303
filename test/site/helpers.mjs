// Node-side helpers for the tests that drive built pages in the system Chromium.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright';
import { findBrowser } from '../../scripts/browsers.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--autoplay-policy=no-user-gesture-required', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
];

/** Starts prepatu-dev-server on a free port; resolves with its base URL and a stop(). */
export async function devServer(args = []) {
  const child = spawn(process.execPath, ['server/bin/prepatu-dev-server.js', '--port', '0', '--voice', 'synthetic', '--test-hooks', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      log += d;
      const m = /listening on (http:\/\/\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`dev server exited (${code}): ${log}`)));
  });
  return { url, log: () => log, stop: () => child.kill() };
}

export async function browser() {
  return chromium.launch({ executablePath: findBrowser('chromium'), args: CHROMIUM_ARGS });
}
