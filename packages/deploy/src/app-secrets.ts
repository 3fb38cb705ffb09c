import { GalleyError } from '@galley/platform';
import type { Docker } from '@galley/platform/docker';
import { resolveStack } from '@galley/recipe';
import { type AppEnv, readAppEnv } from './app-env.js';
import { type LocatedRecipe, locateRecipe, type RecipeLocation } from './recipe-locator.js';
import { resolveAppStack, type StackObject, stackObjects } from './render.js';
import {
  checkObjectName,
  createSecret,
  describeSource,
  generateSecretValue,
  planSecrets,
  removeSecrets,
  type SecretPlan,
  swarmSecretNames,
} from './secrets.js';

/**
 * `galley secret generate|insert|ls|rm`: an app's secrets as its recipe
 * declares them (external secrets named `<stack>_<secret>_<version>`), the
 * version of each taken from the app env file unless one is given.
 */
export interface AppSecrets {
  app: AppEnv;
  located: LocatedRecipe;
  /** The recipe's external secrets at the env file's versions. */
  secrets: StackObject[];
  dispose(): Promise<void>;
}

export async function openAppSecrets(appEnvFile: string, location: RecipeLocation = {}): Promise<AppSecrets> {
  const app = await readAppEnv(appEnvFile);
  const located = await locateRecipe(app, location);
  try {
    const stack = resolveAppStack(located, app);
    const secrets = stackObjects(stack, 'secrets').filter((s) => s.external);
    return { app, located, secrets, dispose: () => located.dispose() };
  } catch (error) {
    await located.dispose();
    throw error;
  }
}

/** The secret `key` of the recipe, at `version` (default: the env file's). */
export function secretAt(ctx: AppSecrets, key: string, version?: string): StackObject {
  const known = ctx.secrets.find((s) => s.key === key);
  if (!known) {
    const names = ctx.secrets.map((s) => s.key);
    throw new GalleyError(
      'secret-unknown',
      `recipe ${ctx.located.recipe.name} declares no external secret "${key}"${names.length ? `; its secrets: ${names.join(', ')}` : ' (it declares none)'}`,
    );
  }
  if (version === undefined || version === known.version) return known;
  if (!known.versionVariable) {
    throw new GalleyError('secret-unversioned', `secret ${key} is named ${known.name}, without a *_VERSION variable: it has no versions`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(version))
    throw new GalleyError('secret-bad-version', `"${version}" is not a usable version (letters, digits, ".", "_", "-")`);
  const stack = resolveStack(ctx.located.recipe, { env: ctx.app.env, stackName: ctx.app.stackName, vars: { [known.versionVariable]: version } });
  const found = stackObjects(stack, 'secrets').find((s) => s.key === key);
  return found ?? known;
}

export interface SecretListing extends SecretPlan {
  /** Other versions of this secret in the swarm (names). */
  otherVersions: string[];
}

export async function listAppSecrets(ctx: AppSecrets, docker: Docker): Promise<SecretListing[]> {
  const existing = await swarmSecretNames(docker);
  const plans = planSecrets(ctx.secrets, ctx.app.env, existing);
  const owners = ownersOf(ctx, [...existing]);
  return plans.map((p) => ({ ...p, otherVersions: (owners.get(p.key) ?? []).filter((n) => n !== p.name) }));
}

/** Swarm secret names grouped by the recipe secret whose `<stack>_<key>_` prefix they carry (longest key wins). */
function ownersOf(ctx: AppSecrets, names: string[]): Map<string, string[]> {
  const keys = [...ctx.secrets.map((s) => s.key)].sort((a, b) => b.length - a.length);
  const out = new Map<string, string[]>();
  for (const name of names.sort()) {
    const key = keys.find((k) => name.startsWith(`${ctx.app.stackName}_${k}_`));
    if (key) out.set(key, [...(out.get(key) ?? []), name]);
  }
  return out;
}

export interface GenerateOutcome {
  created: { key: string; name: string; how: string }[];
  /** `exists`: in the swarm already (immutable); `manual`: generate=false, to insert by hand. */
  skipped: { key: string; name: string; reason: 'exists' | 'manual'; why: string }[];
}

/** Generates and creates missing secrets (all, or the keys given). Values are never returned. */
export async function generateAppSecrets(ctx: AppSecrets, docker: Docker, keys: readonly string[] = []): Promise<GenerateOutcome> {
  const existing = await swarmSecretNames(docker);
  const wanted = keys.length ? keys.map((k) => secretAt(ctx, k)) : ctx.secrets;
  const plans = planSecrets(wanted, ctx.app.env, existing);
  const outcome: GenerateOutcome = { created: [], skipped: [] };
  for (const plan of plans) {
    if (plan.exists) {
      outcome.skipped.push({
        key: plan.key,
        name: plan.name,
        reason: 'exists',
        why: 'exists (secrets are immutable: bump its version in the env file to rotate it)',
      });
      continue;
    }
    if (plan.source.kind === 'manual') {
      outcome.skipped.push({
        key: plan.key,
        name: plan.name,
        reason: 'manual',
        why: `generate=false: insert it with galley secret insert ${ctx.app.file} ${plan.key} ${plan.version ?? '<version>'} -`,
      });
      continue;
    }
    checkObjectName(plan);
    await createSecret(docker, plan.name, generateSecretValue(plan.source));
    outcome.created.push({ key: plan.key, name: plan.name, how: describeSource(plan.source) });
  }
  return outcome;
}

/** Creates one secret from a value the operator gives (on stdin). */
export async function insertAppSecret(ctx: AppSecrets, docker: Docker, key: string, version: string | undefined, value: string): Promise<string> {
  const object = secretAt(ctx, key, version);
  checkObjectName(object);
  if (!value)
    throw new GalleyError(
      'secret-empty',
      `no value for secret ${key} on stdin: pipe it in, e.g. galley secret insert ${ctx.app.file} ${key} ${version ?? '<version>'} - < file`,
    );
  const existing = await swarmSecretNames(docker);
  if (existing.has(object.name)) {
    throw new GalleyError(
      'secret-exists',
      `secret ${object.name} already exists: secrets are immutable; insert it under a new version and set ${object.versionVariable ?? 'its version'} to it`,
    );
  }
  await createSecret(docker, object.name, value);
  return object.name;
}

export interface RemoveRequest {
  key?: string;
  version?: string;
  /** Every version of every secret of the recipe. */
  all?: boolean;
}

export async function removeAppSecrets(ctx: AppSecrets, docker: Docker, request: RemoveRequest): Promise<string[]> {
  const existing = await swarmSecretNames(docker);
  let names: string[];
  if (request.all) {
    const owners = ownersOf(ctx, [...existing]);
    names = [...owners.values()].flat();
    if (request.key) names = owners.get(request.key) ?? [];
  } else {
    if (!request.key) throw new GalleyError('secret-rm-what', 'name the secret to remove, or give --all');
    const object = secretAt(ctx, request.key, request.version);
    if (!existing.has(object.name)) throw new GalleyError('secret-missing', `secret ${object.name} does not exist in the swarm`);
    names = [object.name];
  }
  return removeSecrets(docker, names.sort());
}
