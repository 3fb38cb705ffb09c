import http from 'node:http';
import https from 'node:https';

/**
 * A `fetch` on node:http with keep-alive agents. Node 20's built-in fetch
 * opens a new connection for every `HEAD` whose answer has a Content-Length
 * (every registry digest request does): measured, 20 HEADs took 20
 * connections, 20 GETs two. Digests are most of a catalogue run's requests,
 * so they go through this instead. It follows redirects (dropping
 * Authorization when the origin changes), honours `signal`, and errors a
 * body cut short with a TypeError, as fetch does.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

const NULL_BODY = new Set([101, 204, 205, 304]);
const MAX_REDIRECTS = 5;

function once(url: URL, init: RequestInit, headers: Record<string, string>): Promise<{ response: Response; location?: string }> {
  return new Promise((resolve, reject) => {
    const method = init.method ?? 'GET';
    const client = url.protocol === 'https:' ? https : http;
    const agent = agents[url.protocol as 'http:' | 'https:'];
    if (!agent) {
      reject(new TypeError(`unsupported protocol ${url.protocol}`));
      return;
    }
    const request = client.request(url, { method, headers, agent, ...(init.signal ? { signal: init.signal } : {}) }, (message) => {
      const status = message.statusCode ?? 0;
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(message.headers)) {
        if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
        else if (value !== undefined) responseHeaders.set(name, value);
      }
      const location = status >= 300 && status < 400 ? message.headers.location : undefined;
      if (method === 'HEAD' || NULL_BODY.has(status) || location) {
        message.resume();
        resolve({ response: new Response(null, { status, headers: responseHeaders }), ...(location ? { location } : {}) });
        return;
      }
      let done = false;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          message.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
          message.on('end', () => {
            done = true;
            controller.close();
          });
          const fail = () => {
            if (done) return;
            done = true;
            controller.error(new TypeError('terminated: the answer was cut short'));
          };
          message.on('aborted', fail);
          message.on('error', fail);
          message.on('close', () => {
            if (!message.complete) fail();
          });
        },
        cancel() {
          message.destroy();
        },
      });
      resolve({ response: new Response(body, { status, headers: responseHeaders }) });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') {
        const reason = init.signal?.reason as Error | undefined;
        reject(reason ?? error);
        return;
      }
      reject(Object.assign(new TypeError('fetch failed'), { cause: error }));
    });
    if (init.body !== undefined && init.body !== null) request.end(String(init.body));
    else request.end();
  });
}

export const keepAliveFetch: typeof fetch = async (input, init = {}) => {
  let url = new URL(input instanceof Request ? input.url : String(input));
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  for (let hop = 0; ; hop++) {
    const { response, location } = await once(url, init, headers);
    if (!location) return response;
    if (hop >= MAX_REDIRECTS) throw new TypeError(`too many redirects from ${url.href}`);
    const next = new URL(location, url);
    if (next.origin !== url.origin) delete headers.authorization;
    url = next;
  }
};
