import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type LintReport, lint } from '@galley/linter';
import { allRules } from '@galley/rules';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pLimit from 'p-limit';
import { makeTempDir, removeTempDir } from '../../support/process.js';
import { type Swarm, swarm } from '../../support/swarm.js';
import { CASES, type SwarmCase } from './cases.js';
import { askDeploy, askLoader, type DockerAnswer, type DockerClient, dockerClient, loadedValue, writeCase } from './oracle.js';
import { agreementTable, agrees, type GalleyVerdict, type Row } from './table.js';

/**
 * The swarm differential suite: every case is asked of docker (each run, no
 * cache: the loader always, a real deploy to the test swarm where only it can
 * tell, see below) and of galley's swarm preset; they must agree: an error exactly when
 * docker refuses, a warning exactly when docker warns, drops the key at
 * deploy, or reads a variable differently than docker compose. Run with
 * GALLEY_WRITE_AGREEMENT=1 to rewrite docs/lint-swarm-agreement.md.
 */
const root = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../..');
/**
 * The published tables: one for a client with `docker stack config` (the
 * docker 28 client these machines put first on PATH), one for a client
 * without it (Debian's 20.10 on a fresh machine), where `docker stack deploy`
 * answers alone.
 */
const docFor = (client: DockerClient) => path.join(root, client.hasStackConfig ? 'docs/lint-swarm-agreement.md' : 'docs/lint-swarm-agreement-stack-deploy.md');

/**
 * Rules that give advice rather than say what docker does: off here, since
 * docker neither refuses nor warns about what they find.
 */
const ADVISORY_RULES: Record<string, string> = {
  'swarm/healthcheck': 'a missing healthcheck is advice; docker deploys without one',
  'compose/unquoted-port': 'about YAML 1.1 readers, not docker',
  'compose/variable-in-key': 'docker keeps the key literally, without a word; the rule says what that means for routers',
  'compose/image-untagged': 'advice; docker deploys :latest',
  'compose/unused-network': 'advice',
  'compose/unused-volume': 'advice',
  'compose/unused-secret': 'advice',
  'compose/unused-config': 'advice',
  'security/host-namespace': 'advice',
  'security/privileged': 'advice',
  'security/capabilities': 'advice',
};

let client: DockerClient;
let handle: Swarm;
let dir: string;
const rows: Row[] = [];

function galleyVerdicts(report: LintReport, ids: readonly string[]): Map<string, { verdict: GalleyVerdict; said: string }> {
  const out = new Map<string, { verdict: GalleyVerdict; said: string }>();
  for (const target of report.targets) {
    const id = ids.find((i) => target.target === `${i}/compose.yml`);
    if (!id) continue;
    const errors = target.findings.filter((f) => f.severity === 'error');
    const warnings = target.findings.filter((f) => f.severity === 'warning');
    const first = errors[0] ?? warnings[0];
    out.set(id, { verdict: errors.length ? 'error' : warnings.length ? 'warning' : 'ok', said: first ? `${first.ruleId}: ${first.message}` : '' });
  }
  return out;
}

beforeAll(async () => {
  client = await dockerClient();
  handle = await swarm();
  dir = await makeTempDir('lint-swarm');
  await Promise.all(CASES.map((c) => writeCase(path.join(dir, c.id), c)));
  const off = Object.keys(ADVISORY_RULES)
    .map((id) => `  ${id}: off\n`)
    .join('');
  await writeFile(path.join(dir, '.galley.yml'), `preset: swarm\ndockerVersion: "${client.majorMinor}"\nrules:\n${off}`);

  const report = await lint(
    CASES.map((c) => c.id),
    { rules: allRules, cwd: dir },
  );
  const galley = galleyVerdicts(
    report,
    CASES.map((c) => c.id),
  );

  const loaderPool = pLimit(4);
  const deployPool = pLimit(2);
  const run = randomBytes(3).toString('hex');
  const answers = await Promise.all(
    CASES.map((c, i) =>
      loaderPool(async (): Promise<DockerAnswer> => {
        const caseDir = path.join(dir, c.id);
        const loaded = await askLoader(caseDir, c, client);
        if (loaded.verdict === 'refused') return loaded;
        // A real deploy where only it can tell: keys the service may lose, variables
        // without `stack config` to print them, and where galley reports an error the
        // loader does not make (the conversion to services or the engine may refuse).
        const galleyErrs = galley.get(c.id)?.verdict === 'error';
        const needsDeploy = c.deploy !== undefined || (c.composeValue !== undefined && !client.hasStackConfig) || galleyErrs;
        if (!needsDeploy) {
          if (c.composeValue !== undefined && loadedValue(loaded.config) !== c.composeValue) {
            return { verdict: 'changed', said: `V is ${JSON.stringify(loadedValue(loaded.config))}, not ${JSON.stringify(c.composeValue)}`, how: loaded.how };
          }
          return loaded;
        }
        const deployed = await deployPool(() => askDeploy(caseDir, c, `galley-lint-${run}-${i}`, handle));
        if (deployed.verdict === 'refused' || deployed.verdict === 'dropped') return deployed;
        if (c.composeValue !== undefined) {
          const value = deployed.env?.find((e) => e.startsWith('V='))?.slice(2);
          if (value !== c.composeValue)
            return { verdict: 'changed', said: `V is ${JSON.stringify(value)}, not ${JSON.stringify(c.composeValue)}`, how: deployed.how };
        }
        return loaded.verdict === 'warned' ? loaded : deployed;
      }),
    ),
  );

  // What docker said, without this run's temp folder and stack names, so the table is the same each run.
  const stable = (said: string) => said.replaceAll(dir, '<dir>').replace(/galley-lint-[0-9a-f]+-\d+/g, '<stack>');
  CASES.forEach((c: SwarmCase, i) => {
    const g = galley.get(c.id) ?? { verdict: 'error' as const, said: 'galley linted nothing here' };
    const docker = answers[i]!;
    rows.push({ case: c, docker: { ...docker, said: stable(docker.said) }, galley: g.verdict, galleySaid: g.said });
  });
  if (process.env.GALLEY_WRITE_AGREEMENT) writeFileSync(docFor(client), agreementTable(rows, client));
}, 20 * 60_000);

afterAll(async () => {
  if (dir) await removeTempDir(dir);
});

describe('galley lint --preset swarm agrees with docker', () => {
  it('on every case', () => {
    const disagreements = rows
      .filter((r) => !agrees(r.docker.verdict, r.galley))
      .map((r) => `${r.case.id} (${r.case.what}): docker ${r.docker.verdict} [${r.docker.said}] via ${r.docker.how}; galley ${r.galley} [${r.galleySaid}]`);
    expect(disagreements).toEqual([]);
    expect(rows).toHaveLength(CASES.length);
  });

  it('the published table is what this run found (GALLEY_WRITE_AGREEMENT=1 rewrites it)', () => {
    const doc = readFileSync(docFor(client), 'utf8');
    const listed = [...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(CASES.map((c) => c.id));
    // The table records the client it was made with; asked of that client again, docker and galley
    // must answer as the table says, line for line. Another version of the client may word things
    // differently: then only the cases are compared.
    const recorded = /^Docker client (\S+)/m.exec(doc)?.[1];
    if (recorded !== client.version) return;
    const fresh = agreementTable(rows, client).split('\n');
    const published = new Set(doc.split('\n'));
    const now = new Set(fresh);
    expect({ changed: fresh.filter((l) => !published.has(l)), gone: doc.split('\n').filter((l) => !now.has(l)) }).toEqual({ changed: [], gone: [] });
  });
});
