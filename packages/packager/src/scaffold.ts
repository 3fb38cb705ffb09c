import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { writeFilesAtomic } from '@galley/platform/fs';
import { git } from '@galley/platform/git';
import { type ImageRef, parseImageRef } from '@galley/recipe';

export interface ScaffoldOptions {
  /** The folder to create the recipe in (default: the current folder). */
  parent?: string;
  /** The app's image with its version tag (default nginx:1.27.3, a placeholder). */
  image?: string;
  /** Make the folder a git repository (default true). */
  git?: boolean;
}

export interface Scaffold {
  name: string;
  dir: string;
  files: string[];
  git: boolean;
}

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DEFAULT_IMAGE = 'nginx:1.27.3';

/** Where an image is documented: Docker Hub's page, or its registry. */
function imageUrl(ref: ImageRef): string {
  if (ref.registry !== 'docker.io') return `https://${ref.registry}/${ref.repository}`;
  return ref.repository.startsWith('library/') ? `https://hub.docker.com/_/${ref.repository.slice(8)}` : `https://hub.docker.com/r/${ref.repository}`;
}

/** The files of a new recipe, each part commented as to what to replace. */
export function scaffoldFiles(name: string, image = DEFAULT_IMAGE): Record<string, string> {
  const parsed = parseImageRef(image);
  if (!parsed.ok) throw new GalleyError('bad-flag', `--image ${image}: ${parsed.reason}`);
  if (!parsed.ref.tag) throw new GalleyError('bad-flag', `--image ${image} has no tag: give the version to package, e.g. ${image}:1.2.3`);
  const ref = parsed.ref;
  const title = name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => `${dash ? ' ' : ''}${c.toUpperCase()}`);
  const repo = ref.familiar.replace(/[:@].*$/, '');
  return {
    'compose.yml': `---
# The stack of ${name}: what \`abra app deploy\` and \`galley deploy\` run.
# Every "REPLACE" comment marks something to make the app's own.
version: "3.8"

services:
  app:
    # REPLACE: the app's upstream image, pinned to a version (never "latest").
    # \`galley recipe release\` takes the "+<tag>" of release versions from it.
    image: ${ref.familiar}
    networks:
      - proxy
    # REPLACE: a check that the app answers (a command inside its image);
    # swarm restarts the app when it fails. Give slow apps a longer start_period.
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://localhost/"]
      interval: 30s
      timeout: 10s
      retries: 10
      start_period: 1m
    deploy:
      restart_policy:
        condition: on-failure
      labels:
        - "traefik.enable=true"
        # REPLACE: the port the app listens on inside its container.
        - "traefik.http.services.\${STACK_NAME}.loadbalancer.server.port=80"
        - "traefik.http.routers.\${STACK_NAME}.rule=Host(\`\${DOMAIN}\`\${EXTRA_DOMAINS})"
        - "traefik.http.routers.\${STACK_NAME}.entrypoints=web-secure"
        - "traefik.http.routers.\${STACK_NAME}.tls.certresolver=\${LETS_ENCRYPT_ENV}"
        # Leave as is: \`galley recipe release\` sets the version.
        - "coop-cloud.\${STACK_NAME}.version=0.0.0"
        - "coop-cloud.\${STACK_NAME}.timeout=\${TIMEOUT:-120}"

# REPLACE (when the app keeps data): a named volume per folder to keep, e.g.
#   volumes: [data:/var/lib/${name}] under app, and "data:" under volumes: here.
# A secret: under app, secrets: [db_password]; here,
#   secrets: { db_password: { external: true, name: \${STACK_NAME}_db_password_\${SECRET_DB_PASSWORD_VERSION} } }
# with SECRET_DB_PASSWORD_VERSION=v1 in .env.sample.

networks:
  proxy:
    external: true
`,
    '.env.sample': `TYPE=${name}

# REPLACE: the domain the app answers on.
DOMAIN=${name}.example.com

## Domain aliases
#EXTRA_DOMAINS=', \`www.${name}.example.com\`'

LETS_ENCRYPT_ENV=production

# Seconds a deploy may take to converge (the healthcheck's start_period fits in it).
#TIMEOUT=120

# REPLACE: the app's settings. A setting every app must give: set it here and
# use it in compose.yml as \${NAME}. An optional one: comment it out here and
# give compose.yml a default, \${NAME:-value}.
# A secret: SECRET_<NAME>_VERSION=v1 (add "# length=32" to generate 32 characters).
# An overlay: #COMPOSE_FILE="$COMPOSE_FILE:compose.<feature>.yml" after
# COMPOSE_FILE="compose.yml".
`,
    'abra.sh': `# Read by abra (galley reads its exports as text, never runs it).
# REPLACE: one "export <NAME>_VERSION=v1" per config of compose.yml, named
# \${STACK_NAME}_<name>_\${<NAME>_VERSION}; bump it whenever the config's file
# changes, or the swarm refuses the deploy. Shell functions here become
# \`abra app cmd\` commands.
`,
    'README.md': `# ${title}

<!-- REPLACE: one line on what the app is, and a link to its upstream. -->
${title} packaged for [Co-op Cloud](https://coopcloud.tech).

<!-- REPLACE the metadata as the recipe matures: Status 1 (alpha) to 5;
Image 4 upstream, 3 semi-official, 2 third-party, 1 own image; Email and SSO
3 automatic to 0 none, or N/A; Tests 0 to 3; Healthcheck and Backups Yes or No.
The catalogue reads this block. -->
<!-- metadata -->
* **Category**: Apps
* **Status**: 1, alpha
* **Image**: [\`${repo}\`](${imageUrl(ref)}), 4, upstream
* **Healthcheck**: Yes
* **Backups**: No
* **Email**: N/A
* **Tests**: 0
* **SSO**: N/A
<!-- endmetadata -->

## Basic usage

1. \`abra app new ${name}\` (or write an app env from \`.env.sample\`)
2. \`abra app config <app-name>\`: set the domain and settings
3. \`abra app deploy <app-name>\` (or \`galley deploy <app env>\`)

<!-- REPLACE: how to log in the first time, where data lives, how to back up. -->
`,
  };
}

/** `galley recipe new`: writes a new recipe folder (all files or none) and makes it a git repository. */
export async function scaffoldRecipe(name: string, options: ScaffoldOptions = {}): Promise<Scaffold> {
  if (!NAME.test(name)) {
    throw new GalleyError('scaffold-bad-name', `"${name}" is no recipe name: use lowercase letters, digits and dashes (e.g. my-app), at most 63 characters`);
  }
  const dir = path.resolve(options.parent ?? '.', name);
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new GalleyError('scaffold-exists', `${dir} exists and is a file: choose another name or --dir`);
    throw error;
  });
  if (existing.length) throw new GalleyError('scaffold-exists', `${dir} exists and is not empty: choose another name or --dir`);
  const files = scaffoldFiles(name, options.image);
  await writeFilesAtomic(Object.entries(files).map(([file, data]) => ({ file: path.join(dir, file), data, createFolder: true })));
  const useGit = options.git !== false;
  if (useGit) await git(['init', '--quiet', '--initial-branch=main'], { cwd: dir });
  return { name, dir, files: Object.keys(files).sort(), git: useGit };
}
