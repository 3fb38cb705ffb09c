import type { Rule } from '@galley/linter';
import { get, interpolateString, isExternal, isScalar, MAX_STACK_NAME_LENGTH, topLevel } from '@galley/recipe';
import { definitionOf } from '../_lib/references.js';

/** Docker's limit on the names of secrets and configs. */
const DOCKER_NAME_LIMIT = 64;

const rule: Rule = {
  meta: {
    id: 'recipe/object-name-length',
    severity: 'warning',
    category: 'coop-cloud',
    description: `Secret and config names fit Docker's ${DOCKER_NAME_LIMIT}-character limit for the longest stack name (${MAX_STACK_NAME_LENGTH} characters).`,
    docs: {
      why: `The swarm object of a secret or config is named by its \`name:\` template, typically \`\${STACK_NAME}_<name>_<version>\`. abra derives \`STACK_NAME\` from the app's domain and allows up to ${MAX_STACK_NAME_LENGTH} characters, and Docker refuses names over ${DOCKER_NAME_LIMIT} ("secret name is too long"). A recipe that works on \`demo.example.com\` then fails on \`collaboration.cooperative-housing.example.org\`.`,
      fix: `Keep \`<name>_<version>\` within ${DOCKER_NAME_LIMIT - MAX_STACK_NAME_LENGTH - 1} characters: shorten the object's key and name (\`${'${STACK_NAME}'}_smtp_pass_${'${SECRET_SMTP_PASS_VERSION}'}\`), keeping \`.env.sample\` and \`abra.sh\` in step.`,
      wrong: 'secrets:\n  ghost_webhook_secret:\n    external: true\n    name: ${STACK_NAME}_ghost_webhook_secret_${SECRET_GHOST_WEBHOOK_SECRET_VERSION}\n',
      right: 'secrets:\n  ghost_webhook:\n    external: true\n    name: ${STACK_NAME}_ghost_webhook_${SECRET_GHOST_WEBHOOK_VERSION}\n',
    },
    messages: {
      tooLong:
        '{{kind}} "{{name}}" becomes "{{example}}" ({{length}} characters) with a {{stackLength}}-character stack name; Docker refuses names over {{limit}}',
    },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
  },
  check(context) {
    const full = context.fullStack;
    const longStack = 's'.repeat(MAX_STACK_NAME_LENGTH);
    const lookup = (name: string) => (name === 'STACK_NAME' ? longStack : full.variables.get(name));
    // A secret whose key is over recipe/secret-name-length's limit gets that rule's finding, not a second one.
    const shortNames = context.optionsOf('recipe/secret-name-length');
    const keyLimit = typeof shortNames?.max === 'number' ? shortNames.max : undefined;
    for (const kind of ['secrets', 'configs'] as const) {
      for (const object of topLevel(full.root, kind)) {
        if (kind === 'secrets' && keyLimit !== undefined && object.name.length > keyLimit) continue;
        const definition = definitionOf(full, kind, object.name) ?? object;
        const name = get(definition.node, 'name');
        let example: string;
        if (isScalar(name) && name.value !== null) {
          const raw = name.interpolation?.raw ?? String(name.value);
          if (!raw.includes('STACK_NAME')) continue;
          example = interpolateString(raw, lookup).value;
        } else if (isExternal(object.node)) continue;
        else example = `${longStack}_${object.name}`;
        if (example.length <= DOCKER_NAME_LIMIT) continue;
        const over = example.length - DOCKER_NAME_LIMIT;
        context.report({
          remediation: `Shorten the name of ${kind === 'secrets' ? 'secret' : 'config'} "${object.name}" by at least ${over} character${over === 1 ? '' : 's'}.`,
          messageId: 'tooLong',
          node: isScalar(name) ? name : definition.pair.key,
          data: {
            kind: kind === 'secrets' ? 'secret' : 'config',
            name: object.name,
            example: example.replace(longStack, '<stack>'),
            length: example.length,
            stackLength: MAX_STACK_NAME_LENGTH,
            limit: DOCKER_NAME_LIMIT,
          },
        });
      }
    }
  },
};

export default rule;
