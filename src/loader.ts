// dist/prepatu.iife.js: a classic script cannot split its code, so it is a small loader that
// imports the ES module bundle (dist/prepatu.js and its chunks) from beside itself, wherever it is
// served from (any CDN path that sends CORS headers, or the site under script-src 'self').
// `Prepatu.ready` resolves with the bundle's exports (`PrepatuWidget`, `load`…), which are also
// copied onto `Prepatu`; `await Prepatu.load()` gives the whole API (`VoiceAgent`…).
type Bundle = typeof import('./prepatu.js');
interface PrepatuGlobal {
  ready: Promise<Bundle>;
  load(): ReturnType<Bundle['load']>;
}

const script = document.currentScript as HTMLScriptElement | null;
const entry = new URL('prepatu.js', script?.src || document.baseURI).href;
const g = globalThis as unknown as { Prepatu?: PrepatuGlobal };
if (!g.Prepatu) {
  const ready: Promise<Bundle> = import(/* @vite-ignore */ entry);
  const api: PrepatuGlobal = { ready, load: () => ready.then((m) => m.load()) };
  g.Prepatu = api;
  void ready.then(
    (m) => Object.assign(api, m, { load: m.load }),
    (e: unknown) => console.warn(`Prepatu: ${entry} could not be loaded: ${String((e as Error)?.message ?? e)}`),
  );
}
