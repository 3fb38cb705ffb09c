import type { Rule } from './rule.js';

/**
 * Rules the engine itself reports (about `# galley-disable…` comments). They
 * have no check of their own: the engine produces their findings after the
 * other rules ran. Configure them like any rule (`galley/unused-disable: off`).
 */
export const unusedDisableRule: Rule = {
  meta: {
    id: 'galley/unused-disable',
    severity: 'warning',
    category: 'best-practice',
    description: 'A `# galley-disable…` comment suppresses nothing, or names a rule that does not exist.',
    docs: {
      why: 'A disable comment that no longer suppresses anything hides the next real problem on that line without anyone noticing, and it misleads readers. A comment naming an unknown rule id is a typo: it suppresses nothing.',
      fix: 'Remove the comment, or the rule ids in it that are unused (`--fix` does it). Check the spelling of rule ids with `galley lint --list-rules`.',
      wrong: 'services:\n  app:\n    # galley-disable-next-line compose/schema -- old workaround\n    image: nginx:1.27.3\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n',
    },
    messages: {
      unused: 'unused {{directive}} comment: no {{rules}} problem to suppress here',
      unknownRule: '{{directive}} names the unknown rule "{{rule}}"{{hint}}',
    },
    fixable: true,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check() {},
};

export const disableReasonRule: Rule = {
  meta: {
    id: 'galley/disable-reason',
    severity: 'warning',
    category: 'best-practice',
    description: 'Every `# galley-disable…` comment gives a reason after ` -- `. Off unless configured.',
    docs: {
      why: 'A suppressed finding without a reason is hard to review: the next packager cannot tell a deliberate exception from a shortcut. Teams that want every exception explained turn this rule on.',
      fix: 'Add ` -- ` and the reason at the end of the comment, e.g. `# galley-disable-next-line swarm/ignored-key -- needed for local runs`.\n\nEnable the rule in `.galley.yml`:\n\n```yaml\nrules:\n  galley/disable-reason: warning\n```',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    restart: always # galley-disable-line swarm/ignored-key\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    restart: always # galley-disable-line swarm/ignored-key -- kept for docker compose users\n',
    },
    messages: {
      missing: '{{directive}} comment gives no reason: add " -- <why>"',
    },
    fixable: false,
    presets: [],
    appliesToComposeFiles: true,
  },
  check() {},
};

export const engineRules: Rule[] = [disableReasonRule, unusedDisableRule];
