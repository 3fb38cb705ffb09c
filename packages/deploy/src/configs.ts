import { formatLocation, GalleyError } from '@galley/platform';
import type { Recipe } from '@galley/recipe';
import type { DockerCli } from './docker.js';
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

interface SwarmConfig {
  ID: string;
  Spec: { Name: string; Data?: string; Templating?: { Name?: string } | null };
}

export async function checkConfigs(docker: DockerCli, configs: readonly StackObject[], recipe: Recipe): Promise<ConfigCheck> {
  for (const c of configs) checkObjectName(c);
  const names = new Set(
    (await docker.exec(['config', 'ls', '--format', '{{.Name}}']))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
  const present = configs.filter((c) => names.has(c.name));
  const swarm = new Map<string, SwarmConfig>();
  if (present.length) {
    for (const c of await docker.jsonArray<SwarmConfig>(['config', 'inspect', ...new Set(present.map((p) => p.name))])) swarm.set(c.Spec.Name, c);
  }
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
    throw new GalleyError('config-unchanged-version', problems.join('\n'), { exitCode: 2 });
  }
  return check;
}
