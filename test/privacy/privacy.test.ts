// The privacy guarantee (README "Privacy"): across a whole call, the widget contacts only the page's
// own origin (its files) and the endpoints it is configured with (the session endpoint and the
// WebSocket URL it answers, or the WebRTC URL), sends no cookie and no identifier of its own, and
// touches no storage API. Judged by what really leaves the browser: this file runs in its own pass
// (scripts/test.mjs, PREPATU_SOLO=proxy) in which every engine sends all its traffic, loopback
// included, through a recording proxy (test/support/recording-proxy.mjs), which sees the socket
// the widget runs in a Worker as well as the page's requests. Storage is judged by wrappers
// installed in the visitor's page before the widget's code loads (probes.ts), and by what the
// origin holds afterwards.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PrepatuArtifact } from '../../src/elements/prepatu-artifact.js';
import type { PrepatuWidget } from '../../src/elements/prepatu-widget.js';
import { servers, until } from '../support/servers.js';
import { installProbes, type Probes } from './probes.js';
import { cookieProblems, describe as line, headerProblems, identifierProblems, isTestEndpoint, proxyLog, type Entry } from './traffic.js';

type Win = Window & typeof globalThis;
const pageHost = location.host;
const hostOf = (url: string) => new URL(url).host;
const TYPED = { name: 'Ada Lovelace', email: 'ada@example.com' };

/**
 * What the origin holds that outlives a page: cookies, Web Storage, IndexedDB databases, caches.
 * Read from this (the test's) window, the same origin as the visitor's page, and outside the
 * probes, which watch only the visitor's page.
 */
async function originStorage(): Promise<string> {
  const dbs = 'databases' in indexedDB ? (await indexedDB.databases()).map((d) => d.name) : ['(indexedDB.databases() missing)'];
  const cacheNames = 'caches' in window ? await caches.keys() : [];
  return JSON.stringify({ cookie: document.cookie, localStorage: localStorage.length, sessionStorage: sessionStorage.length, dbs, cacheNames });
}

interface VisitorPage {
  win: Win;
  widget: PrepatuWidget;
  probes: Probes;
  remove(): void;
}

/**
 * The visitor's page (visitor.html, a real page of this origin: WebKit refuses a worklet from a
 * blob: URL made in a srcdoc frame), with the probes installed in its window, then the widget's
 * tag and its module added the way a site loads it (or, for the control, another script).
 */
async function visitorPage(attrs: string, script: { src?: string; text?: string } = { src: '/src/define.ts' }): Promise<VisitorPage> {
  const iframe = document.createElement('iframe');
  iframe.title = 'visitor page';
  iframe.setAttribute('style', 'width:420px;height:720px;border:0');
  iframe.src = new URL('./visitor.html', import.meta.url).pathname;
  const loaded = new Promise((r) => iframe.addEventListener('load', r, { once: true }));
  document.body.append(iframe);
  await loaded;
  const win = iframe.contentWindow as Win;
  const probes = installProbes(win);
  win.document.body.insertAdjacentHTML('beforeend', `<prepatu-widget ${attrs}></prepatu-widget>`);
  const el = win.document.createElement('script');
  el.type = 'module';
  if (script.src) el.src = script.src;
  else el.textContent = script.text ?? '';
  win.document.head.append(el);
  const widget = win.document.querySelector('prepatu-widget') as PrepatuWidget;
  if (script.src) {
    await until(() => !!win.customElements.get('prepatu-widget'), 'the widget to load in the visitor page', 15_000);
    await widget.updateComplete;
  }
  return { win, widget, probes, remove: () => iframe.remove() };
}

/** The first match of `selector` in `root`'s shadow tree, nested shadow roots included (the widget's panel). */
function deep<T extends Element = HTMLElement>(root: Element, selector: string): T | null {
  const shadow = root.shadowRoot;
  if (!shadow) return null;
  const found = shadow.querySelector<T>(selector);
  if (found) return found;
  for (const el of shadow.querySelectorAll('*')) {
    const inner = deep<T>(el, selector);
    if (inner) return inner;
  }
  return null;
}

const part = <T extends HTMLElement = HTMLElement>(root: Element, name: string): T | null => deep<T>(root, `[part~="${name}"]`);

/** A button or link in the widget (through nested shadow roots) whose text or label matches. */
function findByLabel(root: Element, label: RegExp): HTMLElement | null {
  for (const el of root.shadowRoot?.querySelectorAll<HTMLElement>('*') ?? []) {
    if (el.matches('button, a[href]') && label.test(`${el.textContent} ${el.getAttribute('aria-label') ?? ''}`)) return el;
    const inner = findByLabel(el, label);
    if (inner) return inner;
  }
  return null;
}

/** Clicks `name` once it is there (a visitor waits for the button to appear). */
async function press(root: Element, name: string, ms = 10_000): Promise<void> {
  await until(() => part(root, name) !== null, `the ${name} button`, ms);
  part(root, name)!.click();
}

/** Types into each input of the form (real key events), then presses its submit button. */
async function fillForm(artifact: PrepatuArtifact): Promise<void> {
  await artifact.updateComplete;
  const inputs = Array.from(artifact.shadowRoot!.querySelectorAll<HTMLInputElement>('[part~="input"]'));
  expect(inputs.length, 'form inputs').to.be.at.least(1);
  for (const input of inputs) {
    input.focus();
    await sendKeys({ type: input.type === 'email' ? TYPED.email : TYPED.name });
  }
  await until(() => inputs.every((i) => i.value !== ''), 'the typed values in the form');
  part(artifact, 'submit')!.click();
}

/**
 * The visitor's call: open the panel, start, hear the agent, then answer what the flow shows
 * (type the form and submit it, pick an option, confirm the summary) until the flow ends (or, past
 * its last screen, end the call), and close the panel. `whileLive` runs once the agent has spoken.
 */
async function call(page: VisitorPage, whileLive?: () => Promise<void>): Promise<void> {
  const { widget } = page;
  const statuses: string[] = [];
  widget.addEventListener('prepatu-status', (e) => statuses.push(e.detail.status));
  await press(widget, 'launcher');
  await until(() => widget.open, 'the panel to open');
  await press(widget, 'start');
  // Where the widget asks the visitor's consent before the call, the visitor gives it.
  await until(() => {
    if (widget.phase === 'idle') findByLabel(widget, /\b(accept|agree|allow|continue)\b/i)?.click();
    return widget.phase === 'live';
  }, 'the call to go live', 15_000).catch((e: Error) => {
    const state = widget.session?.state;
    throw new Error(`${e.message} (phase ${widget.phase}, status ${state?.status}, error ${state?.lastError?.code}: ${state?.lastError?.message})`);
  });
  await until(() => statuses.includes('speaking'), 'the agent to speak', 15_000);
  await whileLive?.();
  // The agent's first turn is heard out (its audio is paced in real time).
  await until(() => statuses.lastIndexOf('listening') > statuses.indexOf('speaking'), 'the agent to finish its first turn', 20_000);
  const artifact = deep<PrepatuArtifact>(widget, 'prepatu-artifact')!;
  const done: string[] = [];
  for (const end = performance.now() + 40_000; widget.phase === 'live' && performance.now() < end; ) {
    await until(() => widget.phase !== 'live' || ['form', 'option', 'confirm'].some((p) => part(artifact, p) && !done.includes(p)), 'the next screen of the flow', 15_000);
    if (widget.phase !== 'live') break;
    if (part(artifact, 'form') && !done.includes('form')) {
      await fillForm(artifact);
      done.push('form');
    } else if (part(artifact, 'option') && !done.includes('option')) {
      part(artifact, 'option')!.click();
      done.push('option');
    } else if (part(artifact, 'confirm') && !done.includes('confirm')) {
      part(artifact, 'confirm')!.click();
      done.push('confirm');
    }
  }
  expect(done, 'what the visitor did').to.include('form');
  if (widget.phase === 'live') await press(widget, 'end');
  await until(() => widget.phase === 'ended', 'the call to end', 15_000);
  await widget.updateComplete;
  // Where the ended call offers the transcript to download, the visitor takes it: it is made in
  // the browser, and the log must show nothing sent for it.
  findByLabel(widget, /download/i)?.click();
  await press(widget, 'close');
  await until(() => !widget.open, 'the panel to close');
}

/** Waits until every connection opened since `from` has closed, then returns the whole window's log. */
async function settledLog(from: number): Promise<Entry[]> {
  let entries: Entry[] = [];
  for (const end = performance.now() + 15_000; performance.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    entries = (await proxyLog(from)).entries;
    if (entries.every((e) => e.closed || isTestEndpoint(e, pageHost))) break;
  }
  return entries.filter((e) => !isTestEndpoint(e, pageHost));
}

/** Everything the guarantee rules out, by kind: each list is empty when the widget keeps it. */
function violations(entries: Entry[], allowed: string[], probes: Probes, known: string[]) {
  return {
    hosts: [...new Set(entries.map((e) => e.host))].filter((h) => !allowed.includes(h)),
    // The page's own origin gets only requests for files.
    ownOrigin: entries.filter((e) => e.host === pageHost && e.kind === 'http' && e.method !== 'GET').map(line),
    cookies: cookieProblems(entries),
    headers: headerProblems(entries),
    identifiers: identifierProblems(entries, pageHost, known),
    unreadable: entries.filter((e) => e.compressed).map(line),
    storage: probes.storage,
  };
}
const NONE = { hosts: [], ownOrigin: [], cookies: [], headers: [], identifiers: [], unreadable: [], storage: [] };

describe('privacy: what the widget stores and whom it contacts, across a whole call', function () {
  this.timeout(120_000);
  let baseline = '';

  before(async () => {
    const log = await proxyLog();
    if (!log.active) throw new Error('The recording proxy is not running: run this file through npm test (scripts/test.mjs gives test/privacy a pass of its own, PREPATU_SOLO=proxy).');
    baseline = await originStorage();
  });

  it('WebSocket through the site\'s session endpoint: only the page\'s origin, the session endpoint and the WebSocket server; no cookie, no identifier, no storage', async () => {
    const { siteBackend, cloud } = await servers();
    const sessionUrl = `${siteBackend}/session`;
    const from = (await proxyLog()).seq;
    // Muted from the start: the development server "understands" any sound as an answer, so a live
    // fake microphone would answer the form by voice before the visitor types. Muted, the
    // microphone is still open and streams (silence) through the same path.
    const page = await visitorPage(`session-url="${sessionUrl}" program-id="sample-onboarding" start-muted heading="Aria"`);

    // Loaded and opened, before the visitor starts a call: nothing leaves but requests for files.
    await press(page.widget, 'launcher');
    await until(() => page.widget.open, 'the panel to open');
    const idle = (await proxyLog(from)).entries.filter((e) => !isTestEndpoint(e, pageHost));
    expect(idle.filter((e) => e.host !== pageHost).map(line), 'requests before the visitor starts a call').to.deep.equal([]);
    expect(page.probes.microphone, 'microphone requests before the call').to.equal(0);
    await press(page.widget, 'close');

    await call(page);
    expect(page.probes.microphone, 'microphone requests').to.be.at.least(1);
    page.remove();
    const entries = await settledLog(from);

    const socket = entries.find((e) => e.kind === 'websocket' && e.host === hostOf(cloud));
    expect(socket, `the call's WebSocket to ${cloud}:\n${entries.map(line).join('\n')}`).to.not.equal(undefined);
    expect(socket!.binary!.client.frames, 'microphone frames on the socket').to.be.above(0);
    const sent = socket!.messages!.filter((m) => m.from === 'client').map((m) => m.text);
    expect(sent.some((t) => t.includes(TYPED.name) && t.includes(TYPED.email)), 'the typed form on the socket').to.equal(true);
    expect(entries.some((e) => e.host === hostOf(siteBackend) && e.method === 'POST'), 'the session request').to.equal(true);
    // The typed values went to the voice backend and nowhere else.
    const carriers = entries.filter((e) => [e.url, e.body, ...(e.messages ?? []).map((m) => m.from === 'client' && m.text)].some((t) => typeof t === 'string' && t.includes(TYPED.email)));
    expect([...new Set(carriers.map((e) => e.host))]).to.deep.equal([hostOf(cloud)]);

    const allowed = [pageHost, hostOf(siteBackend), hostOf(cloud)];
    expect(violations(entries, allowed, page.probes, [sessionUrl, TYPED.name, TYPED.email]), entries.map(line).join('\n')).to.deep.equal(NONE);
    expect(await originStorage(), 'what the origin holds after the call').to.equal(baseline);
  });

  const webrtc = typeof RTCPeerConnection === 'undefined' ? it.skip : it; // WebKitGTK here is built without WebRTC
  webrtc('WebRTC: only the page\'s origin and the WebRTC endpoint; ICE only with the addresses the server announced, no STUN or TURN server; no cookie, no identifier, no storage', async () => {
    const { documented } = await servers();
    const from = (await proxyLog()).seq;
    const page = await visitorPage(`transport="webrtc" webrtc-url="${documented}" program-id="sample-onboarding" start-muted`);
    // Where ICE went: the configuration the widget gave (no STUN/TURN servers) and the remote
    // candidates of the live connection.
    const remote: { address: string; type: string }[] = [];
    await call(page, async () => {
      for (const { pc } of page.probes.peers)
        (await pc.getStats()).forEach((s: { type: string; address?: string; ip?: string; candidateType?: string }) => {
          if (s.type === 'remote-candidate') remote.push({ address: s.address ?? s.ip ?? '', type: s.candidateType ?? '' });
        });
    });
    expect(page.probes.peers.length, 'peer connections').to.be.at.least(1);
    for (const { config } of page.probes.peers) expect(config?.iceServers ?? [], 'ICE servers').to.deep.equal([]);
    page.remove();
    const entries = await settledLog(from);
    const offer = entries.find((e) => e.host === hostOf(documented) && e.method === 'POST' && (e.path ?? '').startsWith('/offer'));
    expect(offer, 'the offer').to.not.equal(undefined);
    // The browser sent ICE checks only to addresses the voice server announced in its answer, or
    // answered the server's own checks where they came from (peer-reflexive, address often hidden).
    const announced = [...(offer!.responseBody ?? '').matchAll(/a=candidate:\S+ \d+ \w+ \d+ (\S+) \d+ typ/g)].map((m) => m[1]);
    expect(remote.length, 'remote ICE candidates').to.be.above(0);
    expect(remote.filter((c) => !(announced.includes(c.address) || c.type === 'prflx')), `remote ICE candidates the server did not announce (${announced.join(', ')})`).to.deep.equal([]);
    // PVP runs on the data channel, which the proxy cannot see: the page's record of it is judged too.
    const sent = page.probes.channel.filter((m) => m.from === 'client').map((m) => m.text);
    expect(sent.some((t) => t.includes(TYPED.name) && t.includes(TYPED.email)), 'the typed form on the data channel').to.equal(true);
    // Its messages come after everything the proxy saw, in their own order.
    const after = Math.max(...entries.map((e) => Math.max(e.seq, e.responseSeq ?? 0, ...(e.messages ?? []).map((m) => m.seq))));
    const messages = page.probes.channel.map((m, i) => ({ seq: after + 1 + i, ...m }));
    entries.push({ seq: after + 1, kind: 'datachannel', method: 'bot-messages', host: hostOf(documented), headers: {}, closed: true, messages });
    expect(violations(entries, [pageHost, hostOf(documented)], page.probes, [documented, TYPED.name, TYPED.email]), entries.map(line).join('\n')).to.deep.equal(NONE);
    expect(await originStorage(), 'what the origin holds after the call').to.equal(baseline);
  });

  // The control: a script that breaks every rule, in the same kind of page, judged the same way.
  // Each kind of record must catch it, or the tests above could not fail.
  it('control: a misbehaving script is caught by every instrument (storage, cookie, foreign host, an id on a socket in a Worker)', async () => {
    const { documented } = await servers();
    const socketUrl = `${documented.replace(/^http/, 'ws')}/ws?mode=flow&program_id=sample-onboarding&visitor_id=${crypto.randomUUID()}`;
    const worker = `const ws = new WebSocket(${JSON.stringify(socketUrl)});
      ws.onopen = () => ws.send(JSON.stringify({ type: 'ui_event', action: 'hello', data: { device: '${crypto.randomUUID()}' } }));
      ws.onmessage = () => { ws.close(); postMessage('done'); };`;
    const from = (await proxyLog()).seq;
    const page = await visitorPage('', {
      text: `document.cookie = 'seen=1';
        localStorage.setItem('visitor', 'x');
        indexedDB.open('prepatu-control');
        await caches.open('prepatu-control');
        await fetch('/package.json');
        await fetch('http://tracker.example/pixel', { mode: 'no-cors' }).catch(() => {});
        const w = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(worker)}], { type: 'text/javascript' })));
        await new Promise((r) => (w.onmessage = r));
        window.controlDone = true;`,
    });
    await until(() => (page.win as unknown as { controlDone?: boolean }).controlDone === true, 'the control script', 15_000);
    page.remove();
    const entries = await settledLog(from);
    const found = violations(entries, [pageHost, hostOf(documented)], page.probes, []);
    const storageAfter = await originStorage();
    // WebKitGTK under automation keeps a page's cookie in that page only (the origin's jar and its
    // requests never get it); where the browser does store it, the proxy must see it sent.
    const cookieStored = document.cookie.includes('seen=1');
    // Clean up before judging, so a failure here does not spill into another file's origin.
    document.cookie = 'seen=; max-age=0';
    localStorage.clear();
    indexedDB.deleteDatabase('prepatu-control');
    await caches.delete('prepatu-control');

    expect(found.storage).to.include.members(['document.cookie=', 'localStorage', 'Storage.setItem', 'indexedDB', 'indexedDB.open', 'caches', 'caches.open']);
    expect(found.hosts).to.deep.equal(['tracker.example']);
    if (cookieStored) expect(found.cookies.join('\n')).to.contain('Cookie: seen=1');
    const socket = entries.find((e) => e.kind === 'websocket' && e.host === hostOf(documented));
    expect(socket?.messages?.some((m) => m.from === 'client' && m.text.includes('hello')), 'the worker socket\'s message in the log').to.equal(true);
    expect(found.identifiers.filter((p) => p.includes('visitor_id')), 'the made-up id in the socket URL').to.not.be.empty;
    expect(found.identifiers.filter((p) => p.includes('data.device')), 'the made-up id in a socket message').to.not.be.empty;
    expect(storageAfter).to.not.equal(baseline);
  });
});
