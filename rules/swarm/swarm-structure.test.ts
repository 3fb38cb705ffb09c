import { testRule } from '@galley/linter/testing';
import dependsOnLongSyntax from './depends-on-long-syntax.js';
import replicasGlobal from './replicas-global.js';
import topLevelName from './top-level-name.js';

testRule(topLevelName, {
  valid: [
    { name: 'no name', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n' } },
    { name: 'a service called name', files: { 'compose.yml': 'services:\n  name:\n    image: x:1\n' } },
  ],
  invalid: [
    {
      name: 'top-level name',
      files: { 'compose.yml': '# my app\nname: myapp\nservices:\n  app:\n    image: x:1\n' },
      errors: [
        {
          messageId: 'name',
          message: 'top-level `name` makes docker stack deploy refuse compose.yml: the stack name comes from the deploy command',
          line: 2,
          col: 1,
          endLine: 2,
          endCol: 5,
        },
      ],
      output: { 'compose.yml': '# my app\nservices:\n  app:\n    image: x:1\n' },
    },
    {
      name: 'lone compose file: suggestion only',
      composeFile: true,
      files: { 'docker-compose.yml': 'name: demo\nservices:\n  app:\n    image: x:1\n' },
      errors: [
        {
          messageId: 'name',
          line: 1,
          col: 1,
          endLine: 1,
          endCol: 5,
          suggestions: [{ desc: 'remove the top-level `name`', output: { 'docker-compose.yml': 'services:\n  app:\n    image: x:1\n' } }],
        },
      ],
      output: null,
    },
  ],
});

testRule(dependsOnLongSyntax, {
  valid: [{ name: 'list form', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    depends_on: [db]\n  db:\n    image: y:1\n' } }],
  invalid: [
    {
      name: 'long form with conditions',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    depends_on:\n      db:\n        condition: service_healthy\n      redis:\n        condition: service_started\n',
      },
      errors: [
        {
          messageId: 'long',
          message: '`depends_on` of service "app" uses the long form, which docker stack deploy refuses: write a list of names (db, redis)',
          line: 4,
          col: 5,
          endLine: 4,
          endCol: 15,
          suggestions: [
            {
              desc: 'rewrite depends_on as a list of names',
              output: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    depends_on:\n      - db\n      - redis\n' },
            },
          ],
        },
      ],
    },
  ],
});

testRule(replicasGlobal, {
  valid: [
    {
      name: 'replicated with replicas',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      mode: replicated\n      replicas: 2\n' },
    },
    { name: 'global without replicas', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      mode: global\n' } },
  ],
  invalid: [
    {
      name: 'global with replicas',
      files: { 'compose.yml': 'services:\n  agent:\n    image: x:1\n    deploy:\n      mode: global\n      replicas: 1 # one per node\n      labels: [a=b]\n' },
      errors: [
        { messageId: 'replicas', message: 'service "agent" runs in mode: global, where `replicas` is refused', line: 6, col: 7, endLine: 6, endCol: 15 },
      ],
      output: { 'compose.yml': 'services:\n  agent:\n    image: x:1\n    deploy:\n      mode: global\n      labels: [a=b]\n' },
    },
    {
      name: 'mode set by an overlay of the default deploy',
      files: {
        'compose.yml': 'services:\n  agent:\n    image: x:1\n    deploy:\n      replicas: 1\n',
        'compose.global.yml': 'services:\n  agent:\n    deploy:\n      mode: global\n',
        '.env.sample': 'COMPOSE_FILE=compose.yml:compose.global.yml\n',
      },
      errors: [{ messageId: 'replicas', file: 'compose.yml', line: 5, col: 7, endLine: 5, endCol: 15 }],
    },
  ],
});
