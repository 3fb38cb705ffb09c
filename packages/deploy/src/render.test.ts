import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { parseAppEnv } from './app-env.js';
import { locateRecipe } from './recipe-locator.js';
import { renderStack, resolveAppStack } from './render.js';

interface RenderedDoc {
  services: { app: { deploy: { labels: unknown; replicas: unknown }; environment: unknown }; db: { env_file: unknown; environment: unknown } };
  configs: { conf: { file?: string } };
}

const root = mkdtempSync(path.join(os.tmpdir(), 'galley-render-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function recipe(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(root, 'r-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const COMPOSE = `version: "3.8"
services:
  app:
    image: local/busybox:\${TAG:-1}
    environment:
      - PRICE=$$5
      - GREETING=\${GREETING}
      - TZ
      - NOT_IN_APP_ENV
    configs:
      - source: conf
        target: /conf
    deploy:
      replicas: \${REPLICAS:-1}
      labels:
        - "coop-cloud.\${STACK_NAME}.version=0.9.0+1"
        - "coop-cloud.\${STACK_NAME}.timeout=\${TIMEOUT:-120}"
        - "traefik.enable=true"
  db:
    image: local/busybox:1
    env_file: db.env
    environment:
      PGTZ:
configs:
  conf:
    name: \${STACK_NAME}_conf_\${CONF_VERSION}
    file: ./conf/app.conf
    template_driver: golang
secrets:
  db_password:
    external: true
    name: \${STACK_NAME}_db_password_\${SECRET_DB_PASSWORD_VERSION}
`;

describe('renderStack', () => {
  it('interpolates, adds the coop-cloud labels, escapes $ and makes file paths absolute', async () => {
    const dir = recipe({
      'compose.yml': COMPOSE,
      'abra.sh': 'export CONF_VERSION=v3\n',
      'conf/app.conf': 'x',
      'db.env': 'A=1\n',
      '.env.sample': 'TYPE=shop\n',
    });
    const app = parseAppEnv(
      'TYPE=shop\nDOMAIN=shop.example.org\nGREETING=hi $$there\nREPLICAS=2\nSECRET_DB_PASSWORD_VERSION=v2 # length=12\nTZ=Europe/Paris\nPGTZ=UTC+$1\n',
      'shop.env',
    );
    const located = await locateRecipe(app, { recipeDir: dir, chaos: true });
    try {
      const stack = resolveAppStack(located, app);
      const rendered = renderStack(stack, located, app, { baseDir: dir });
      const doc = parse(rendered.compose) as RenderedDoc;
      expect(doc.services.app.deploy.labels).toEqual({
        'coop-cloud.shop_example_org.version': '0.9.0+1',
        'coop-cloud.shop_example_org.timeout': '120',
        'traefik.enable': 'true',
        'coop-cloud.shop_example_org.recipe': 'shop',
        'coop-cloud.shop_example_org.chaos': 'true',
        'coop-cloud.shop_example_org.chaos-version': 'unknown',
      });
      // docker stack deploy interpolates again: literal dollars must reach it doubled.
      expect(doc.services.app.environment).toEqual(['PRICE=$$5', 'GREETING=hi $$there', 'TZ=Europe/Paris', 'NOT_IN_APP_ENV']);
      // A pass-through takes the app env's value, as docker stack deploy does with abra's environment.
      expect(doc.services.db.environment).toEqual({ PGTZ: 'UTC+$$1' });
      expect(doc.services.app.deploy.replicas).toBe(2);
      expect(doc.configs.conf).toEqual({ name: 'shop_example_org_conf_v3', file: path.join(dir, 'conf/app.conf'), template_driver: 'golang' });
      expect(doc.services.db.env_file).toBe(path.join(dir, 'db.env'));
      expect(rendered.timeoutSeconds).toBe(120);
      expect(rendered.version).toBe('0.9.0+1');
      expect(rendered.files).toEqual(['conf/app.conf', 'db.env']);
      expect(rendered.secrets).toMatchObject([
        { key: 'db_password', name: 'shop_example_org_db_password_v2', versionVariable: 'SECRET_DB_PASSWORD_VERSION', version: 'v2', usedBy: [] },
      ]);
      expect(rendered.configs).toMatchObject([
        { key: 'conf', name: 'shop_example_org_conf_v3', file: 'conf/app.conf', versionVariable: 'CONF_VERSION', templateDriver: 'golang', usedBy: ['app'] },
      ]);
      // Without a base folder, paths stay as written (dry runs of a recipe in git).
      const relative = parse(renderStack(stack, located, app).compose) as RenderedDoc;
      expect(relative.configs.conf.file).toBe('./conf/app.conf');
    } finally {
      await located.dispose();
    }
  });

  it('refuses a stack without an app service, and COMPOSE_FILE naming a missing file', async () => {
    const dir = recipe({ 'compose.yml': 'services:\n  web:\n    image: nginx:1\n' });
    const app = parseAppEnv('TYPE=x\nDOMAIN=x.example\n', 'x.env');
    const located = await locateRecipe(app, { recipeDir: dir, chaos: true });
    try {
      expect(() => renderStack(resolveAppStack(located, app), located, app)).toThrow(/no service named "app"/);
      const overlay = parseAppEnv('TYPE=x\nDOMAIN=x.example\nCOMPOSE_FILE=compose.yml:compose.smtp.yml\n', 'x.env');
      expect(() => resolveAppStack(located, overlay)).toThrow(/COMPOSE_FILE names compose\.smtp\.yml, which recipe x .* does not have/);
      const required = recipe({ 'compose.yml': 'services:\n  app:\n    image: nginx:${TAG:?set TAG}\n' });
      const needsTag = await locateRecipe(app, { recipeDir: required, chaos: true });
      expect(() => resolveAppStack(needsTag, app)).toThrow(/cannot be rendered:\n {2}compose\.yml:3:\d+: .*set TAG/);
      await needsTag.dispose();
    } finally {
      await located.dispose();
    }
  });
});
