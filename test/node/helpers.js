// @ts-check
/** Helpers for the dev-server tests: a PVP test client over `ws`. */
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';

/**
 * @typedef {{kind: 'json', t: number, msg: Record<string, any>}
 *   | {kind: 'binary', t: number, bytes: number}
 *   | {kind: 'text', t: number, text: string}} Received
 */

export class PvpClient {
  /** @param {string} url */
  constructor(url) {
    this.ws = new WebSocket(url);
    /** @type {Received[]} */
    this.received = [];
    /** @type {{code: number, reason: string}|null} */
    this.closed = null;
    /** @type {(() => void)[]} */
    this.waiters = [];
    this.ws.on('message', (data, isBinary) => {
      const t = performance.now();
      const buf = /** @type {Buffer} */ (data);
      if (isBinary) this.received.push({ kind: 'binary', t, bytes: buf.length });
      else {
        const text = buf.toString('utf8');
        try {
          this.received.push({ kind: 'json', t, msg: JSON.parse(text) });
        } catch {
          this.received.push({ kind: 'text', t, text });
        }
      }
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    this.ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  /** JSON messages received so far. */
  messages() {
    return this.received.flatMap((r) => (r.kind === 'json' ? [r.msg] : []));
  }

  /** @param {Record<string, unknown>} msg */
  send(msg) {
    this.ws.send(JSON.stringify(msg));
  }

  /**
   * Waits until `pred` holds over what was received.
   * @template T
   * @param {() => T} pred
   * @param {number} [timeoutMs]
   * @param {string} [what]
   * @returns {Promise<NonNullable<T>>}
   */
  async until(pred, timeoutMs = 5000, what = 'condition') {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const v = pred();
      if (v) return /** @type {NonNullable<T>} */ (v);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got: ${JSON.stringify(this.messages().slice(-12))}`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
  }

  /**
   * Waits for the first JSON message (after index `from`) matching `pred`.
   * @param {(m: Record<string, any>) => boolean} pred
   * @param {number} [timeoutMs]
   * @param {number} [from] only look at messages()[from..]
   */
  next(pred, timeoutMs = 5000, from = 0) {
    return this.until(() => this.messages().slice(from).find(pred), timeoutMs, pred.toString());
  }

  /** @param {number} [timeoutMs] */
  waitClose(timeoutMs = 5000) {
    return this.until(() => this.closed, timeoutMs, 'close');
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

/**
 * Connects and waits for the socket to open.
 * @param {string} url
 */
export async function connect(url) {
  const c = new PvpClient(url);
  await c.opened;
  return c;
}

/** @type {string[]} removed when the test process exits */
const tempDirs = [];

/**
 * Writes files into a fresh temporary directory.
 * @param {Record<string, string>} files name → content
 */
export async function tempDir(files) {
  const dir = await mkdtemp(path.join(tmpdir(), 'prepatu-test-'));
  if (!tempDirs.length) process.once('exit', () => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  tempDirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

/**
 * PCM16 bytes of a sine (amplitude: peak, fraction of full scale).
 * @param {number} ms
 * @param {number} amplitude
 * @param {number} [freq]
 */
export function pcmTone(ms, amplitude, freq = 220) {
  const n = Math.round(16 * ms);
  const buf = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * freq * i) / 16000)), i * 2);
  return buf;
}

/** Splits a buffer into 20 ms (640-byte) frames. @param {Buffer} buf */
export function frames(buf) {
  const out = [];
  for (let off = 0; off < buf.length; off += 640) out.push(buf.subarray(off, off + 640));
  return out;
}

/**
 * Imports a TypeScript module of src/ (bundled by esbuild, as the build's tsc would emit it).
 * @param {string} file relative to the repository root
 */
export async function importTs(file) {
  const { build } = await import('esbuild');
  const entry = new URL(`../../${file}`, import.meta.url).pathname;
  const { outputFiles } = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', write: false });
  return import(`data:text/javascript;base64,${Buffer.from(/** @type {any} */ (outputFiles)[0].text).toString('base64')}`);
}
