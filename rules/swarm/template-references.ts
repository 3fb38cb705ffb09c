import path from 'node:path';
import type { Rule, RuleContext } from '@galley/linter';
import { get, isMap, isScalar, isSeq, keyString, LineIndex, scalarString, services, type TopLevelKind, topLevel, type YNode } from '@galley/recipe';

/** `env "X"` and `secret "x"` inside the `{{ … }}` actions of a Go template. */
const ACTION = /\{\{([\s\S]*?)\}\}/g;
const CALL = /\b(env|secret)\s+"((?:[^"\\]|\\.)*)"/g;

interface TemplateCall {
  kind: 'env' | 'secret';
  name: string;
  offset: number;
  end: number;
}

function templateCalls(text: string): TemplateCall[] {
  const out: TemplateCall[] = [];
  for (const action of text.matchAll(ACTION)) {
    const body = action[1]!;
    const bodyStart = action.index + 2;
    for (const call of body.matchAll(CALL)) {
      out.push({ kind: call[1] as 'env' | 'secret', name: call[2]!, offset: bodyStart + call.index, end: bodyStart + call.index + call[0].length });
    }
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

async function checkTemplates(context: RuleContext): Promise<void> {
  const stack = context.fullStack;
  for (const kind of ['configs', 'secrets'] as const) {
    for (const object of topLevel(stack.root, kind)) {
      if (scalarString(get(object.node, 'template_driver')) !== 'golang') continue;
      const file = scalarString(get(object.node, 'file'));
      if (!file || path.posix.isAbsolute(file)) continue;
      const relative = path.posix.normalize(file);
      const text = await context.recipe.source.read(relative);
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
          const span = lines.span(relative, call.offset, call.end);
          const data = { name: call.name, kind: kind === 'configs' ? 'config' : 'secret', object: object.name, file: relative, service: service.name };
          if (call.kind === 'env' && !envUnknown && !env.has(call.name)) context.report({ messageId: 'env', span, data });
          if (call.kind === 'secret' && !secrets.has(call.name)) context.report({ messageId: 'secret', span, data });
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
      why: 'Swarm renders a config with `template_driver: golang` for each task, from the environment and the secrets of the service that mounts it. `{{ env "X" }}` reads the container\'s environment, not the deploy\'s: when the service does not set `X` in `environment`, swarm renders an empty string, and the app starts with a broken file (`server _app:3000;` in an nginx config). `{{ secret "x" }}` fails the task unless secret `x` is attached to the service. No tool checks this before the deploy.',
      fix: 'Add the variable to the `environment` of every service that mounts the template (`- X=${X}`), and attach every secret the template reads (`secrets: [x]`); or read something that is set.',
      wrong:
        'services:\n  web:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/conf.d/default.conf\nconfigs:\n  nginx_conf:\n    file: nginx.conf.tmpl\n    template_driver: golang\n# nginx.conf.tmpl: server {{ env "STACK_NAME" }}_app:3000;\n',
      right:
        'services:\n  web:\n    image: nginx:1.27.3\n    environment:\n      - STACK_NAME=${STACK_NAME}\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/conf.d/default.conf\nconfigs:\n  nginx_conf:\n    file: nginx.conf.tmpl\n    template_driver: golang\n',
    },
    messages: {
      env: '{{kind}} "{{object}}" ({{file}}) reads env "{{name}}", which service "{{service}}" does not set: swarm renders it as an empty string',
      secret: '{{kind}} "{{object}}" ({{file}}) reads secret "{{name}}", which is not attached to service "{{service}}": the task fails to start',
    },
    fixable: false,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check: checkTemplates,
};

export default rule;
