import {
  type AppSecrets,
  describeSource,
  generateAppSecrets,
  insertAppSecret,
  listAppSecrets,
  openAppSecrets,
  openServerOf,
  removeAppSecrets,
} from '@galley/deploy';
import { EXIT, GalleyError, indentedList, visible } from '@galley/platform';
import type { Docker } from '@galley/platform/docker';
import { contextOption, type RecipeLocationFlags, recipeLocation } from './deploy-shared.js';

type SecretFlags = RecipeLocationFlags & { context?: string };

async function withSecrets<T>(appEnvFile: string, flags: SecretFlags, work: (ctx: AppSecrets, docker: Docker) => Promise<T>): Promise<T> {
  const ctx = await openAppSecrets(appEnvFile, recipeLocation(flags));
  try {
    const docker = await openServerOf(appEnvFile, contextOption(flags));
    // Which engine the secrets are in: on stderr, so stdout stays the answer.
    process.stderr.write(`${visible(docker.describe())}\n`);
    try {
      return await work(ctx, docker);
    } finally {
      docker.close();
    }
  } finally {
    await ctx.dispose();
  }
}

export async function secretGenerate(appEnvFile: string, keys: string[], flags: SecretFlags & { json?: boolean }): Promise<number> {
  const outcome = await withSecrets(appEnvFile, flags, (ctx, docker) => generateAppSecrets(ctx, docker, keys));
  if (flags.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else {
    const lines = [...outcome.created.map((c) => `created ${c.name} (${c.how})`), ...outcome.skipped.map((s) => `skipped ${s.name}: ${s.why}`)];
    process.stdout.write(`${lines.length ? indentedList(lines, '') : 'the recipe declares no secrets'}\n`);
  }
  const manual = outcome.skipped.some((s) => s.reason === 'manual');
  return manual ? EXIT.FAILED : EXIT.OK;
}

export async function secretInsert(
  appEnvFile: string,
  key: string,
  version: string,
  source: string | undefined,
  flags: SecretFlags & { keepNewline?: boolean },
): Promise<number> {
  if (source !== undefined && source !== '-') {
    throw new GalleyError(
      'usage',
      `galley reads secret values from stdin only (a value in the arguments would show in the process list and shell history): galley secret insert ${appEnvFile} ${key} ${version} - < file`,
    );
  }
  const name = await withSecrets(appEnvFile, flags, async (ctx, docker) => {
    const value = await readSecretValue(`value of ${key} ${version} (not shown): `, flags.keepNewline ?? false);
    return insertAppSecret(ctx, docker, key, version, value);
  });
  process.stdout.write(`created ${visible(name)}\n`);
  return EXIT.OK;
}

export async function secretList(appEnvFile: string, flags: SecretFlags & { json?: boolean }): Promise<number> {
  const listing = await withSecrets(appEnvFile, flags, (ctx, docker) => listAppSecrets(ctx, docker));
  if (flags.json) {
    const rows = listing.map((s) => ({
      secret: s.key,
      version: s.version ?? null,
      name: s.name,
      exists: s.exists,
      generate: describeSource(s.source),
      otherVersions: s.otherVersions,
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.OK;
  }
  if (!listing.length) {
    process.stdout.write('the recipe declares no external secrets\n');
    return EXIT.OK;
  }
  const rows = [['SECRET', 'VERSION', 'NAME', 'IN SWARM', 'GENERATED AS', 'OTHER VERSIONS']];
  for (const s of listing)
    rows.push([s.key, s.version ?? '-', s.name, s.exists ? 'yes' : 'no', describeSource(s.source), s.otherVersions.join(', ')].map(visible));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write(
    `${rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n')}\n`,
  );
  return EXIT.OK;
}

export async function secretRemove(
  appEnvFile: string,
  key: string | undefined,
  version: string | undefined,
  flags: SecretFlags & { all?: boolean },
): Promise<number> {
  const removed = await withSecrets(appEnvFile, flags, (ctx, docker) =>
    removeAppSecrets(ctx, docker, { ...(key ? { key } : {}), ...(version ? { version } : {}), ...(flags.all ? { all: true } : {}) }),
  );
  process.stdout.write(removed.length ? `removed ${visible(removed.join(', '))}\n` : 'no secret to remove\n');
  return EXIT.OK;
}

/** A secret value from stdin: piped (one trailing newline dropped unless asked), or typed on a terminal without echo. */
async function readSecretValue(prompt: string, keepNewline: boolean): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) return readHidden(prompt);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return keepNewline ? text : text.replace(/\r?\n$/, '');
}

function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n' || c === '\u0004') return done();
        if (c === '\u0003') return done(new GalleyError('interrupted', 'interrupted: no secret was created', { exitCode: 130 }));
        if (c === '\u007f' || c === '\b') value = value.slice(0, -1);
        else value += c;
      }
    };
    stdin.on('data', onData);
  });
}
