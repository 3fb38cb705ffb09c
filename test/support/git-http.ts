import { spawn } from 'node:child_process';
import { type LocalHttpServer, startHttpServer } from './http.js';

export interface GitHttpServer {
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** http://127.0.0.1:PORT/<name>.git */
  url(name: string): string;
  /** Requests answered so far (path and query), for assertions. */
  readonly requests: string[];
  stop(): Promise<void>;
}

/**
 * Serves the bare repositories under `root` over git's smart HTTP protocol
 * with the real `git http-backend` (run as CGI for each request), as forges
 * serve `https://…/<repo>.git`.
 */
export async function startGitHttpServer(root: string): Promise<GitHttpServer> {
  const requests: string[] = [];
  const server: LocalHttpServer = await startHttpServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${url.pathname}${url.search}`);
    const child = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      },
    });
    req.pipe(child.stdin);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
    const output = Buffer.concat(chunks);
    const split = output.indexOf('\r\n\r\n');
    const head = output.subarray(0, split).toString('latin1');
    let status = 200;
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else if (name) res.setHeader(name, value);
    }
    res.statusCode = status;
    res.end(output.subarray(split + 4));
  });
  return {
    baseUrl: server.url,
    url: (name) => `${server.url}/${name}.git`,
    requests,
    stop: () => server.stop(),
  };
}
