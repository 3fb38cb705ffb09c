import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runGalley } from '../support/cli.js';
import { type LocalHttpServer, makeTempDir, removeTempDir, startHttpServer } from '../support/index.js';

/**
 * `galley lint --online` through the built CLI: the two online rules ask a
 * local stand-in for the catalogue (recipes.coopcloud.tech) and the forge
 * (git.coopcloud.tech) through galley's HTTP client, as bundled.
 */
let forge: LocalHttpServer;
let dir: string;
const seen: string[] = [];

const recipe = (name: string) => {
  mkdirSync(path.join(dir, name));
  const compose =
    'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - DOMAIN\n    deploy:\n      labels:\n        - "traefik.enable=true"\n';
  writeFileSync(path.join(dir, name, 'compose.yml'), compose);
  writeFileSync(path.join(dir, name, '.env.sample'), `TYPE=${name}\nDOMAIN=${name}.example.com\n`);
};

beforeAll(async () => {
  forge = await startHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/recipes.json') {
      const body = JSON.stringify({ listed: { name: 'listed', versions: [{ '1.0.0+1.27.3': {} }] } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }).end(body);
    } else if (req.url === '/coop-cloud/listed') res.writeHead(200, { 'content-type': 'text/html', 'content-length': '0' }).end();
    else res.writeHead(404, { 'content-type': 'text/plain', 'content-length': '9' }).end(req.method === 'HEAD' ? undefined : 'not found');
  });
  dir = await makeTempDir('galley-lint-online');
  recipe('listed');
  recipe('unknown');
});

afterAll(async () => {
  await forge?.stop();
  if (dir) await removeTempDir(dir);
});

const config = (forgeUrl: string) =>
  `rules:\n  recipe/published-version: [warning, { catalogueUrl: "${forge.url}/recipes.json" }]\n  recipe/upstream-repository: [warning, { repositoryUrl: "${forgeUrl}/coop-cloud/{name}", timeoutSeconds: 5 }]\n`;

type Report = { targets: { findings: { ruleId: string; message: string; severity: string }[] }[] };
const findings = (stdout: string) =>
  (JSON.parse(stdout) as Report).targets.map((t) =>
    t.findings.filter((f) => f.ruleId.startsWith('recipe/published') || f.ruleId.startsWith('recipe/upstream')),
  );

describe('galley lint --online', () => {
  it('asks the catalogue once per run and the forge once per recipe; without --online it asks nothing', async () => {
    writeFileSync(path.join(dir, '.galley.yml'), config(forge.url));
    const offline = await runGalley(['lint', 'listed', 'unknown', '--format', 'json'], { cwd: dir });
    expect(offline.code).toBe(0);
    expect(seen).toEqual([]);

    const online = await runGalley(['lint', 'listed', 'unknown', '--online', '--format', 'json'], { cwd: dir });
    expect(online.stderr).toBe('');
    expect(online.code).toBe(0);
    const [listed, unknown] = findings(online.stdout);
    expect(listed).toEqual([]);
    expect(unknown!.map((f) => f.message).sort()).toEqual([
      `the catalogue at ${forge.url}/recipes.json does not list recipe "unknown"`,
      `the recipe repository ${forge.url}/coop-cloud/unknown does not exist (HTTP 404)`,
    ]);
    expect([...seen].sort()).toEqual(['GET /recipes.json', 'HEAD /coop-cloud/listed', 'HEAD /coop-cloud/unknown']);
  }, 60_000);

  it('says what happened when the forge cannot be reached, as information', async () => {
    writeFileSync(path.join(dir, '.galley.yml'), config('http://127.0.0.1:1'));
    const result = await runGalley(['lint', 'listed', '--online', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    const [listed] = findings(result.stdout);
    expect(listed).toEqual([
      expect.objectContaining({
        ruleId: 'recipe/upstream-repository',
        severity: 'info',
        message: expect.stringMatching(
          /^could not check the recipe repository http:\/\/127\.0\.0\.1:1\/coop-cloud\/listed: 127\.0\.0\.1:1: connection refused \(gave up after 2 attempts\)/,
        ),
      }),
    ]);
  }, 60_000);
});
