import { readdirSync } from 'node:fs';

// Which browser test files a run takes (PREPATU_TEST_FILES, comma-separated globs) and which of
// them run alone. Shared by web-test-runner.config.mjs and scripts/test.mjs.

// Tests that measure real-time audio against a busy main thread or a device switch: they run
// alone (one file at a time, PREPATU_SOLO=1), never beside another test file competing for the
// machine's two cores.
export const SOLO_FILES = ['test/audio/busy-page.test.ts', 'test/agent/voice-agent-modes.test.ts'];

// Tests that judge what the browser sends over the network (test/privacy/): they run in a pass of
// their own (PREPATU_SOLO=proxy) in which every engine sends all its traffic through the
// recording proxy (test/support/recording-proxy.mjs), so no other file's traffic mixes into their
// log and no other file pays for the proxy.
export const isProxied = (f) => f.startsWith('test/privacy/');

export const requestedFiles = () => process.env.PREPATU_TEST_FILES?.split(',').filter(Boolean) ?? ['test/**/*.test.ts'];

/** A glob of the shapes used here (`*`, `**` segments) as a regular expression. */
const globRe = (g) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}$`);

/** Every `*.test.ts` file under test/, as a path relative to the repository. */
function allTestFiles(dir = 'test') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allTestFiles(`${dir}/${e.name}`) : e.name.endsWith('.test.ts') ? [`${dir}/${e.name}`] : [],
  );
}

const requested = (f) => requestedFiles().some((g) => globRe(g).test(f));

/** The ordinary pass's files (neither solo nor proxied). */
export const ordinaryFiles = () => allTestFiles().filter((f) => !SOLO_FILES.includes(f) && !isProxied(f) && requested(f));

/** The solo files the requested globs take. */
export const soloFiles = () => SOLO_FILES.filter(requested);

/** The proxied files the requested globs take. */
export const proxiedFiles = () => allTestFiles().filter((f) => isProxied(f) && requested(f));

/** The files of a pass: `solo` '0' ordinary, '1' solo, 'proxy' proxied. */
export const passFiles = (solo) => (solo === '1' ? soloFiles() : solo === 'proxy' ? proxiedFiles() : ordinaryFiles());

/** web-test-runner `files` for a pass (see passFiles); unset: everything, without the proxy. */
export function filesFor(solo) {
  if (solo === '1' || solo === 'proxy') return passFiles(solo);
  if (solo === '0') return [...requestedFiles(), ...SOLO_FILES.map((f) => `!${f}`), '!test/privacy/**'];
  return requestedFiles();
}
