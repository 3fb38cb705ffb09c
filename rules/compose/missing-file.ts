import path from 'node:path';
import type { Rule, RuleContext } from '@galley/linter';
import { isGalleyError } from '@galley/platform';
import { get, isMap, isScalar, isSeq, services, topLevel, type YNode } from '@galley/recipe';
import { unsetRefs } from '../_lib/variables.js';

interface FileReference {
  node: YNode;
  file: string;
  what: string;
}

function fileReferences(root: YNode | null | undefined): FileReference[] {
  const out: FileReference[] = [];
  for (const kind of ['configs', 'secrets'] as const) {
    for (const object of topLevel(root, kind)) {
      const file = get(object.node, 'file');
      if (isScalar(file) && typeof file.value === 'string' && file.value !== '') {
        out.push({ node: file, file: file.value, what: `${kind === 'configs' ? 'config' : 'secret'} "${object.name}"` });
      }
    }
  }
  for (const service of services(root)) {
    const envFile = get(service.node, 'env_file');
    const items = isSeq(envFile) ? envFile.items : envFile ? [envFile] : [];
    for (const item of items) {
      const node = isMap(item) ? get(item, 'path') : item;
      const required = isMap(item) ? get(item, 'required') : undefined;
      if (isScalar(required) && required.value === false) continue;
      if (isScalar(node) && typeof node.value === 'string' && node.value !== '') {
        out.push({ node, file: node.value, what: `env_file of service "${service.name}"` });
      }
    }
  }
  return out;
}

/** Whether the file is there; 'outside' when it is reached through a symlink leaving the recipe folder. */
async function exists(context: RuleContext, file: string): Promise<boolean | 'outside'> {
  if (context.recipe.files.includes(file)) return true;
  try {
    return (await context.recipe.source.size(file)) !== undefined;
  } catch (error) {
    if (isGalleyError(error, 'outside-target')) return 'outside';
    // A FIFO, device or unreadable file is there; reading it is refused where it is read.
    if (isGalleyError(error)) return true;
    throw error;
  }
}

const rule: Rule = {
  meta: {
    id: 'compose/missing-file',
    severity: 'error',
    category: 'correctness',
    description: 'Files that configs, secrets and `env_file` name exist (relative to the recipe root).',
    docs: {
      why: 'A config or secret is created from its `file` when the stack deploys; a missing file stops the deploy ("open entrypoint.sh.tmpl: no such file or directory"). In a recipe it usually means the file was renamed or never committed. Relative paths are resolved from the folder of the first compose file (the recipe root), also in overlays that live in subfolders; a path that leaves the recipe folder only works on the packager\'s machine.',
      fix: 'Add the file to the recipe, or correct the path: relative to the recipe root, even in an overlay in a subfolder (`file: postgres/postgres.conf` in `postgres/compose.tune.yml`).',
      wrong:
        'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    file: nginx.conf.tmpl\n',
      right:
        'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    file: nginx.conf\n',
    },
    messages: {
      missing: '{{what}} points to {{file}}, which does not exist',
      outside: '{{what}} points to {{file}}, outside the recipe folder: it exists only on the machine the recipe was written on',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  async check(context) {
    // Docker and abra resolve relative paths from the folder of the first
    // compose file (the recipe root), also for overlays in subfolders.
    for (const tree of context.fullStack.files.values()) {
      for (const ref of fileReferences(tree.root)) {
        if (unsetRefs(ref.node).length) continue;
        if (path.posix.isAbsolute(ref.file) || ref.file.startsWith('~')) {
          if (context.recipe.kind === 'recipe') context.report({ messageId: 'outside', node: ref.node, data: { what: ref.what, file: ref.file } });
          continue;
        }
        const resolved = path.posix.normalize(ref.file);
        if (resolved.startsWith('../')) {
          if (context.recipe.kind === 'recipe') context.report({ messageId: 'outside', node: ref.node, data: { what: ref.what, file: ref.file } });
          continue;
        }
        const found = await exists(context, resolved);
        if (found === 'outside') context.report({ messageId: 'outside', node: ref.node, data: { what: ref.what, file: ref.file } });
        else if (!found) context.report({ messageId: 'missing', node: ref.node, data: { what: ref.what, file: resolved } });
      }
    }
  },
};

export default rule;
