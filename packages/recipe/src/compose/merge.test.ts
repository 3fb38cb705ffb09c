import { describe, expect, it } from '@jest/globals';
import { getIn, toJS, type YNode } from '../yaml/nodes.js';
import { parseYaml } from '../yaml/parse.js';
import { mergeComposeTrees } from './merge.js';

function merge(...files: string[]): YNode | null {
  return mergeComposeTrees(files.map((text, i) => parseYaml(text, `f${i}.yml`).root));
}

function merged(...files: string[]): unknown {
  return toJS(merge(...files));
}

describe('mergeComposeTrees', () => {
  it('merges mappings by key and replaces scalars', () => {
    expect(merged('services:\n  app:\n    image: a:1\n    user: x\n', 'services:\n  app:\n    image: a:2\n  db:\n    image: db\n')).toEqual({
      services: { app: { image: 'a:2', user: 'x' }, db: { image: 'db' } },
    });
  });

  it('appends sequences without repeating identical scalars', () => {
    expect(
      merged('services:\n  a:\n    dns: [1.1.1.1]\n    cap_add: [NET_ADMIN]\n', 'services:\n  a:\n    dns: [8.8.8.8, 1.1.1.1]\n    cap_add: [SYS_TIME]\n'),
    ).toEqual({
      services: { a: { dns: ['1.1.1.1', '8.8.8.8'], cap_add: ['NET_ADMIN', 'SYS_TIME'] } },
    });
  });

  it('replaces command, entrypoint and healthcheck.test', () => {
    expect(
      merged(
        'services:\n  a:\n    command: [echo, foo]\n    entrypoint: [sh]\n    healthcheck:\n      test: [CMD, a]\n      retries: 3\n',
        'services:\n  a:\n    command: [echo, bar]\n    entrypoint: [bash]\n    healthcheck:\n      test: [CMD, b]\n',
      ),
    ).toEqual({ services: { a: { command: ['echo', 'bar'], entrypoint: ['bash'], healthcheck: { test: ['CMD', 'b'], retries: 3 } } } });
  });

  it('merges volumes by target', () => {
    expect(
      merged(
        'services:\n  a:\n    volumes:\n      - foo:/work\n      - logs:/logs\n',
        'services:\n  a:\n    volumes:\n      - bar:/work\n      - type: bind\n        source: ./x\n        target: /x\n',
      ),
    ).toEqual({
      services: { a: { volumes: ['bar:/work', 'logs:/logs', { type: 'bind', source: './x', target: '/x' }] } },
    });
  });

  it('merges secrets and configs by target (short syntax: the name)', () => {
    expect(
      merged(
        'services:\n  a:\n    secrets: [db_password, api_key]\n    configs:\n      - source: conf\n        target: /etc/app.conf\n',
        'services:\n  a:\n    secrets:\n      - source: db_password\n        target: db_password\n        mode: 0400\n    configs:\n      - source: conf_v2\n        target: /etc/app.conf\n',
      ),
    ).toEqual({
      services: {
        a: {
          secrets: [{ source: 'db_password', target: 'db_password', mode: 0o400 }, 'api_key'],
          configs: [{ source: 'conf_v2', target: '/etc/app.conf' }],
        },
      },
    });
  });

  it('merges a port written in the short and the long syntax, or as a one-port range, as one port', () => {
    expect(
      merged(
        'services:\n  a:\n    ports: ["8080:80", "53:53/udp"]\n',
        'services:\n  a:\n    ports:\n      - target: 80\n        published: 8080\n        mode: host\n      - "53-53:53/UDP"\n',
      ),
    ).toEqual({ services: { a: { ports: [{ target: 80, published: 8080, mode: 'host' }, '53-53:53/UDP'] } } });
  });

  it('merges ports by ip, target, published and protocol', () => {
    expect(merged('services:\n  a:\n    ports: ["80:80", "443:443"]\n', 'services:\n  a:\n    ports: ["80:80", "8080:80", "53:53/udp"]\n')).toEqual({
      services: { a: { ports: ['80:80', '443:443', '8080:80', '53:53/udp'] } },
    });
  });

  it('merges environment and labels by name across list and map forms', () => {
    expect(
      merged(
        'services:\n  a:\n    environment:\n      - A=1\n      - B=2\n    deploy:\n      labels:\n        - "traefik.enable=true"\n        - "x=1"\n',
        'services:\n  a:\n    environment:\n      B: 3\n      C: 4\n    deploy:\n      labels:\n        - "x=2"\n',
      ),
    ).toEqual({
      services: {
        a: {
          environment: { A: '1', B: 3, C: 4 },
          deploy: { labels: ['traefik.enable=true', 'x=2'] },
        },
      },
    });
  });

  it('merges depends_on and networks by name, list or map', () => {
    expect(
      merged(
        'services:\n  a:\n    depends_on: [db]\n    networks: [internal]\n',
        'services:\n  a:\n    depends_on: [cache]\n    networks:\n      proxy:\n        aliases: [web]\n',
      ),
    ).toEqual({
      services: { a: { depends_on: ['db', 'cache'], networks: { internal: null, proxy: { aliases: ['web'] } } } },
    });
  });

  it('replaces logging when the driver changes and merges options otherwise', () => {
    expect(
      merged(
        'services:\n  a:\n    logging:\n      driver: json-file\n      options: {max-size: 10m}\n',
        'services:\n  a:\n    logging:\n      driver: syslog\n',
      ),
    ).toEqual({
      services: { a: { logging: { driver: 'syslog' } } },
    });
    expect(
      merged(
        'services:\n  a:\n    logging:\n      driver: json-file\n      options: {max-size: 10m}\n',
        'services:\n  a:\n    logging:\n      options: {max-file: "3"}\n',
      ),
    ).toEqual({
      services: { a: { logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } } } },
    });
  });

  it('honours !reset and !override', () => {
    expect(
      merged(
        'services:\n  a:\n    image: a\n    ports: ["80:80"]\n    environment:\n      FOO: bar\n      KEEP: 1\n',
        'services:\n  a:\n    ports: !reset []\n    environment:\n      FOO: !reset null\n',
      ),
    ).toEqual({ services: { a: { image: 'a', environment: { KEEP: 1 } } } });
    expect(merged('services:\n  a:\n    ports: ["80:80"]\n', 'services:\n  a:\n    ports: !override ["8443:443"]\n')).toEqual({
      services: { a: { ports: ['8443:443'] } },
    });
  });

  it('merges top-level objects by name', () => {
    expect(
      merged('secrets:\n  a: {external: true}\nnetworks:\n  proxy: {external: true}\n', 'secrets:\n  b: {external: true}\nnetworks:\n  internal:\n'),
    ).toEqual({
      secrets: { a: { external: true }, b: { external: true } },
      networks: { proxy: { external: true }, internal: null },
    });
  });

  it('keeps the file and position of each merged value', () => {
    const tree = merge('services:\n  app:\n    image: a:1\n    user: x\n', 'services:\n  app:\n    image: a:2\n');
    expect(getIn(tree, 'services', 'app', 'image')?.span).toMatchObject({ file: 'f1.yml', line: 3, col: 12 });
    expect(getIn(tree, 'services', 'app', 'user')?.span).toMatchObject({ file: 'f0.yml', line: 4, col: 11 });
  });

  it('skips missing files', () => {
    expect(mergeComposeTrees([null, parseYaml('a: 1', 'x.yml').root, null])).toMatchObject({ kind: 'map' });
    expect(mergeComposeTrees([])).toBeNull();
  });
});
