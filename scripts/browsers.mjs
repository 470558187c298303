// Finds each engine: environment variable, else the usual system paths, else a Playwright-installed browser.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const candidates = {
  chromium: {
    env: ['CHROME_PATH', 'CHROMIUM_PATH'],
    paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'],
    playwright: ['chromium-', 'chrome-linux/chrome'],
    apt: ['chromium'],
  },
  firefox: {
    env: ['FIREFOX_PATH'],
    paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    playwright: null,
    apt: ['firefox-esr', 'pulseaudio'],
  },
  webkit: {
    env: ['WEBKIT_MINIBROWSER_PATH'],
    paths: ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/libexec/webkit2gtk-4.1/MiniBrowser'],
    playwright: null,
    apt: ['webkit2gtk-driver', 'xvfb', 'xauth'],
  },
};

/** Extra programs an engine needs besides the browser binary. */
export const companions = {
  chromium: [],
  firefox: ['/usr/bin/pulseaudio'],
  webkit: ['/usr/bin/WebKitWebDriver', '/usr/bin/Xvfb'],
};

function fromPlaywright([prefix, rel]) {
  const dir = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(dir)) return undefined;
  for (const d of readdirSync(dir).filter((n) => n.startsWith(prefix)).sort().reverse()) {
    const p = join(dir, d, rel);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Path of the engine's binary, or undefined. */
export function findBrowser(name) {
  const c = candidates[name];
  for (const v of c.env) if (process.env[v] && existsSync(process.env[v])) return process.env[v];
  const sys = c.paths.find((p) => existsSync(p));
  if (sys) return sys;
  return c.playwright ? fromPlaywright(c.playwright) : undefined;
}

export const isAvailable = (name) => !!findBrowser(name) && companions[name].every((p) => existsSync(p));
export const aptPackages = (name) => candidates[name].apt;
export const ENGINES = Object.keys(candidates);
