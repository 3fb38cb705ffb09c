import { formatPath, type Rule, type RuleContext } from '@galley/linter';
import { closestName, getPair, isMap, isScalar, isSeq, keyString, type YMap, type YNode } from '@galley/recipe';
import {
  compareVersions,
  FILE_VERSIONS,
  type Field,
  FORBIDDEN_SERVICE_KEYS,
  fileVersionsFor,
  TOP_LEVEL,
  type ValueType,
  VERSION_OPTIONAL_SINCE,
} from './_data/file-format.js';
import { dockerCast, dockerValue, typeOf } from './_lib/docker-values.js';

const TYPE_NAMES: Record<ValueType, string> = {
  string: 'a string',
  integer: 'a whole number',
  uint: 'a whole number (0 or more)',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
  list: 'a list',
  map: 'a mapping',
};

function expected(types: ValueType[]): string {
  const names = [...new Set(types.map((t) => TYPE_NAMES[t]))];
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 37)}…` : value}"`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}

function accepts(types: ValueType[], node: YNode, value: unknown): boolean {
  const type = typeOf(node, value as string | number | boolean | null);
  return types.some((t) => {
    if (t === 'uint') return type === 'integer' && (value as number) >= 0;
    if (t === 'number') return type === 'integer' || type === 'number';
    return t === type;
  });
}

interface Walk {
  context: RuleContext;
  version: string;
  /** Where the version came from, for messages. */
  versionNote: string;
}

const atLeast = (version: string, since: string | undefined) => since === undefined || compareVersions(version, since) >= 0;

function check(walk: Walk, node: YNode, field: Field, path: string[]): void {
  const { context } = walk;
  let value: unknown = isScalar(node) ? node.value : undefined;
  let origin = '';
  if (isScalar(node)) {
    const docker = dockerValue(node, context);
    if (docker.error || docker.unknown) return;
    value = docker.value;
    origin = docker.origin;
    if (docker.interpolated && field.cast && typeof value === 'string') {
      const cast = dockerCast(value, field.cast);
      if (cast === undefined) {
        context.report({
          messageId: 'cast',
          node,
          data: { path: formatPath(path), value, cast: field.cast === 'bool' ? 'true or false' : field.cast === 'int' ? 'a whole number' : 'a number', origin },
        });
        return;
      }
      value = cast;
    }
  }
  if (!accepts(field.types, node, value)) {
    // The long form of depends_on is swarm/depends-on-long-syntax's (it offers the list form).
    if (path.length === 3 && path[0] === 'services' && path[2] === 'depends_on' && isMap(node)) return;
    context.report({
      messageId: 'type',
      node,
      data: {
        path: formatPath(path),
        expected: expected(field.types),
        actual: isScalar(node) ? describe(value) : typeOf(node) === 'list' ? 'a list' : 'a mapping',
        origin,
      },
    });
    return;
  }
  if (field.enum && typeof value === 'string' && !field.enum.includes(value)) {
    context.report({
      messageId: 'enum',
      node,
      data: { path: formatPath(path), allowed: field.enum.map((v) => `"${v}"`).join(', '), actual: describe(value), origin },
    });
    return;
  }
  if (isMap(node)) checkMap(walk, node, field, path);
  else if (isSeq(node) && field.items) for (const [i, item] of node.items.entries()) check(walk, item, field.items, [...path, String(i)]);
}

function checkMap(walk: Walk, map: YMap, field: Field, path: string[]): void {
  const { context, version } = walk;
  const known = Object.entries(field.keys ?? {})
    .filter(([, f]) => atLeast(version, f.since))
    .map(([k]) => k);
  for (const pair of map.pairs) {
    const key = keyString(pair.key);
    const child = [...path, key];
    if (path.length === 0 && key === 'version') continue; // checked with the file's version
    if (field.keyPattern && !field.keyPattern.test(key)) {
      context.report({ messageId: 'name', node: pair.key, data: { key, where: formatPath(path), pattern: String(field.keyPattern) } });
      continue;
    }
    if (field.values && !field.keys) {
      check(walk, pair.value, field.values, child);
      continue;
    }
    const sub = field.keys?.[key];
    if (sub && atLeast(version, sub.since)) {
      check(walk, pair.value, sub, child);
      continue;
    }
    if (field.values) {
      check(walk, pair.value, field.values, child);
      continue;
    }
    if (key.startsWith('x-') && field.extensions && atLeast(version, field.extensions)) continue;
    if (field.open && atLeast(version, field.open)) continue;
    // Reported by their own rules: swarm/forbidden-key and swarm/top-level-name.
    if (path.length === 2 && path[0] === 'services' && FORBIDDEN_SERVICE_KEYS.has(key)) continue;
    if (path.length === 0 && key === 'name') continue;
    const later = sub?.since;
    const suggestion = later ? undefined : closestName(key, known);
    context.report({
      messageId: later ? 'newerKey' : 'unknownKey',
      node: pair.key,
      data: {
        key,
        where: path.length ? `in ${formatPath(path)}` : 'at the top level',
        version: walk.version,
        since: later ?? '',
        versionNote: walk.versionNote,
        hint: suggestion ? `: did you mean "${suggestion}"?` : '',
      },
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'swarm/schema',
    severity: 'error',
    category: 'schema',
    description:
      'Every compose file follows the v3 format `docker stack deploy` reads: a version it knows, only keys that version has, values of the types docker accepts after its own interpolation.',
    docs: {
      why: '`docker stack deploy` (and abra, which uses docker\'s loader) reads the older v3 compose format, not the compose-spec `docker compose` reads. It refuses the whole file for keys the v3 format lacks (`pull_policy`, `platform`, `profiles`, `cpus`, `mem_reservation`, `scale`, …) or that a file\'s `version:` is too old for, for a number or boolean written as a string (`replicas: "2"`), a boolean in a label or environment map (`traefik.enable: true`), and for `version:` values it does not know. Docker converts `${VAR}` to numbers and booleans for a few fields only (replicas, retries, read_only, …): elsewhere, such as `init` or `deploy.resources.limits.pids`, a variable gives a string and the deploy is refused. On a swarm, this rule replaces `compose/schema`.',
      fix: 'Remove keys the v3 format does not have (the message says which key to use instead, when there is one), write numbers and booleans unquoted, quote booleans in label and environment maps (`traefik.enable: "true"`), and write `version: "3.8"` (a string).',
      wrong:
        'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    pull_policy: always\n    deploy:\n      replicas: "2"\n      labels:\n        traefik.enable: true\n',
      right: 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      replicas: 2\n      labels:\n        traefik.enable: "true"\n',
    },
    messages: {
      unknownKey: 'docker stack deploy refuses the key "{{key}}" {{where}}: the v3 file format (version {{version}}{{versionNote}}) has no such key{{hint}}',
      newerKey:
        'docker stack deploy refuses the key "{{key}}" {{where}}: it exists from file version {{since}} on, and this file is version {{version}}{{versionNote}}',
      type: '{{path}} must be {{expected}} for docker stack deploy, not {{actual}}{{origin}}',
      cast: '{{path}} must be {{cast}}: docker stack deploy cannot convert "{{value}}"{{origin}}',
      enum: '{{path}} must be one of {{allowed}} for docker stack deploy, not {{actual}}{{origin}}',
      name: 'docker stack deploy refuses the name "{{key}}" in {{where}}: names may hold letters, digits, ".", "_" and "-" only',
      versionType: '`version: {{value}}` is a number; docker stack deploy refuses it: write the string "{{value}}"',
      versionUnknown: 'docker stack deploy (Docker {{docker}}) refuses version "{{value}}": it reads {{known}}',
      versionMissing:
        'the file has no `version:`, which docker stack deploy before Docker 23.0 refuses (this run assumes Docker {{docker}}): write version: "3.8"',
      versionMismatch:
        '{{file}} is version {{value}} but {{other}} is {{otherVersion}}: docker stack deploy refuses files of different versions deployed together',
    },
    fixable: false,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const docker = context.settings.dockerVersion;
    const known = fileVersionsFor(docker);
    const newest = known[known.length - 1] ?? '3.8';
    const optional = compareVersions(docker, VERSION_OPTIONAL_SINCE) >= 0;
    const versions = new Map<string, { version: string; node?: YNode }>();
    for (const [file, parsed] of context.recipe.composeFiles) {
      const root = parsed.root;
      if (!isMap(root)) continue;
      const pair = getPair(root, 'version');
      let version = newest;
      let versionNote = pair ? '' : ', the newest, as the file names none';
      let effective = optional ? newest : '';
      if (!pair) {
        if (!optional) context.report({ messageId: 'versionMissing', span: root.pairs[0]?.key.span ?? root.span, data: { docker } });
      } else if (isScalar(pair.value)) {
        const raw = pair.value.value === null ? '' : String(pair.value.value);
        if (typeof pair.value.value === 'number') context.report({ messageId: 'versionType', node: pair.value, data: { value: raw } });
        const normalized = raw === '' || raw === '3' ? (optional ? newest : '3.0') : raw;
        if (normalized !== raw) versionNote = `, read as ${normalized}`;
        if (!known.includes(normalized)) {
          const supported = FILE_VERSIONS.some(([v]) => v === normalized);
          context.report({
            messageId: 'versionUnknown',
            node: pair.value,
            data: { value: raw, docker, known: `${known[0]} to ${newest}${supported ? ` (${normalized} needs a newer Docker)` : ''}` },
          });
          // Keys are judged as the newest version docker knows.
        } else version = normalized;
        effective = normalized;
      }
      versions.set(file, { version: effective, ...(pair ? { node: pair.value } : {}) });
      check({ context, version, versionNote }, root, TOP_LEVEL, []);
    }
    // The files of one deploy must agree on their version (an absent one counts as the default).
    const deployed = context.stack.composeFiles.filter((f) => versions.has(f));
    const [first, ...rest] = deployed;
    for (const file of rest) {
      const a = versions.get(first!)!;
      const b = versions.get(file)!;
      if (a.version === b.version) continue;
      context.report({
        messageId: 'versionMismatch',
        span: b.node?.span ?? context.recipe.composeFiles.get(file)!.lines.span(file, 0, 0),
        data: { file, value: b.version || '(none)', other: first!, otherVersion: a.version || '(none)' },
      });
    }
  },
};

export default rule;
