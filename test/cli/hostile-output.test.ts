// Text from a recipe reaching stderr through the built CLI: a compose file's
// value holding a newline, CR, ESC and a workflow command cannot print a line
// of its own in galley's error, move the cursor or forge a CI annotation.
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runGalley } from '../support/cli.js';
import { removeTree, writeTree } from '../support/recipe-fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

describe('hostile text on stderr', () => {
  it('galley env check: a required-variable message with a newline and ESC is one escaped line of the error, exit 2', async () => {
    // YAML's double-quoted escapes: \n, \r and \e become a real newline, CR and ESC in the value.
    const message = String.raw`\ngalley: app.env matches recipe hostile\r\e[2J\n::error file=compose.yml::forged`;
    const dir = writeTree(
      {
        'hostile/compose.yml': `version: "3.8"\nservices:\n  app:\n    image: "nginx:\${TAG:?${message}}"\n`,
        'hostile/.env.sample': 'TYPE=hostile\nDOMAIN=hostile.example.org\n',
        'app.env': 'TYPE=hostile\nDOMAIN=hostile.example.org\n',
      },
      'galley-hostile-output-',
    );
    dirs.push(dir);
    const result = await runGalley(['env', 'check', path.join(dir, 'app.env'), '--recipe', path.join(dir, 'hostile'), '--chaos'], {
      cwd: dir,
      env: { HOME: dir },
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^galley: the stack of .*app\.env cannot be rendered:\n {2}compose\.yml:4:\d+: .*TAG/);
    expect(result.stderr).toContain('\\u000agalley: app.env matches recipe hostile\\u000d\\u001b[2J\\u000a::error file=compose.yml::forged');
    expect(result.stderr).not.toMatch(/[\r\u001b]/);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toMatch(/^\s*(galley: app\.env matches|::)/);
  });
});
