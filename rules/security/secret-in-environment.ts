import type { Rule } from '@galley/linter';
import { type ComposeFile, get, interpolateString, isMap, isScalar, isSeq, keyString, type Span, services, type YNode, type YScalar } from '@galley/recipe';

/** Variable names that hold secrets (the `_FILE` variants point at files and are fine). */
const SECRET_NAME = /(?:^|_)(?:PASSWORD|PASSWD|PASS|PASSPHRASE|PW|SECRET|TOKEN|CREDENTIALS?|[A-Z]*KEY)$/;
const NOT_SECRET = /(?:^|_)(?:PUBLIC_KEY|PUB_KEY|KEY_ID|ACCESS_KEY_ID|SORT_KEY|PRIMARY_KEY|FOREIGN_KEY|HOTKEY|TURNKEY|MONKEY|DONKEY|JOCKEY|HOCKEY|WHISKEY)$/;
const HARMLESS = /^(?:|true|false|yes|no|on|off|0|1|none|null|changeme_later)$/i;

/** The end of a word written without separators (`dbpass`, `igdbclientsecret`, `dbPassword`). */
const GLUED_SECRET = /(?:PASSWORD|PASSWD|PASSPHRASE|PASS|SECRET|TOKEN|APIKEY|PRIVATEKEY|SECRETKEY|ACCESSKEY)$/;
const NOT_GLUED_SECRET = /(?:BYPASS|COMPASS|SURPASS|TRESPASS|OVERPASS|UNDERPASS|PUBLICKEY)$/;

export function looksLikeSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (SECRET_NAME.test(upper) && !NOT_SECRET.test(upper)) return true;
  const last = upper.split(/[^A-Z0-9]+/).pop() ?? '';
  return GLUED_SECRET.test(last) && !NOT_GLUED_SECRET.test(last);
}

/** The literal part of a value as written: what remains when `${…}` references are left out (their defaults are kept). */
function literalPart(raw: string): { literal: string; fromDefault: boolean } {
  let fromDefault = false;
  const result = interpolateString(raw, () => undefined);
  for (const ref of result.refs) if (ref.defaulted && ref.argument) fromDefault = true;
  return { literal: result.value, fromDefault };
}

interface EnvironmentValue {
  name: string;
  /** The value as written (before interpolation). */
  raw: string;
  node: YScalar;
  /** Where the value is written, when it can be located exactly. */
  span?: Span;
}

/** The `NAME=value` entries of `environment`, list or map form, with where each value is written. */
function environmentValues(environment: YNode | undefined, file: ComposeFile | undefined): EnvironmentValue[] {
  const out: EnvironmentValue[] = [];
  if (isSeq(environment)) {
    for (const node of environment.items) {
      if (!isScalar(node)) continue;
      const written = node.interpolation?.raw ?? (typeof node.value === 'string' ? node.value : undefined);
      const eq = written?.indexOf('=') ?? -1;
      if (written === undefined || eq === -1) continue;
      const value: EnvironmentValue = { name: written.slice(0, eq), raw: written.slice(eq + 1), node };
      const quote = node.style === 'plain' ? 0 : node.style === 'single' || node.style === 'double' ? 1 : -1;
      if (file && quote >= 0 && file.text.slice(node.span.offset + quote, node.span.endOffset - quote) === written) {
        const start = node.span.offset + quote + eq + 1;
        value.span = file.lines.span(node.span.file, start, start + written.length - eq - 1);
      }
      out.push(value);
    }
  } else if (isMap(environment)) {
    for (const pair of environment.pairs) {
      const node = pair.value;
      if (!isScalar(node) || node.value === null) continue;
      out.push({ name: keyString(pair.key), raw: node.interpolation?.raw ?? String(node.value), node, span: node.span });
    }
  }
  return out;
}

const rule: Rule = {
  meta: {
    id: 'security/secret-in-environment',
    severity: 'warning',
    category: 'security',
    description: 'Passwords, tokens and keys are not written into the compose file as environment values.',
    docs: {
      why: 'A password written into the compose file (`POSTGRES_PASSWORD=secret`, or a default `${DB_PASSWORD:-changeme}`) is the same on every install, public in the recipe repository, and visible to anyone who can run `docker service inspect`. Swarm secrets are generated per app, stored encrypted and mounted as files only into the services that need them.',
      fix: 'Declare a secret, mount it into the service and point the app at the file: most images read `<NAME>_FILE` (`POSTGRES_PASSWORD_FILE=/run/secrets/db_password`); otherwise read the file in an entrypoint script. In a recipe, add `SECRET_<NAME>_VERSION=v1` to `.env.sample` so abra generates it.',
      wrong: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      - POSTGRES_PASSWORD=secret\n',
      right:
        'services:\n  db:\n    image: postgres:16.4\n    environment:\n      - POSTGRES_PASSWORD_FILE=/run/secrets/db_password\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n',
    },
    messages: {
      literal: '{{name}} of service "{{service}}" is set to a literal value in the compose file; use a secret (`{{name}}_FILE=/run/secrets/…`)',
      defaultValue:
        '{{name}} of service "{{service}}" falls back to a literal default in the compose file, so every install that does not set it shares that secret',
    },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const [file, tree] of context.fullStack.files) {
      const parsed = context.recipe.composeFiles.get(file);
      for (const service of services(tree.root)) {
        for (const entry of environmentValues(get(service.node, 'environment'), parsed)) {
          if (!looksLikeSecretName(entry.name)) continue;
          const { literal, fromDefault } = literalPart(entry.raw);
          const value = literal.trim();
          if (HARMLESS.test(value) || value.startsWith('/run/secrets/') || value.startsWith('/')) continue;
          const span = entry.span ?? entry.node.span;
          context.report({ messageId: fromDefault ? 'defaultValue' : 'literal', span, data: { name: entry.name, service: service.name } });
        }
      }
    }
  },
};

export default rule;
