import type { Rule } from '@galley/linter';
import { interpolateString, isMap, isSeq, keyString, type YNode } from '@galley/recipe';

/** Where a key can hold what looks like a variable: every mapping under services and top-level objects. */
function* keysWithVariables(node: YNode | null | undefined, path: string[]): Generator<{ key: YNode; path: string[]; name: string; variables: string[] }> {
  if (!node) return;
  if (isSeq(node)) {
    for (const item of node.items) yield* keysWithVariables(item, path);
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.pairs) {
    const name = keyString(pair.key);
    if (path.length > 0 && name.includes('$') && !pair.mergedAt) {
      const refs = interpolateString(name, () => undefined).refs;
      if (refs.length) yield { key: pair.key, path, name, variables: [...new Set(refs.map((r) => `\${${r.name}}`))] };
    }
    yield* keysWithVariables(pair.value, [...path, name]);
  }
}

const rule: Rule = {
  meta: {
    id: 'compose/variable-in-key',
    severity: 'warning',
    category: 'correctness',
    description: 'No mapping key holds a `${VAR}`: compose and docker interpolate values, never keys.',
    docs: {
      why: "docker compose (compose-go) and `docker stack deploy` (docker/cli, which abra follows) replace variables in values only. A key such as `traefik.http.routers.${STACK_NAME}.rule:` in a labels map keeps `${STACK_NAME}` literally, so every app deployed from the recipe defines the same Traefik router named `${STACK_NAME}`, and the apps steal each other's traffic. Nothing warns at deploy time.",
      fix: 'Write such entries in the list form, where the whole `key=value` text is a value and is interpolated: `- "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"`.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      labels:\n        traefik.http.routers.${STACK_NAME}.rule: Host(`${DOMAIN}`)\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      labels:\n        - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"\n',
    },
    messages: {
      literal: 'the key "{{key}}" keeps {{variables}} as written: keys are never interpolated, so every deploy uses this very name',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const parsed of context.recipe.composeFiles.values()) {
      for (const found of keysWithVariables(parsed.root, [])) {
        context.report({ messageId: 'literal', node: found.key, data: { key: found.name, variables: found.variables.join(', ') } });
      }
    }
  },
};

export default rule;
