import path from 'node:path';
import type { Rule, RuleContext } from '@galley/linter';
import {
  get,
  isMap,
  isScalar,
  isSeq,
  keyString,
  LineIndex,
  resolveStack,
  type Stack,
  scalarString,
  services,
  type TopLevelKind,
  topLevel,
  type YNode,
} from '@galley/recipe';

/** `env "X"` and `secret "x"` inside the `{{ … }}` actions of a Go template. */
const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g;
const CALL = /\b(env|secret)\s+"((?:[^"\\]|\\.)*)"/g;
/** Actions that open a block whose content depends on their condition. */
const OPENS = /^(if|with|range)\b/;

interface TemplateCall {
  kind: 'env' | 'secret';
  name: string;
  offset: number;
  end: number;
  /**
   * An `env` call that tests its variable (`{{ if eq (env "X") "on" }}`) or
   * sits in a block guarded by such a test: an unset variable is then the
   * template's "off", not an empty value rendered into the file.
   */
  guarded: boolean;
}

function templateCalls(text: string): TemplateCall[] {
  const out: TemplateCall[] = [];
  // The env names each open block's condition reads (innermost last).
  const guards: Set<string>[] = [];
  for (const action of text.matchAll(ACTION)) {
    const body = action[1]!;
    const bodyStart = action.index + action[0].indexOf(body);
    const words = body.trim();
    const calls = [...body.matchAll(CALL)];
    const condition = OPENS.test(words) || /^else\s+(if|with)\b/.test(words);
    const tested = new Set(calls.filter((c) => c[1] === 'env').map((c) => c[2]!));
    if (/^else\s+(if|with)\b/.test(words)) guards[guards.length - 1] = tested;
    else if (/^else\b/.test(words)) guards[guards.length - 1] = new Set();
    for (const call of calls) {
      const kind = call[1] as 'env' | 'secret';
      const name = call[2]!;
      const guarded = kind === 'env' && (condition || guards.some((g) => g.has(name)));
      out.push({ kind, name, offset: bodyStart + call.index, end: bodyStart + call.index + call[0].length, guarded });
    }
    if (OPENS.test(words)) guards.push(tested);
    else if (/^(define|block)\b/.test(words)) guards.push(new Set());
    else if (/^end\b/.test(words)) guards.pop();
  }
  return out;
}

/** The environment variables a service sets (`environment`, list or map; a name without value counts: the deploy may pass it). */
function environmentNames(service: YNode): Set<string> {
  const env = get(service, 'environment');
  const out = new Set<string>();
  if (isSeq(env)) for (const item of env.items) out.add((scalarString(item) ?? '').split('=')[0]!.trim());
  else if (isMap(env)) for (const pair of env.pairs) out.add(keyString(pair.key));
  return out;
}

/** The secrets attached to a service, by the name the template sees (the target, default: the source). */
function attachedSecrets(service: YNode): Set<string> {
  const out = new Set<string>();
  const secrets = get(service, 'secrets');
  if (!isSeq(secrets)) return out;
  for (const item of secrets.items) {
    if (isScalar(item)) out.add(scalarString(item) ?? '');
    else if (isMap(item)) {
      const source = scalarString(get(item, 'source'));
      const target = scalarString(get(item, 'target'));
      out.add(target ? path.posix.basename(target) : (source ?? ''));
    }
  }
  return out;
}

/** Whether a service mounts the top-level config or secret `name`. */
function mounts(service: YNode, kind: TopLevelKind, name: string): boolean {
  const list = get(service, kind);
  if (!isSeq(list)) return false;
  return list.items.some((item) => (isScalar(item) ? scalarString(item) : scalarString(get(item, 'source'))) === name);
}

/**
 * The stacks a template may be rendered in: the default deploy, each
 * combination of overlays `.env.sample` offers in a commented-out
 * `COMPOSE_FILE` line, and, when some compose file is in none of those, every
 * compose file merged (a variable may then come from any overlay).
 */
function stacksToCheck(context: RuleContext): { stack: Stack; files?: string }[] {
  const out: { stack: Stack; files?: string }[] = [{ stack: context.stack }];
  const covered = new Set(context.stack.composeFiles);
  const seen = new Set([context.stack.composeFiles.join(':')]);
  const known = new Set(context.recipe.composeFiles.keys());
  for (const entry of context.recipe.envSample?.entries ?? []) {
    if (entry.name !== 'COMPOSE_FILE' || !entry.commented) continue;
    const files = entry.value
      .split(':')
      .map((f) => f.trim().replace(/^\.\//, ''))
      .filter(Boolean);
    const key = files.join(':');
    if (!files.length || seen.has(key) || !files.every((f) => known.has(f))) continue;
    seen.add(key);
    for (const f of files) covered.add(f);
    out.push({ stack: resolveStack(context.recipe, { composeFiles: files, interpolated: context.fullStack.files }), files: key });
  }
  if ([...known].some((f) => !covered.has(f))) out.push({ stack: context.fullStack });
  return out;
}

/** Whether a stack has a config or secret rendered with `template_driver: golang`. */
function hasTemplates(stack: Stack): boolean {
  return (['configs', 'secrets'] as const).some((kind) =>
    topLevel(stack.root, kind).some((object) => scalarString(get(object.node, 'template_driver')) === 'golang'),
  );
}

async function checkTemplates(context: RuleContext): Promise<void> {
  // Most recipes have no templates: then no overlay combination is resolved.
  if (!hasTemplates(context.fullStack)) return;
  const texts = new Map<string, string | undefined>();
  const reported = new Set<string>();
  for (const { stack, files } of stacksToCheck(context)) {
    if (!stack.root) continue;
    for (const kind of ['configs', 'secrets'] as const) {
      for (const object of topLevel(stack.root, kind)) {
        if (scalarString(get(object.node, 'template_driver')) !== 'golang') continue;
        const file = scalarString(get(object.node, 'file'));
        if (!file || path.posix.isAbsolute(file)) continue;
        const relative = path.posix.normalize(file);
        if (!texts.has(relative)) texts.set(relative, await context.recipe.source.read(relative));
        const text = texts.get(relative);
        if (text === undefined) continue; // compose/missing-file reports it
        const calls = templateCalls(text);
        if (!calls.length) continue;
        const users = services(stack.root).filter((s) => mounts(s.node, kind, object.name));
        const lines = new LineIndex(text);
        for (const service of users) {
          // An env_file may set anything: its variables are not known here.
          const envUnknown = get(service.node, 'env_file') !== undefined;
          const env = environmentNames(service.node);
          const secrets = attachedSecrets(service.node);
          for (const call of calls) {
            const missing = call.kind === 'env' ? !call.guarded && !envUnknown && !env.has(call.name) : !secrets.has(call.name);
            const key = `${relative}\0${call.offset}\0${service.name}`;
            if (!missing || reported.has(key)) continue;
            reported.add(key);
            const span = lines.span(relative, call.offset, call.end);
            const data = {
              name: call.name,
              kind: kind === 'configs' ? 'config' : 'secret',
              object: object.name,
              file: relative,
              service: service.name,
              stack: files ? ` with COMPOSE_FILE=${files}` : '',
            };
            context.report({ messageId: call.kind, span, data });
          }
        }
      }
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'swarm/template-references',
    severity: 'error',
    category: 'swarm',
    description:
      'Every `{{ env "X" }}` of a golang-templated config or secret is set in the `environment` of each service that mounts it, and every `{{ secret "x" }}` is attached to it.',
    docs: {
      why: 'Swarm renders a config with `template_driver: golang` for each task, from the environment and the secrets of the service that mounts it. `{{ env "X" }}` reads the container\'s environment, not the deploy\'s: when the service does not set `X` in `environment`, swarm renders an empty string, and the app starts with a broken file (`server _app:3000;` in an nginx config). `{{ secret "x" }}` fails the task unless secret `x` is attached to the service. No tool checks this before the deploy. The rule checks the default deploy and each combination of overlays that a commented-out `COMPOSE_FILE` line of `.env.sample` offers (and every compose file merged when some overlay is in none of them). A variable the template tests (`{{ if eq (env "SMTP_AUTH") "on" }}`) and uses only inside that block is optional by design: unset, it reads as "off".',
      fix: 'Add the variable to the `environment` of every service that mounts the template (`- X=${X}`), and attach every secret the template reads (`secrets: [x]`); or read something that is set.',
      wrong:
        'services:\n  web:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/conf.d/default.conf\nconfigs:\n  nginx_conf:\n    file: nginx.conf.tmpl\n    template_driver: golang\n# nginx.conf.tmpl: server {{ env "STACK_NAME" }}_app:3000;\n',
      right:
        'services:\n  web:\n    image: nginx:1.27.3\n    environment:\n      - STACK_NAME=${STACK_NAME}\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/conf.d/default.conf\nconfigs:\n  nginx_conf:\n    file: nginx.conf.tmpl\n    template_driver: golang\n',
    },
    messages: {
      env: '{{kind}} "{{object}}" ({{file}}) reads env "{{name}}", which service "{{service}}" does not set{{stack}}: swarm renders it as an empty string',
      secret: '{{kind}} "{{object}}" ({{file}}) reads secret "{{name}}", which is not attached to service "{{service}}"{{stack}}: the task fails to start',
    },
    fixable: false,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check: checkTemplates,
};

export default rule;
