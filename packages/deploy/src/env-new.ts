import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { writeFileAtomic } from '@galley/platform/fs';
import { envEntry, parseEnvFile } from '@galley/recipe';
import { parseAppEnv } from './app-env.js';
import { type GenerateOutcome, generateAppSecrets, openAppSecrets } from './app-secrets.js';
import { defaultAbraDir, locateRecipe, type RecipeLocation } from './recipe-locator.js';
import { openServer } from './server.js';

/**
 * `galley env new <recipe> <domain> --server S [--secrets]`: a new app env
 * file, `<abra dir>/servers/<S>/<domain>.env`, made from the recipe's
 * `.env.sample` (at its newest release, or the one asked for), with DOMAIN
 * and TYPE set. `--secrets` also generates the app's secrets on server S
 * (its docker context); their values are never printed.
 */
export interface EnvNewOptions extends RecipeLocation {
  recipe: string;
  domain: string;
  server: string;
  secrets?: boolean;
  /** `--context`: reach the server through another docker context than its name. */
  context?: string;
}

export interface EnvNewResult {
  file: string;
  recipe: string;
  version?: string;
  secrets?: GenerateOutcome;
}

export async function newAppEnv(options: EnvNewOptions): Promise<EnvNewResult> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.server)) {
    throw new GalleyError('usage', `--server ${options.server}: a server name is a folder name and a docker context name (letters, digits, ".", "_", "-")`);
  }
  const abraDir = options.abraDir ?? defaultAbraDir();
  const file = path.join(abraDir, 'servers', options.server, `${options.domain}.env`);
  if (
    await stat(file).then(
      () => true,
      () => false,
    )
  ) {
    throw new GalleyError('env-exists', `${file} already exists: edit it, or remove it first (galley env new never overwrites an app)`);
  }
  // Checks the domain and recipe name as a deploy would.
  const app = parseAppEnv(`TYPE=${options.recipe}\nDOMAIN=${options.domain}\n`, file);
  const located = await locateRecipe(app, options);
  let text: string;
  try {
    const sample = located.recipe.envSample;
    if (!sample) throw new GalleyError('not-a-recipe', `recipe ${options.recipe} (${located.label}) has no .env.sample to start the app env from`);
    text = withValues(sample.text, sample.file, { TYPE: options.recipe, DOMAIN: options.domain });
  } finally {
    await located.dispose();
  }
  await writeFileAtomic(file, text, { createFolder: true, mode: 0o600 });
  const result: EnvNewResult = { file, recipe: options.recipe };
  if (located.version) result.version = located.version;
  if (options.secrets) {
    const ctx = await openAppSecrets(file, options);
    const docker = await openServer(file, options.context ? { context: options.context } : {});
    try {
      await docker.assertManager();
      result.secrets = await generateAppSecrets(ctx, docker);
    } finally {
      docker.close();
      await ctx.dispose();
    }
  }
  return result;
}

/** The sample's text with these keys set (their lines kept in place; missing ones added on top). */
export function withValues(text: string, file: string, values: Record<string, string>): string {
  const env = parseEnvFile(text, file);
  let out = text;
  const missing: string[] = [];
  const edits: { start: number; end: number; value: string }[] = [];
  for (const [key, value] of Object.entries(values)) {
    const entry = key === 'TYPE' ? (envEntry(env, 'TYPE') ?? envEntry(env, 'RECIPE')) : envEntry(env, key);
    if (entry) edits.push({ start: entry.valueSpan.offset, end: entry.valueSpan.endOffset, value });
    else missing.push(`${key}=${value}`);
  }
  for (const e of edits.sort((a, b) => b.start - a.start)) out = `${out.slice(0, e.start)}${e.value}${out.slice(e.end)}`;
  return missing.length ? `${missing.join('\n')}\n${out}` : out;
}
