// Tests run in real engines against real development-server processes.
// Which engines: PREPATU_BROWSERS (comma list of chromium, firefox, webkit), set by scripts/test.mjs.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { devServersPlugin } from './test/support/dev-servers-plugin.mjs';
import { proxySettings, recordingProxyPlugin, startRecordingProxy } from './test/support/recording-proxy.mjs';
import { findBrowser } from './scripts/browsers.mjs';
import { writeFixtures } from './test/support/fixtures.mjs';
import { filesFor } from './scripts/test-files.mjs';

const fixtures = writeFixtures();
const wanted = (process.env.PREPATU_BROWSERS ?? 'chromium').split(',').filter(Boolean);

const solo = process.env.PREPATU_SOLO;
const files = filesFor(solo);
// The privacy files' pass: all of each engine's page traffic goes through the recording proxy.
const proxy = solo === 'proxy' ? await startRecordingProxy() : undefined;
const proxied = proxy ? proxySettings(proxy) : undefined;

const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${fixtures.micWav}`,
];

const launchers = {
  chromium: () =>
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: findBrowser('chromium'), args: [...chromiumArgs, ...(proxied?.chromiumArgs ?? [])], headless: true },
      createBrowserContext: proxied?.chromiumContext,
    }),
  firefox: () =>
    puppeteerLauncher({
      launchOptions: {
        browser: 'firefox',
        executablePath: findBrowser('firefox'),
        headless: true,
        extraPrefsFirefox: {
          'media.navigator.streams.fake': true,
          'media.navigator.permission.disabled': true,
          'media.autoplay.default': 0,
          'media.autoplay.blocking_policy': 0,
          'network.proxy.allow_hijacking_localhost': true,
          ...proxied?.firefoxPrefs,
        },
        ...(proxied && { env: proxied.firefoxEnv }),
      },
    }),
  webkit: () =>
    webdriverLauncher({
      automationProtocol: 'webdriver',
      hostname: '127.0.0.1',
      port: Number(process.env.WEBKIT_WEBDRIVER_PORT ?? 4444),
      path: '/',
      capabilities: {
        browserName: 'MiniBrowser',
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': {
          binary: findBrowser('webkit'),
          args: ['--automation', '--enable-mock-capture-devices=true', '--enable-media-stream=true', '--autoplay-policy=allow', ...(proxied?.webkitArgs ?? [])],
        },
      },
    }),
};

export default {
  files,
  nodeResolve: true,
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  rootDir: '.',
  // Two files at once only in Chromium, where every page has its own focus and frames. Firefox
  // (puppeteer) and WebKit (WebDriver) put the pages in tabs of one window, and a background tab
  // gets no keyboard focus and no animation frames.
  concurrency: solo !== '1' && wanted.length === 1 && wanted[0] === 'chromium' ? 2 : 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 20_000 } },
  browsers: wanted.map((name) => launchers[name]()),
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), devServersPlugin(), recordingProxyPlugin(proxy)],
};
