import type { Fix, Rule, TextEdit } from '@galley/linter';
import { get, getPair, isMap, isScalar, serviceNamed, services, type YMap, type YPair } from '@galley/recipe';
import { childIndent, indentAt, removePair } from '../_lib/edits.js';

/** `restart` values and the `deploy.restart_policy` that means the same on a swarm. */
export function restartPolicyFor(value: string): { condition: string; maxAttempts?: number } | undefined {
  const text = value.trim();
  if (text === 'no' || text === 'false') return { condition: 'none' };
  if (text === 'always' || text === 'unless-stopped') return { condition: 'any' };
  const m = /^on-failure(?::(\d+))?$/.exec(text);
  if (m) return m[1] === undefined ? { condition: 'on-failure' } : { condition: 'on-failure', maxAttempts: Number(m[1]) };
  return undefined;
}

function policyLines(policy: { condition: string; maxAttempts?: number }, indent: string, step: string): string {
  let out = `${indent}restart_policy:\n${indent}${step}condition: ${policy.condition}\n`;
  if (policy.maxAttempts !== undefined) out += `${indent}${step}max_attempts: ${policy.maxAttempts}\n`;
  return out;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * The edits that replace `restart: X` with the equivalent
 * `deploy.restart_policy`, or undefined when the layout is not one it can
 * edit safely (flow style, merged keys, a `deploy` written elsewhere).
 */
function conversion(text: string, service: YMap, serviceKeyOffset: number, pair: YPair, merged: YMap): TextEdit[] | undefined {
  if (pair.mergedAt || !isScalar(pair.value) || pair.value.interpolation) return undefined;
  const policy = restartPolicyFor(String(pair.value.value ?? ''));
  if (!policy) return undefined;
  const mergedDeploy = get(merged, 'deploy');
  const removal = removePair(text, pair, service);
  if (isMap(mergedDeploy) && get(mergedDeploy, 'restart_policy') !== undefined) return removal ? [removal] : undefined;
  const keyIndent = indentAt(text, pair.key.span.offset);
  if (keyIndent === undefined) return undefined;
  const deployPair = getPair(service, 'deploy');
  if (!deployPair) {
    const step = keyIndent.slice((indentAt(text, serviceKeyOffset) ?? '').length) || '  ';
    const start = lineStart(text, pair.key.span.offset);
    if (!removal) {
      // `restart` is the service's only key: replace it in place.
      const end = removePair(text, pair)?.endOffset;
      if (end === undefined) return undefined;
      return [{ file: pair.key.span.file, offset: start, endOffset: end, text: `${keyIndent}deploy:\n${policyLines(policy, keyIndent + step, step)}` }];
    }
    return [{ ...removal, text: `${keyIndent}deploy:\n${policyLines(policy, keyIndent + step, step)}` }];
  }
  if (deployPair.mergedAt || !isMap(deployPair.value) || !removal) return undefined;
  const indent = childIndent(text, deployPair.value);
  const first = deployPair.value.pairs.find((p) => !p.mergedAt);
  if (indent === undefined || !first) return undefined;
  const deployIndent = indentAt(text, deployPair.key.span.offset) ?? '';
  const step = indent.slice(deployIndent.length) || '  ';
  const at = lineStart(text, first.key.span.offset);
  return [removal, { file: pair.key.span.file, offset: at, endOffset: at, text: policyLines(policy, indent, step) }];
}

const rule: Rule = {
  meta: {
    id: 'swarm/restart-policy',
    severity: 'warning',
    category: 'swarm',
    description: 'Services set `deploy.restart_policy`, not `restart`, which swarm ignores.',
    docs: {
      why: '`docker stack deploy` ignores `restart` ("Ignoring unsupported options: restart"). A service that should not be restarted (`restart: "no"`, a one-shot job) is then restarted forever, and `on-failure:5` loses its limit. Swarm reads `deploy.restart_policy` instead (default: restart on any exit).',
      fix: 'Replace `restart` with `deploy.restart_policy`: `always` and `unless-stopped` become `condition: any`, `on-failure[:N]` becomes `condition: on-failure` (with `max_attempts: N`), `"no"` becomes `condition: none`. `--fix` does the conversion where the file is laid out in block style.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    restart: on-failure:5\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 5\n',
    },
    messages: {
      restart: '`restart: {{value}}` of service "{{service}}" is ignored by docker stack deploy; use deploy.restart_policy (condition: {{condition}})',
      restartRedundant: '`restart` of service "{{service}}" is ignored by docker stack deploy, which uses its deploy.restart_policy',
      restartUnknown: '`restart: {{value}}` of service "{{service}}" is ignored by docker stack deploy; use deploy.restart_policy',
    },
    fixable: true,
    hasSuggestions: true,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const [file, parsed] of context.recipe.composeFiles) {
      const mergedRoot = context.fullStack.files.get(file)?.root ?? parsed.root;
      for (const service of services(parsed.root)) {
        const pair = getPair(service.node, 'restart');
        if (!pair) continue;
        const merged = serviceNamed(mergedRoot, service.name)?.node ?? service.node;
        const value = isScalar(pair.value) ? String(pair.value.value ?? '') : '';
        const policy = restartPolicyFor(value);
        const mergedDeploy = get(merged, 'deploy');
        const hasPolicy = isMap(mergedDeploy) && get(mergedDeploy, 'restart_policy') !== undefined;
        const edits = conversion(parsed.text, service.node, service.keySpan.offset, pair, merged);
        const fix: Fix | undefined = edits ? { description: `replace restart with deploy.restart_policy in service "${service.name}"`, edits } : undefined;
        const messageId = hasPolicy ? 'restartRedundant' : policy ? 'restart' : 'restartUnknown';
        context.report({
          messageId,
          node: pair.key,
          data: { service: service.name, value, condition: policy?.condition ?? '' },
          ...(fix && context.recipe.kind === 'recipe' ? { fix } : {}),
          ...(fix && context.recipe.kind !== 'recipe' ? { suggestions: [fix] } : {}),
        });
      }
    }
  },
};

export default rule;
