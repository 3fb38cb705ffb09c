// Galley's main job on the built-in examples, offline: each step runs the
// built CLI exactly as a user would and says where to look.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const galley = path.join(root, 'packages/cli/bin/galley.js');
const examples = path.join(root, 'examples/recipes');
const recipes = readdirSync(examples).sort();

function step(title, args) {
  console.log(`\n── ${title}\n$ galley ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [galley, ...args], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

for (const name of recipes) step(`inspect ${name}`, ['recipe', 'inspect', path.relative(root, path.join(examples, name))]);

console.log(`\nDone. The example recipes are in examples/recipes/ (${recipes.join(', ')}).`);
