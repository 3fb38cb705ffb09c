import { formatLocation, GalleyError, indentedList } from '@galley/platform';
import { type Docker, STACK_NAMESPACE_LABEL, type SwarmObject, type SwarmService } from '@galley/platform/docker';
import type { Recipe } from '@galley/recipe';
import type { StackObject } from './render.js';
import { checkObjectName } from './secrets.js';

/**
 * Swarm configs are immutable: a config template edited without bumping its
 * version makes `docker stack deploy` fail with an obscure "only updates to
 * Labels are allowed". This check compares each config the stack would
 * create with the swarm's config of the same name, before anything changes.
 */
export interface ConfigCheck {
  /** Configs `docker stack deploy` will create. */
  toCreate: string[];
  /** Configs that exist with the same content. */
  unchanged: string[];
}

export async function checkConfigs(docker: Docker, configs: readonly StackObject[], recipe: Recipe): Promise<ConfigCheck> {
  for (const c of configs) checkObjectName(c);
  // The list carries each config's data: one request for all of them.
  const swarm = new Map<string, SwarmObject>((await docker.configs()).map((c) => [c.Spec.Name, c]));
  const names = new Set(swarm.keys());
  const problems: string[] = [];
  const check: ConfigCheck = { toCreate: [], unchanged: [] };
  for (const config of configs) {
    const where = formatLocation(config.span);
    if (config.external) {
      if (!names.has(config.name))
        problems.push(
          `${where}: config ${config.key} is external, and ${config.name} does not exist in the swarm: create it (docker config create ${config.name} FILE)`,
        );
      continue;
    }
    if (!config.file) {
      problems.push(`${where}: config ${config.key} has neither file: nor external: true`);
      continue;
    }
    const content = await recipe.source.read(config.file);
    if (content === undefined) {
      problems.push(`${where}: config ${config.key} reads ${config.file}, which the recipe does not have`);
      continue;
    }
    const existing = swarm.get(config.name);
    if (!existing) {
      check.toCreate.push(config.name);
      continue;
    }
    const data = Buffer.from(existing.Spec.Data ?? '', 'base64').toString('utf8');
    const driver = existing.Spec.Templating?.Name ?? '';
    if (data !== content || driver !== (config.templateDriver ?? '')) {
      const bump = config.versionVariable
        ? `bump ${config.versionVariable} (now ${config.version ?? 'unset'}; recipes export it in abra.sh) to a new version`
        : `version its name (name: \${STACK_NAME}_${config.key}_\${${config.key.toUpperCase()}_VERSION}) and bump that version`;
      const what = data !== content ? `${config.file} differs from` : `its template_driver differs from that of`;
      problems.push(
        `${where}: config ${config.key} changed without a version bump: ${what} the config ${config.name} already in the swarm, and swarm configs are immutable; ${bump}`,
      );
      continue;
    }
    check.unchanged.push(config.name);
  }
  if (problems.length) {
    throw new GalleyError('config-unchanged-version', indentedList(problems, ''), { exitCode: 2 });
  }
  return check;
}

/** Config names a spec uses. */
function configsOf(spec: SwarmService['Spec'] | undefined): string[] {
  const list = (spec?.TaskTemplate?.ContainerSpec?.Configs ?? []) as { ConfigName?: string }[];
  return list.map((c) => c.ConfigName ?? '').filter(Boolean);
}

/**
 * Removes the stack's configs (those `docker stack deploy` made, by its
 * namespace label) that neither the current spec nor the previous spec of
 * any of its services uses: the previous release's stay, since `docker
 * service rollback` needs them. Returns the names removed.
 */
export async function pruneConfigs(docker: Docker, stack: string, services: readonly SwarmService[]): Promise<string[]> {
  const keep = new Set(services.flatMap((s) => [...configsOf(s.Spec), ...configsOf(s.PreviousSpec)]));
  const ours = await docker.configs({ label: [`${STACK_NAMESPACE_LABEL}=${stack}`] });
  const removed: string[] = [];
  for (const config of ours) {
    if (keep.has(config.Spec.Name)) continue;
    // Another run may use it meanwhile (docker refuses then): keep it quietly.
    if (await docker.removeConfig(config.ID).catch(() => false)) removed.push(config.Spec.Name);
  }
  return removed.sort();
}
