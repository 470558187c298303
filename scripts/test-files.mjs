import { readdirSync } from 'node:fs';

// Which browser test files a run takes (PREPATU_TEST_FILES, comma-separated globs) and which of
// them run alone. Shared by web-test-runner.config.mjs and scripts/test.mjs.

// Tests that measure real-time audio against a busy main thread or a device switch: they run
// alone (one file at a time, PREPATU_SOLO=1), never beside another test file competing for the
// machine's two cores.
export const SOLO_FILES = ['test/audio/busy-page.test.ts', 'test/agent/voice-agent-modes.test.ts'];

export const requestedFiles = () => process.env.PREPATU_TEST_FILES?.split(',').filter(Boolean) ?? ['test/**/*.test.ts'];

/** A glob of the shapes used here (`*`, `**` segments) as a regular expression. */
const globRe = (g) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}$`);

/** Every `*.test.ts` file under test/, as a path relative to the repository. */
function allTestFiles(dir = 'test') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allTestFiles(`${dir}/${e.name}`) : e.name.endsWith('.test.ts') ? [`${dir}/${e.name}`] : [],
  );
}

/** Whether the ordinary (not solo) pass has any file to run. */
export const ordinaryFiles = () => allTestFiles().filter((f) => !SOLO_FILES.includes(f) && requestedFiles().some((g) => globRe(g).test(f)));

/** The solo files the requested globs take. */
export const soloFiles = () => SOLO_FILES.filter((f) => requestedFiles().some((g) => globRe(g).test(f)));

/** web-test-runner `files` for a pass: `solo` '1' the solo files, '0' the rest, unset everything. */
export function filesFor(solo) {
  if (solo === '1') return soloFiles();
  if (solo === '0') return [...requestedFiles(), ...SOLO_FILES.map((f) => `!${f}`)];
  return requestedFiles();
}
