import type { Fix, RuleContext } from '@galley/linter';
import { keyString, services } from '@galley/recipe';
import { removePair } from '../../_lib/edits.js';
import { type KeyTreatment, serviceKeysFor } from './service-keys.js';

export const DOCKER_VERSION_OPTIONS = {
  type: 'object',
  properties: {
    dockerVersion: {
      type: 'string',
      pattern: '^\\d+\\.\\d+$',
      description:
        "The Docker version (major.minor) of the swarm, for this rule only (default: the run's, `--docker-version` or `dockerVersion` in .galley.yml).",
    },
  },
  additionalProperties: false,
};

/**
 * Reports service keys that `docker stack deploy` of the configured Docker
 * version treats as `treatment`, in every compose file as written. Keys that
 * swarm drops anyway are removed by `--fix` in recipes; in a lone compose
 * file (perhaps also used with `docker compose`) removal is only suggested.
 */
export function checkServiceKeys(context: RuleContext, treatment: KeyTreatment, skip: ReadonlySet<string> = new Set()): void {
  const version = typeof context.options.dockerVersion === 'string' ? context.options.dockerVersion : context.settings.dockerVersion;
  const table = serviceKeysFor(treatment, version);
  for (const parsed of context.recipe.composeFiles.values()) {
    for (const service of services(parsed.root)) {
      for (const pair of service.node.pairs) {
        const key = keyString(pair.key);
        const entry = table.get(key);
        if (!entry || skip.has(key)) continue;
        const edit = entry.removable ? removePair(parsed.text, pair, service.node) : undefined;
        const removal: Fix | undefined = edit ? { description: `remove \`${key}\` from service "${service.name}"`, edits: [edit] } : undefined;
        context.report({
          messageId: treatment,
          node: pair.key,
          data: { key, service: service.name, advice: entry.advice, version },
          ...(removal && context.recipe.kind === 'recipe' ? { fix: removal } : {}),
          ...(removal && context.recipe.kind !== 'recipe' ? { suggestions: [removal] } : {}),
        });
      }
    }
  }
}
