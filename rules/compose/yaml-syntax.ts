import type { Rule } from '@galley/linter';
import { type Diagnostic, isComposePath } from '@galley/recipe';

const MESSAGE_IDS: Record<string, string> = {
  'yaml-syntax': 'syntax',
  'duplicate-key': 'duplicateKey',
  'yaml-alias-bomb': 'aliasBomb',
  'yaml-alias-cycle': 'aliasCycle',
  'yaml-too-deep': 'tooDeep',
  'file-too-large': 'tooLarge',
  'yaml-merge-not-map': 'mergeNotMap',
  'yaml-warning': 'warning',
};

const rule: Rule = {
  meta: {
    id: 'compose/yaml-syntax',
    severity: 'error',
    category: 'syntax',
    description: 'Compose files are valid YAML: no syntax errors, duplicate keys, alias bombs, absurd nesting or oversized files.',
    docs: {
      why: 'A compose file that is not valid YAML cannot be deployed, and its other problems cannot be checked. Duplicate keys are accepted by some YAML readers (the last one wins) and refused by others, so the same file deploys differently depending on the tool. Aliases that expand exponentially ("billion laughs") and files of megabytes are not compose files and would exhaust memory.',
      fix: 'Correct the YAML at the position shown: indentation, a missing `:` or quote, or remove the duplicated key (keep the value you mean).',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    image: nginx:1.25.0\n    ports:\n     - "80:80"\n      - "443:443"\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    ports:\n      - "80:80"\n      - "443:443"\n',
    },
    messages: {
      syntax: 'YAML syntax error: {{message}}',
      duplicateKey: '{{message}}',
      aliasBomb: '{{message}}',
      aliasCycle: '{{message}}',
      tooDeep: '{{message}}',
      tooLarge: '{{message}}',
      mergeNotMap: '{{message}}',
      warning: '{{message}}',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const { recipe } = context;
    const diagnostics: Diagnostic[] = [];
    for (const parsed of recipe.composeFiles.values()) diagnostics.push(...parsed.diagnostics);
    // Files too large to read at all are on the recipe, not on a parsed file.
    for (const d of recipe.diagnostics) if (d.span && (recipe.kind === 'compose-file' || isComposePath(d.span.file))) diagnostics.push(d);
    for (const d of diagnostics) {
      const messageId = MESSAGE_IDS[d.code];
      if (!messageId || !d.span) continue;
      context.report({
        messageId,
        data: { message: d.message },
        span: d.span,
        ...(d.related ? { related: d.related } : {}),
        ...(d.severity === 'warning' ? { severity: 'warning' as const } : {}),
      });
    }
  },
};

export default rule;
