import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** A local stand-in for a web service, on 127.0.0.1 and a free port. */
export interface HttpDouble {
  url: string;
  requests: { method: string; path: string }[];
  stop(): Promise<void>;
}

export function startHttpDouble(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<HttpDouble> {
  const requests: HttpDouble['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '' });
    handler(req, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('no address'));
        return;
      }
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        requests,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
