import { lintWithRule } from '@galley/linter/testing';
import { describe, expect, it } from '@jest/globals';
import { withSuggestion } from './_testing/suggestions.js';
import imageUnstableTag from './compose/image-unstable-tag.js';
import undefinedVariable from './compose/undefined-variable.js';
import unusedSecretVersion from './recipe/unused-secret-version.js';
import dependsOnLongSyntax from './swarm/depends-on-long-syntax.js';
import ignoredKey from './swarm/ignored-key.js';

/** Suggestions are never applied by --fix; these tests apply them by hand to check their edits. */
describe('suggestions', () => {
  it('pins the app image to the upstream version of the version label', async () => {
    const files = {
      'compose.yml': 'services:\n  app:\n    image: "bonfire:latest"\n    deploy:\n      labels:\n        - "coop-cloud.${STACK_NAME}.version=2.0.1+1.0.6"\n',
    };
    const [finding] = await lintWithRule(imageUnstableTag, { name: 's', files });
    expect(finding?.fix).toBeUndefined();
    expect(withSuggestion(files, finding)).toEqual({ 'compose.yml': files['compose.yml'].replace('bonfire:latest', 'bonfire:1.0.6') });
  });

  it('offers no pin when nothing names a version', async () => {
    const [finding] = await lintWithRule(imageUnstableTag, { name: 's', files: { 'compose.yml': 'services:\n  app:\n    image: nginx:latest\n' } });
    expect(finding?.suggestions).toBeUndefined();
  });

  it('rewrites long depends_on as a list', async () => {
    const files = {
      'compose.yml':
        'services:\n  app:\n    image: x:1\n    depends_on:\n      db:\n        condition: service_healthy\n      redis:\n        condition: service_started\n    ports: ["80:80"]\n',
    };
    const [finding] = await lintWithRule(dependsOnLongSyntax, { name: 's', files });
    expect(withSuggestion(files, finding)).toEqual({
      'compose.yml': 'services:\n  app:\n    image: x:1\n    depends_on:\n      - db\n      - redis\n    ports: ["80:80"]\n',
    });
  });

  it('documents an undefined variable in .env.sample', async () => {
    const files = { '.env.sample': 'DOMAIN=x.example.com', 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      - A=${SMTP_HOST}\n' };
    const [finding] = await lintWithRule(undefinedVariable, { name: 's', files });
    expect(withSuggestion(files, finding)).toEqual({ '.env.sample': 'DOMAIN=x.example.com\n#SMTP_HOST=\n' });
  });

  it('removes an unused secret version line', async () => {
    const files = { '.env.sample': 'DOMAIN=x\nSECRET_OLD_VERSION=v1 # length=32\nLETS_ENCRYPT_ENV=production\n', 'compose.yml': 'services: {}\n' };
    const [finding] = await lintWithRule(unusedSecretVersion, { name: 's', files });
    expect(withSuggestion(files, finding)).toEqual({ '.env.sample': 'DOMAIN=x\nLETS_ENCRYPT_ENV=production\n' });
  });

  it('suggests removing ignored keys in a lone compose file instead of fixing', async () => {
    const files = { 'docker-compose.yml': 'services:\n  web:\n    image: x:1\n    privileged: true\n' };
    const [finding] = await lintWithRule(ignoredKey, { name: 's', files, composeFile: true });
    expect(finding?.fix).toBeUndefined();
    expect(withSuggestion(files, finding)).toEqual({ 'docker-compose.yml': 'services:\n  web:\n    image: x:1\n' });
  });
});
