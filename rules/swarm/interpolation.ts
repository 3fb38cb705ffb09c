import type { Rule } from '@galley/linter';
import { interpolateString, isMap, isScalar, isSeq, substituteLikeDockerCli, type YNode } from '@galley/recipe';

/** Every string value of a tree (keys are never interpolated). */
function* strings(node: YNode | null | undefined): Generator<{ node: YNode; raw: string }> {
  if (!node) return;
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.value.includes('$')) yield { node, raw: node.value };
  } else if (isSeq(node)) for (const item of node.items) yield* strings(item);
  else if (isMap(node)) for (const pair of node.pairs) yield* strings(pair.value);
}

const rule: Rule = {
  meta: {
    id: 'swarm/interpolation',
    severity: 'error',
    category: 'swarm',
    description: '`${…}` forms mean the same to `docker stack deploy` (and abra) as to docker compose: no `${VAR:+alt}`, no nested defaults.',
    docs: {
      why: "`docker stack deploy`, and abra, which uses docker's loader, substitute variables with docker/cli's own code, older than compose-spec's: it knows `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}` and `${VAR?error}` only. It refuses `${VAR:+alt}` and `${VAR+alt}` (\"invalid interpolation format\"); a default runs to the first `}`, so a nested default `${A:-${B}}` gives `a}` when A is set and the literal text `${B}` when it is not; and `$A-x` is read as `${A-x}`. A recipe that uses these lints clean against compose-spec, then deploys differently.",
      fix: 'Write forms both read alike: `${A:-default}` with a literal default, `${A}-x` with braces. For a value that depends on whether a variable is set, set the variable itself in `.env.sample` (commented out when optional).',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - SMTP=${SMTP_HOST:+enabled}\n      - HOST=${PUBLIC_HOST:-${DOMAIN}}\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - SMTP=${SMTP_ENABLED:-}\n      - HOST=${PUBLIC_HOST:-example.com}\n',
    },
    messages: {
      refused: 'docker stack deploy refuses "{{raw}}" ({{reason}}), which docker compose accepts',
      differs: 'docker stack deploy reads "{{raw}}" as "{{docker}}", docker compose as "{{compose}}"',
    },
    fixable: false,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const variables = context.fullStack.variables;
    const lookup = (name: string) => variables.get(name);
    for (const parsed of context.recipe.composeFiles.values()) {
      for (const { node, raw } of strings(parsed.root)) {
        const compose = interpolateString(raw, lookup);
        if (compose.errors.length) continue; // compose/interpolation reports those
        const docker = substituteLikeDockerCli(raw, lookup);
        if (docker.error) {
          const form = /\$\{[^}]*?:?\+/.test(raw) ? 'docker/cli has no ${VAR:+alt} or ${VAR+alt}' : docker.error;
          context.report({ messageId: 'refused', node, data: { raw, reason: form } });
        } else if (docker.value !== compose.value) {
          context.report({ messageId: 'differs', node, data: { raw, docker: docker.value, compose: compose.value }, severity: 'warning' });
        }
      }
    }
  },
};

export default rule;
