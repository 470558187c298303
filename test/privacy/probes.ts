// Wrappers installed in a page's window before the widget's code loads: every use of a storage
// API (cookies, Web Storage, IndexedDB, Cache Storage, the storage manager, Cookie Store, service
// workers) is written down with its name, and so are the microphone requests and the peer
// connections' configurations (for the ICE servers and candidates of a WebRTC call).

export interface Probes {
  /** Storage API uses, in order: "localStorage", "Storage.setItem", "document.cookie=", … */
  storage: string[];
  /** How many times the page asked for the microphone. */
  microphone: number;
  /** Each RTCPeerConnection the page made, with the configuration it was given. */
  peers: { pc: RTCPeerConnection; config: RTCConfiguration | undefined }[];
  /** Text on the peer connections' data channels, both ways, in order. */
  channel: { from: 'client' | 'server'; text: string }[];
}

type Win = Window & typeof globalThis;

/** The object on `obj`'s prototype chain that owns `name`, with its descriptor. */
function owner(obj: object, name: string): { at: object; d: PropertyDescriptor } | null {
  for (let at: object | null = obj; at; at = Object.getPrototypeOf(at) as object | null) {
    const d = Object.getOwnPropertyDescriptor(at, name);
    if (d) return { at, d };
  }
  return null;
}

/** Records reads (and writes) of an accessor property wherever on the chain it is defined. */
function wrapAccessor(obj: object, name: string, label: string, log: string[]): void {
  const found = owner(obj, name);
  if (!found?.d.get) return;
  const { at, d } = found;
  Object.defineProperty(at, name, {
    configurable: true,
    enumerable: d.enumerable,
    get(this: unknown) {
      log.push(label);
      return d.get!.call(this);
    },
    ...(d.set && {
      set(this: unknown, v: unknown) {
        log.push(`${label}=`);
        d.set!.call(this, v);
      },
    }),
  });
}

/** Records calls of the named methods of a prototype. */
function wrapMethods(proto: object | undefined, type: string, names: string[], log: string[]): void {
  if (!proto) return;
  for (const name of names) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (typeof d?.value !== 'function') continue;
    const original = d.value as (...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      ...d,
      value: function (this: unknown, ...args: unknown[]) {
        log.push(`${type}.${name}`);
        return original.apply(this, args);
      },
    });
  }
}

/** Installs the wrappers in `win` (a page whose scripts have not run yet) and returns their record. */
export function installProbes(win: Win): Probes {
  const probes: Probes = { storage: [], microphone: 0, peers: [], channel: [] };
  const log = probes.storage;
  const g = win as unknown as Record<string, { prototype?: object } | undefined>;

  wrapAccessor(win.document, 'cookie', 'document.cookie', log);
  for (const name of ['localStorage', 'sessionStorage', 'indexedDB', 'caches', 'cookieStore', 'openDatabase'])
    if (name in win) wrapAccessor(win, name, name, log);
  wrapMethods(g['Storage']?.prototype, 'Storage', ['getItem', 'setItem', 'removeItem', 'clear', 'key'], log);
  wrapAccessor(g['Storage']?.prototype ?? {}, 'length', 'Storage.length', log);
  wrapMethods(g['IDBFactory']?.prototype, 'indexedDB', ['open', 'deleteDatabase', 'databases'], log);
  wrapMethods(g['CacheStorage']?.prototype, 'caches', ['open', 'keys', 'match', 'has', 'delete'], log);
  wrapAccessor(win.navigator, 'storage', 'navigator.storage', log);
  wrapMethods(g['StorageManager']?.prototype, 'navigator.storage', ['persist', 'persisted', 'estimate', 'getDirectory'], log);
  wrapMethods(g['CookieStore']?.prototype, 'cookieStore', ['get', 'getAll', 'set', 'delete'], log);
  wrapAccessor(win.navigator, 'serviceWorker', 'navigator.serviceWorker', log);
  wrapMethods(g['ServiceWorkerContainer']?.prototype, 'serviceWorker', ['register', 'getRegistration', 'getRegistrations'], log);

  // On the prototype: WebKit may hand out a new wrapper object for navigator.mediaDevices.
  const MediaDevices = g['MediaDevices']?.prototype as MediaDevices | undefined;
  if (MediaDevices) {
    const { getUserMedia } = MediaDevices;
    MediaDevices.getUserMedia = function (this: MediaDevices, constraints?: MediaStreamConstraints) {
      probes.microphone++;
      return getUserMedia.call(this, constraints);
    };
  }

  const Peer = win.RTCPeerConnection;
  if (Peer) {
    // A function that constructs the real thing: `new` on it returns the real connection.
    const Recorded = function (config?: RTCConfiguration) {
      const pc = new Peer(config);
      probes.peers.push({ pc, config });
      return pc;
    } as unknown as typeof RTCPeerConnection;
    Object.setPrototypeOf(Recorded, Peer);
    Object.defineProperty(Recorded, 'prototype', { value: Peer.prototype });
    win.RTCPeerConnection = Recorded;
    const { createDataChannel } = Peer.prototype;
    Peer.prototype.createDataChannel = function (this: RTCPeerConnection, ...args: Parameters<typeof createDataChannel>) {
      const dc = createDataChannel.apply(this, args);
      const { send } = dc;
      dc.send = (data: never) => {
        if (typeof data === 'string') probes.channel.push({ from: 'client', text: data });
        send.call(dc, data);
      };
      dc.addEventListener('message', (e: MessageEvent) => {
        if (typeof e.data === 'string') probes.channel.push({ from: 'server', text: e.data });
      });
      return dc;
    };
  }
  return probes;
}
