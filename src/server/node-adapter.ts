/**
 * Node `http` and Express adapter for a Fetch API handler. Typed structurally, so this module
 * needs no Node type definitions: `IncomingMessage`/`ServerResponse` (and Express's `req`/`res`)
 * fit these shapes.
 */

/** The parts of a Node `IncomingMessage` (or an Express `Request`) the adapter reads. */
export interface NodeRequestLike {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Set by a body parser (Express `express.json()`): used instead of the consumed stream. */
  body?: unknown;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  resume(): unknown;
}

/** The parts of a Node `ServerResponse` (or an Express `Response`) the adapter writes. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(chunk: string): unknown;
}

/** The request body as a stream the handler reads at its own pace and may cancel (size limit). */
function bodyStream(req: NodeRequestLike): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk) => open && controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : new Uint8Array(chunk)));
      req.on('end', () => open && ((open = false), controller.close()));
      req.on('error', (e) => open && ((open = false), controller.error(e)));
    },
    cancel() {
      open = false;
      req.resume(); // drain what is left, so the answer can still be written
    },
  });
}

function toRequest(req: NodeRequestLike): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', `http://${headers.get('host') ?? 'localhost'}`);
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  if (req.body !== undefined) {
    // Already parsed by middleware: hand the handler JSON again.
    const b = req.body;
    const body = typeof b === 'string' ? b : b instanceof Uint8Array ? new Uint8Array(b) : JSON.stringify(b);
    headers.delete('content-length');
    return new Request(url, { method, headers, body });
  }
  // `duplex` is required by Node's fetch for a streamed body; the DOM typings do not know it yet.
  const init: RequestInit & { duplex: 'half' } = { method, headers, body: bodyStream(req), duplex: 'half' };
  return new Request(url, init);
}

/**
 * Serves a Fetch API handler from Node's `http` server or Express.
 *
 * ```js
 * app.post('/api/start-session', toNodeHandler(createSessionHandler({ apiKey: process.env.PREPATU_API_KEY })));
 * ```
 */
export function toNodeHandler(handler: (request: Request) => Promise<Response>): (req: NodeRequestLike, res: NodeResponseLike) => void {
  return (req, res) => {
    void (async () => {
      let response: Response;
      try {
        response = await handler(toRequest(req));
      } catch {
        response = new Response(JSON.stringify({ error: { code: 'internal_error', message: 'The session endpoint failed.' } }), {
          status: 500,
          headers: { 'Content-Type': 'application/json; charset=utf-8' },
        });
      }
      res.statusCode = response.status;
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.end(await response.text());
    })();
  };
}
