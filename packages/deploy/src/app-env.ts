import { readFile } from 'node:fs/promises';
import { GalleyError } from '@galley/platform';
import { writeFileAtomic } from '@galley/platform/fs';
import { type EnvEntry, type EnvFile, envEntry, parseEnvFile, type Span, stackNameFromDomain } from '@galley/recipe';

/**
 * An app's env file (abra keeps them in `~/.abra/servers/<server>/<domain>.env`):
 * which recipe it runs (`TYPE` or `RECIPE`, optionally `recipe:version`),
 * and its domain, which gives the stack name.
 */
export interface AppEnv {
  /** The path as given. */
  file: string;
  env: EnvFile;
  /** The recipe's name. */
  recipe: string;
  /** The version pinned by `RECIPE=name:version`, if any. */
  recipeVersion?: string;
  /** Where the recipe is named. */
  recipeSpan: Span;
  domain: string;
  stackName: string;
}

const RECIPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DOMAIN = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*$/;

/** Reads and checks an app env file; every problem names the file and line. */
export async function readAppEnv(file: string): Promise<AppEnv> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'it does not exist' : error.code === 'EISDIR' ? 'it is a folder' : error.message;
    throw new GalleyError('app-env-unreadable', `cannot read the app env file ${file}: ${why}`);
  });
  return parseAppEnv(text, file);
}

export function parseAppEnv(text: string, file: string): AppEnv {
  const env = parseEnvFile(text, file);
  const broken = env.diagnostics.find((d) => d.severity === 'error');
  if (broken) throw new GalleyError('app-env-syntax', broken.message, broken.span ? { span: broken.span } : { file });

  const recipeEntry = envEntry(env, 'RECIPE') ?? envEntry(env, 'TYPE');
  if (!recipeEntry?.value.trim()) {
    throw new GalleyError(
      'app-env-no-recipe',
      `${file} names no recipe: add a line RECIPE=<recipe> (or TYPE=<recipe>; RECIPE=<recipe>:<version> pins a version)`,
      {
        file,
      },
    );
  }
  const { recipe, version } = splitRecipe(recipeEntry);
  const domainEntry = envEntry(env, 'DOMAIN');
  if (!domainEntry?.value.trim()) {
    throw new GalleyError('app-env-no-domain', `${file} has no DOMAIN: add DOMAIN=<the app's domain>; it also names the stack`, { file });
  }
  const domain = domainEntry.value.trim();
  if (!DOMAIN.test(domain)) {
    throw new GalleyError('app-env-bad-domain', `DOMAIN "${domain}" is not a domain name (letters, digits, "-" and "." only)`, {
      span: domainEntry.valueSpan,
    });
  }
  const app: AppEnv = { file, env, recipe, recipeSpan: recipeEntry.valueSpan, domain, stackName: stackNameFromDomain(domain) };
  if (version) app.recipeVersion = version;
  return app;
}

function splitRecipe(entry: EnvEntry): { recipe: string; version?: string } {
  const value = entry.value.trim();
  const colon = value.indexOf(':');
  const recipe = colon === -1 ? value : value.slice(0, colon);
  const version = colon === -1 ? undefined : value.slice(colon + 1).trim();
  if (!RECIPE_NAME.test(recipe)) {
    throw new GalleyError('app-env-bad-recipe', `${entry.name}="${value}" does not name a recipe (letters, digits, ".", "_" and "-")`, {
      span: entry.valueSpan,
    });
  }
  if (version === '') {
    throw new GalleyError('app-env-bad-recipe', `${entry.name}="${value}" has an empty version after ":": write ${recipe}:<version> or just ${recipe}`, {
      span: entry.valueSpan,
    });
  }
  return version ? { recipe, version } : { recipe };
}

/**
 * Records the version an app now runs in its env file, as abra does:
 * `TYPE=<recipe>:<version>` (the line that names the recipe keeps its key),
 * written atomically with the file's mode kept. A later deploy without
 * --version deploys this version again instead of the newest release.
 */
export async function recordDeployedVersion(app: AppEnv, version: string): Promise<boolean> {
  // Read again: the operator may have edited the file while the deploy ran.
  const now = parseAppEnv(await readFile(app.file, 'utf8'), app.file);
  if (now.recipe !== app.recipe || now.recipeVersion === version) return false;
  const text = now.env.text;
  const span = now.recipeSpan;
  await writeFileAtomic(app.file, `${text.slice(0, span.offset)}${app.recipe}:${version}${text.slice(span.endOffset)}`);
  return true;
}
