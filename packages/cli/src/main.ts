import { EXIT, EXIT_CODES_HELP } from '@galley/platform';
import { Command, InvalidArgumentError, Option } from 'commander';
import { reportError } from './errors.js';
import { installInterrupts } from './interrupt.js';

declare const GALLEY_VERSION: string;

/** Collects a repeatable flag's values. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number (0 or more)');
  return Number(value);
}

function portNumber(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('not a port number (0–65535; 0 picks a free one)');
  return Number(value);
}

function months(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('a whole number of months (1 or more)');
  return Number(value);
}

function secondsOrZero(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number of seconds, 0 or more');
  return n;
}

/**
 * The galley command line: flags and wiring only. Each command's module is
 * imported when the command runs, so `galley --version` loads almost nothing.
 */
export function buildProgram(): Command {
  const program = new Command('galley')
    .description('Lint, catalogue, publish and deploy Co-op Cloud recipes')
    .version(typeof GALLEY_VERSION === 'string' ? GALLEY_VERSION : 'dev', '-V, --version')
    .showHelpAfterError('(run galley --help for usage)')
    // Program options (-V/--version) only before a command, so `galley deploy --version 1.2.0` is the deploy's flag.
    .enablePositionalOptions()
    // Throw instead of exiting, so main() maps usage errors to exit code 2
    // (set before adding commands: subcommands copy it).
    .exitOverride()
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`);

  const recipe = program.command('recipe').description('work with one recipe');
  recipe
    .command('inspect')
    .description('print the resolved recipe: compose files, services, images, secrets, configs, env vars, versions')
    .argument('<recipe>', 'a recipe folder, or git-url#ref (a tag, branch or commit)')
    .option('--env <file>', 'an app env file to resolve with instead of .env.sample')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  galley recipe inspect examples/recipes/forum\n  galley recipe inspect git://git.example.org/recipes/forum.git#1.2.0+3.4 --json\n',
    )
    .action(async (spec: string, options: { env?: string; json?: boolean }) => {
      const { recipeInspect } = await import('./commands/recipe-inspect.js');
      process.exitCode = await recipeInspect(spec, options);
    });
  recipe
    .command('upgrade')
    .description('move each service image to the best compatible upstream tag (a minimal edit of image:, comments kept)')
    .argument('<dir>', 'a recipe folder')
    .addOption(new Option('--patch', 'only patch upgrades (1.2.3 -> 1.2.4)').conflicts(['minor', 'major']))
    .addOption(new Option('--minor', 'patch or minor upgrades (the default)').conflicts('major'))
    .option('--major', 'any upgrade, major ones too')
    .option('--dry-run', 'print the diff and the summary; change nothing')
    .option('--config <file>', 'registry settings (hosts, timeouts) from a galley-catalogue.yml')
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  galley recipe upgrade examples/recipes/forum --dry-run\n  galley recipe upgrade . --major\n\nExit codes: 0 done, 2 unusable input, 3 some registries could not be asked.\n',
    )
    .action(async (dir: string, options: import('./commands/recipe-upgrade.js').RecipeUpgradeOptions) => {
      const { recipeUpgrade } = await import('./commands/recipe-upgrade.js');
      process.exitCode = await recipeUpgrade(dir, options);
    });

  recipe
    .command('diff')
    .description(
      'what changes between two versions of a recipe: services, images (patch/minor/major), env vars (required or optional), overlays, secrets, configs, volumes, networks, healthchecks, deploy policies, Traefik routes, release notes',
    )
    .argument('<recipe>', 'a recipe folder (a git work tree), a repository, or a git URL')
    .argument('<from>', 'the older version: a release tag (or branch, commit) of the recipe, or a folder')
    .argument('[to]', 'the newer version, the same way (default: the work tree; for a URL its HEAD)')
    .option('--env <file>', "resolve both versions with an app's env file (its COMPOSE_FILE and values) instead of .env.sample")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--json', 'same as --format json')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a change is at this level').choices(['breaking']))
    .addHelpText(
      'after',
      '\nBreaking: a new required env var, a new secret, a removed volume, a major image jump (or another image).\n\nExamples:\n  galley recipe diff . 1.0.0+1.26.0\n  galley recipe diff ~/src/forum 0.1.0+3.8.3 0.2.0+3.8.4 --format markdown\n  galley recipe diff https://git.example.org/recipes/forum.git 0.2.0+3.8.4 --env forum.example.org.env --fail-on breaking\n\nExit codes: 0 compared, 1 breaking changes with --fail-on breaking, 2 unusable input (unknown tag, unreadable file).\n',
    )
    .action(async (spec: string, from: string, to: string | undefined, options: import('./commands/recipe-diff.js').RecipeDiffOptions) => {
      const { recipeDiff } = await import('./commands/recipe-diff.js');
      process.exitCode = await recipeDiff(spec, from, to, options);
    });
  recipe
    .command('release')
    .description(
      'release a recipe: the next version from the diff against the last release, the version label, release/<version> notes, a lint gate, a commit and an annotated tag',
    )
    .argument('[dir]', 'the recipe folder (the top of a git work tree)', '.')
    .addOption(new Option('--major', 'force a major release').conflicts(['minor', 'patch']))
    .addOption(new Option('--minor', 'force a minor release').conflicts(['major', 'patch']))
    .addOption(new Option('--patch', 'force a patch release').conflicts(['major', 'minor']))
    .option('--dry-run', 'show the version, label, notes, lint result and git steps; change nothing')
    .option('--push', 'push the release commit and tag (atomically) to the remote')
    .option('--remote <name>', 'the remote to push to', 'origin')
    .option('--json', 'print the plan or result as JSON')
    .addHelpText(
      'after',
      '\nThe bump: major when anything is breaking (a new required env var, a new secret, a removed volume,\na major image jump), minor on a minor image jump or a new optional setting, patch otherwise;\nthe version is <recipe semver>+<tag of the app image>. release/<version> is kept when it exists.\n\nExamples:\n  galley recipe release --dry-run\n  galley recipe release ~/src/forum --minor --push\n\nExit codes: 0 released (or planned), 1 committed but the tag or push failed (the message says how to finish),\n2 refused: lint errors, uncommitted changes, an existing tag, no version label.\n',
    )
    .action(async (dir: string, options: import('./commands/recipe-release.js').RecipeReleaseOptions) => {
      const { recipeRelease } = await import('./commands/recipe-release.js');
      process.exitCode = await recipeRelease(dir, options);
    });
  recipe
    .command('new')
    .description('scaffold a recipe that lints clean: compose.yml, .env.sample, abra.sh, README with metadata, each commented as to what to replace')
    .argument('<name>', 'the recipe name: lowercase letters, digits and dashes')
    .option('--dir <folder>', 'create <folder>/<name> (default: ./<name>)')
    .option('--image <image>', "the app's upstream image with its version tag (default: nginx:1.27.3, a placeholder)")
    .option('--no-git', 'do not make the folder a git repository')
    .option('--json', 'print what was written as JSON')
    .addHelpText('after', '\nExamples:\n  galley recipe new my-app\n  galley recipe new wiki --dir ~/src --image ghcr.io/example/wiki:2.4.1\n')
    .action(async (name: string, options: import('./commands/recipe-new.js').RecipeNewOptions) => {
      const { recipeNew } = await import('./commands/recipe-new.js');
      process.exitCode = await recipeNew(name, options);
    });

  const catalogue = program.command('catalogue').description('the version catalogue (recipes.json) of many recipes');
  catalogue
    .command('generate')
    .description('scan recipe repositories, release tags, images, digests and upgrades; write recipes.json')
    .option('-c, --config <file>', 'configuration file (default: galley-catalogue.yml in the current folder, if any)')
    .option(
      '-s, --source <spec>',
      'a source instead of the configured ones: github:ORG, gitea:https://HOST/ORG, list:FILE (repeatable)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('-o, --out <file>', 'the catalogue file (default: recipes.json)')
    .option('--cache <dir>', 'cache folder: git mirrors, scan state, registry answers (default: ~/.cache/galley)')
    .option('--readmes <dir>', 'also write each recipe README to <dir>/<recipe>.md')
    .option('--media <dir>', 'where the copies of icons and README images go (default: media/ beside the catalogue)')
    .option('--no-media', 'make no copies of icons and README images (the site then links to them instead)')
    .option('--offline', "ask no registry: digests and upgrades are the previous catalogue's")
    .option('--refresh', 'ignore the scan state and registry cache: read and ask everything again')
    .option('--only <names>', 'only these recipes (comma-separated); others keep their entries')
    .option('--include-archived', 'scan archived repositories too')
    .option('--exclude <names>', 'repositories that are no recipes (comma-separated, * wildcards); added to exclude: in the configuration')
    .option('--allow-shrink', 'write the catalogue even when it loses more recipes than maxShrink allows (default 10%)')
    .option(
      '--changes <file>',
      "write the run's changes to a file: .json as JSON, anything else as Markdown (repeatable; also appended to $GITHUB_STEP_SUMMARY when set)",
      (v: string, all: string[] = []) => [...all, v],
    )
    .addOption(new Option('--format <format>', "layout of recipes.json: galley's (sorted keys) or abra's own").choices(['galley', 'abra']))
    .option('--image-dates', 'read image creation dates to compute daysBehind (more requests)')
    .option('--concurrency <n>', 'registry requests in flight per host (default 8)')
    .option('--git-concurrency <n>', 'repositories fetched at once (default 8)')
    .option('--retries <n>', 'retries of a failed registry request (default 5)')
    .option('--timeout <duration>', 'timeout of one registry request, e.g. 30s (default 30s)')
    .option('--json', 'print JSON events, one a line, and a JSON summary')
    .addHelpText(
      'after',
      '\nExamples:\n  galley catalogue generate --source gitea:https://git.coopcloud.tech/coop-cloud\n  galley catalogue generate --source list:recipes.txt --offline --out recipes.json\n  galley catalogue generate --config galley-catalogue.yml --json --changes changes.md\n\nExit codes: 0 complete, 1 refused to write: it would lose more recipes than maxShrink allows\n(--allow-shrink), 2 unusable configuration or input, 3 partial (some sources, repositories\nor registries failed: what they could not tell was kept from the previous catalogue,\nmarked stale), 4 internal error.\n',
    )
    .action(async (options: import('./commands/catalogue-generate.js').CatalogueGenerateOptions) => {
      const { catalogueGenerate } = await import('./commands/catalogue-generate.js');
      process.exitCode = await catalogueGenerate(options);
    });

  program
    .command('lint')
    .description('check recipes and compose files: syntax, compose schema, swarm, Co-op Cloud conventions, security')
    .argument('[paths...]', 'recipe folders, compose files, folders of them, or repo#ref (default: .)')
    .option('-f, --file <file>', 'a compose file of one project; repeat to merge overlays in order, as docker compose -f does', collect)
    .option(
      '--preset <names>',
      'presets to run, comma-separated or repeated: recommended, swarm, coop-cloud (default: recommended for compose files; recommended and coop-cloud for recipes)',
      collect,
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['stylish', 'compact', 'json', 'sarif', 'github', 'gitlab', 'junit', 'abra']).default('stylish'),
    )
    .option('--output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('-q, --quiet', 'report errors only (warnings and infos are neither shown nor counted)')
    .option('--fix', 'apply safe fixes to the files (in passes, until none applies)')
    .option('--fix-dry-run', 'print the fixes as a unified diff; change nothing')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', wholeNumber)
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1').choices(['error', 'warning', 'info']).default('error'))
    .option('--docker-version <major.minor>', 'the Docker version of the swarm (what docker stack deploy refuses or ignores depends on it; default 24.0)')
    .option('--online', 'run the rules that need the network')
    .option('--config <file>', 'use this configuration file instead of the nearest .galley.yml')
    .option('--explain <rule>', "print a rule's documentation and exit")
    .option('--list-rules', 'list every rule and exit')
    .addHelpText(
      'after',
      '\nExamples:\n  galley lint examples/recipes/forum\n  galley lint -f compose.yml -f compose.prod.yml --preset swarm\n  galley lint --format sarif --output galley.sarif .\n  galley lint --format abra examples/recipes/forum\n  galley lint --fix-dry-run .\n  galley lint --explain compose/schema\n\nExit codes: 0 clean, 1 findings at or above --fail-on (or more than --max-warnings warnings),\n2 unusable input or configuration, 4 a rule crashed (a galley bug; the other rules ran).\n',
    )
    .action(async (paths: string[], options: import('./commands/lint.js').LintCommandOptions) => {
      const { lintCommand } = await import('./commands/lint.js');
      process.exitCode = await lintCommand(paths, options);
    });

  // Deploy (@galley/deploy): where the recipe is, for deploy, undeploy --prune and secret.
  const withRecipeFlags = (command: Command) =>
    command
      .option('--recipe <dir>', 'the recipe folder (default: ~/.abra/recipes/<recipe>, as abra keeps them)')
      .addOption(new Option('--repo <url>', 'a git repository of the recipe: a release tag of it is used').conflicts('recipe'))
      .option('--version <version>', 'the release (git tag) to use (default: TYPE=<recipe>:<version> of the env file, else the newest release)')
      .option('--chaos', 'use the folder as it is, unreleased commits and uncommitted changes and all (labelled chaos with its commit)');
  // Which engine: an app env file in …/servers/<name>/ selects the docker context <name>; these override it.
  const withContext = (command: Command) =>
    command.option('--context <name>', "the docker context to use (default: DOCKER_HOST, DOCKER_CONTEXT, the app's servers folder, the current context)");
  const seconds = (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a whole number of seconds above 0');
    return n;
  };

  withContext(
    withRecipeFlags(
      program
        .command('deploy')
        .description(
          'deploy an app to Docker Swarm: render its recipe at a version, create missing secrets, docker stack deploy, wait until it converges, roll back on failure',
        )
        .argument('<app-env>', "the app's env file (abra: ~/.abra/servers/<server>/<domain>.env)"),
    ),
  )
    .option('--force', 'deploy over a running deployment of the app (a redeploy, an upgrade or a rollback to --version)')
    .option(
      '--timeout <seconds>',
      'seconds to wait for convergence (default: the coop-cloud.<stack>.timeout label, else 300; never less than 60 s or what a healthcheck needs)',
      seconds,
    )
    .option(
      '--stability <seconds>',
      'seconds a service without a healthcheck must stay up before it counts (default 10, at least its update_config.monitor)',
      secondsOrZero,
    )
    .option('--no-wait', 'return once the stack is sent to the swarm')
    .option('--no-rollback', 'leave a failed deploy as it is instead of rolling back')
    .option('--dry-run', 'print the rendered compose file and the secrets that would be created; change nothing')
    .addOption(new Option('--resolve-image <mode>', 'docker stack deploy --resolve-image').choices(['always', 'changed', 'never']).default('never'))
    .addOption(
      new Option(
        '--lint-level <level>',
        'which lint findings in what the app deploys block it (default: error, or lint.level of ~/.config/galley/deploy.yml)',
      ).choices(['error', 'warning', 'off']),
    )
    .option('--no-lint', 'deploy without the lint gate (--lint-level off)')
    .option('-y, --yes', 'do not ask before deploying (on a terminal galley shows the overview and asks)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  galley deploy ~/.abra/servers/example.org/forum.example.org.env\n  galley deploy forum.env --recipe ./forum --chaos --force\n  galley deploy forum.env --repo https://git.example.org/recipes/forum.git --version 1.2.0+3.4 --dry-run\n  galley deploy forum.env --version 1.1.0+3.4 --force      (roll back to a previous release)\n\nThe server: an env file in ~/.abra/servers/<name>/ deploys through the docker context <name>;\n--context, DOCKER_HOST or DOCKER_CONTEXT override it.\n\nExit codes: 0 converged, 1 failed (rolled back or not; lost contact; cancelled), 2 unusable input (env file,\nrecipe, env check, lint errors, already deployed without --force, lock held, config changed without a version\nbump, missing network or context), 4 internal error, 130 interrupted.\n',
    )
    .action(async (appEnv: string, options: import('./commands/deploy.js').DeployCommandOptions) => {
      const { deployCommand } = await import('./commands/deploy.js');
      process.exitCode = await deployCommand(appEnv, options);
    });

  withContext(
    withRecipeFlags(
      program
        .command('undeploy')
        .description("remove an app's stack from the swarm; keeps its volumes and secrets unless --prune")
        .argument('<app-env>', "the app's env file"),
    ),
  )
    .option('--prune', 'also remove its volumes (on the engine galley talks to) and its secrets')
    .option('--timeout <seconds>', 'seconds to wait for its containers and networks to go (default 120)', seconds)
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  galley undeploy forum.env\n  galley undeploy forum.env --prune\n')
    .action(async (appEnv: string, options: import('./commands/undeploy.js').UndeployCommandOptions) => {
      const { undeployCommand } = await import('./commands/undeploy.js');
      process.exitCode = await undeployCommand(appEnv, options);
    });

  withContext(
    program
      .command('ps')
      .description('what an app runs: its version, services, replicas, images, update state, recent task failures and the last task error')
      .argument('<app-env>', "the app's env file"),
  )
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  galley ps forum.env\n  galley ps forum.env --json\n')
    .action(async (appEnv: string, options: { json?: boolean }) => {
      const { psCommand } = await import('./commands/ps.js');
      process.exitCode = await psCommand(appEnv, options);
    });

  const secret = program.command('secret').description("an app's swarm secrets (<stack>_<secret>_<version>); values are never printed");
  withContext(
    withRecipeFlags(
      secret
        .command('generate')
        .description('generate and create missing secrets (all, or those named)')
        .argument('<app-env>', "the app's env file")
        .argument('[secrets...]', 'secret names as the recipe declares them'),
    ),
  )
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  galley secret generate forum.env\n  galley secret generate forum.env db_password\n')
    .action(async (appEnv: string, keys: string[], options: import('./commands/deploy-shared.js').RecipeLocationFlags & { json?: boolean }) => {
      const { secretGenerate } = await import('./commands/secret.js');
      process.exitCode = await secretGenerate(appEnv, keys, options);
    });
  withContext(
    withRecipeFlags(
      secret
        .command('insert')
        .description('create a secret from a value read on stdin (never from the arguments)')
        .argument('<app-env>', "the app's env file")
        .argument('<secret>', 'the secret as the recipe declares it')
        .argument('<secret-version>', 'its version, e.g. v1')
        .argument('[source]', '"-": read the value from stdin (the default)'),
    ),
  )
    .option('--keep-newline', 'keep a trailing newline of the value (dropped by default)')
    .addHelpText(
      'after',
      '\nExamples:\n  galley secret insert forum.env smtp_password v1 - < smtp-password.txt\n  galley secret insert forum.env smtp_password v2      (type it; it is not shown)\n',
    )
    .action(
      async (
        appEnv: string,
        key: string,
        version: string,
        source: string | undefined,
        options: import('./commands/deploy-shared.js').RecipeLocationFlags & { keepNewline?: boolean },
      ) => {
        const { secretInsert } = await import('./commands/secret.js');
        process.exitCode = await secretInsert(appEnv, key, version, source, options);
      },
    );
  withContext(
    withRecipeFlags(
      secret.command('ls').description("the app's secrets: name, version, whether it exists, how it is generated").argument('<app-env>', "the app's env file"),
    ),
  )
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  galley secret ls forum.env\n')
    .action(async (appEnv: string, options: import('./commands/deploy-shared.js').RecipeLocationFlags & { json?: boolean }) => {
      const { secretList } = await import('./commands/secret.js');
      process.exitCode = await secretList(appEnv, options);
    });
  withContext(
    withRecipeFlags(
      secret
        .command('rm')
        .description("remove a secret at the env file's version (or the one given), or all of the app's secrets")
        .argument('<app-env>', "the app's env file")
        .argument('[secret]', 'the secret as the recipe declares it')
        .argument('[secret-version]', "its version (default: the env file's)"),
    ),
  )
    .option('--all', 'every version of every secret of the app (or of the secret named)')
    .addHelpText(
      'after',
      '\nExamples:\n  galley secret rm forum.env db_password\n  galley secret rm forum.env db_password v1\n  galley secret rm forum.env --all\n',
    )
    .action(
      async (
        appEnv: string,
        key: string | undefined,
        version: string | undefined,
        options: import('./commands/deploy-shared.js').RecipeLocationFlags & { all?: boolean },
      ) => {
        const { secretRemove } = await import('./commands/secret.js');
        process.exitCode = await secretRemove(appEnv, key, version, options);
      },
    );

  withContext(
    program
      .command('logs')
      .description("an app's log lines (all services, or one), each with the task that wrote it")
      .argument('<app-env>', "the app's env file")
      .argument('[service]', 'one service (app, db, …)'),
  )
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('--since <when>', 'only lines since then: a duration (10m, 2h) or a time')
    .option('-n, --tail <lines>', 'only the last lines of each service', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number of lines');
      return n;
    })
    .option('-t, --timestamps', 'prefix each line with its time')
    .addHelpText('after', '\nExamples:\n  galley logs forum.env\n  galley logs forum.env db --since 10m\n  galley logs forum.env app -f\n')
    .action(async (appEnv: string, service: string | undefined, options: import('./commands/logs.js').LogsCommandOptions) => {
      const { logsCommand } = await import('./commands/logs.js');
      process.exitCode = await logsCommand(appEnv, service, options);
    });

  withContext(
    program
      .command('restart')
      .description("restart an app's services (all, or one) with new tasks, and wait until they run and stay up")
      .argument('<app-env>', "the app's env file")
      .argument('[service]', 'one service'),
  )
    .option('--timeout <seconds>', 'seconds to wait (default 300)', seconds)
    .option('--stability <seconds>', 'seconds a service without a healthcheck must stay up (default 10)', secondsOrZero)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  galley restart forum.env\n  galley restart forum.env app\n\nExit codes: 0 restarted, 1 a service did not come back, 2 unusable input, 130 interrupted.\n',
    )
    .action(async (appEnv: string, service: string | undefined, options: import('./commands/restart.js').RestartCommandOptions) => {
      const { restartCommand } = await import('./commands/restart.js');
      process.exitCode = await restartCommand(appEnv, service, options);
    });

  withContext(
    program
      .command('run')
      .description('run a command in a running container of a service (docker exec), on this terminal')
      .argument('<app-env>', "the app's env file")
      .argument('<service>', 'the service (app, db, …)')
      .argument('<command...>', 'the command and its arguments (after --)'),
  )
    .option('--no-tty', 'no terminal even on one (for pipes)')
    .option('-u, --user <user>', 'run as this user')
    .addHelpText(
      'after',
      "\nExamples:\n  galley run forum.env app -- sh\n  galley run forum.env db -- pg_dump -U forum forum > dump.sql\n\nExit code: the command's own.\n",
    )
    .action(async (appEnv: string, service: string, command: string[], options: import('./commands/run.js').RunCommandOptions) => {
      const { runCommand } = await import('./commands/run.js');
      process.exitCode = await runCommand(appEnv, service, command, options);
    });

  const env = program.command('env').description("an app's env file: check it against its recipe, or make a new one");
  withRecipeFlags(
    env
      .command('check')
      .description(
        'check an app env against its recipe\'s .env.sample and compose files: unknown keys (with "did you mean"), missing required keys, bad secret modifiers',
      )
      .argument('<app-env>', "the app's env file"),
  )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  galley env check ~/.abra/servers/example.org/forum.example.org.env\n\nExit codes: 0 matches, 1 problems found, 2 unusable input.\n',
    )
    .action(async (appEnv: string, options: import('./commands/deploy-shared.js').RecipeLocationFlags & { json?: boolean }) => {
      const { envCheckCommand } = await import('./commands/env.js');
      process.exitCode = await envCheckCommand(appEnv, options);
    });
  withContext(
    withRecipeFlags(
      env
        .command('new')
        .description("write a new app env file, <abra dir>/servers/<server>/<domain>.env, from the recipe's .env.sample")
        .argument('<recipe>', 'the recipe (looked up in ~/.abra/recipes/<recipe> unless --recipe or --repo)')
        .argument('<domain>', "the app's domain (it also names the file and the stack)"),
    ),
  )
    .requiredOption('--server <name>', 'the server (folder under servers/, and the docker context reaching it)')
    .option('--secrets', "also generate the app's secrets on that server (values are never printed)")
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  galley env new forum forum.example.org --server example.org\n  galley env new forum forum.example.org --server example.org --secrets\n',
    )
    .action(async (recipeName: string, domain: string, options: import('./commands/env.js').EnvNewFlags) => {
      const { envNewCommand } = await import('./commands/env.js');
      process.exitCode = await envNewCommand(recipeName, domain, options);
    });

  const site = program.command('site').description('the static catalogue website hosters browse');
  site
    .command('build')
    .description(
      'render the catalogue (and READMEs) into a static site: home with search and filters, a page per recipe, categories, Atom feed, badges, sitemap',
    )
    .requiredOption('--catalogue <file>', 'the catalogue (recipes.json from galley catalogue generate)')
    .requiredOption('--out <dir>', 'folder to write; replaced as a whole when the build succeeds (only if empty or a site galley built)')
    .option('--readmes <dir>', 'READMEs as <dir>/<recipe>.md or <dir>/<recipe>/README.md')
    .addOption(new Option('--cache <dir>', "READMEs from the catalogue's git mirror cache (galley catalogue generate --cache)").conflicts('readmes'))
    .option(
      '--base-url <url>',
      'absolute URL the site is published at: needed for the feed and sitemap (left out without it) and canonical links; pages link relatively either way',
    )
    .option('--title <text>', 'site name in titles and the header', 'Co-op Cloud recipes')
    .option('--unmaintained-after <months>', 'flag recipes with no release in this many months before the catalogue date as unmaintained (default 12)', months)
    .option('--json', 'print the build summary as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  galley site build --catalogue recipes.json --readmes examples/recipes --out site/\n  galley site build --catalogue recipes.json --cache .galley-cache --out site/ --base-url https://recipes.example.org/\n',
    )
    .action(async (options: import('./commands/site.js').SiteBuildFlags) => {
      const { siteBuild } = await import('./commands/site.js');
      process.exitCode = await siteBuild(options);
    });
  site
    .command('serve')
    .description('preview a built site on localhost (GET/HEAD, correct content types, 404 page)')
    .option('--dir <dir>', 'the built site', 'site')
    .option('--port <n>', 'port to listen on (0: any free port)', portNumber, 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addHelpText('after', '\nExamples:\n  galley site serve --dir site/\n  galley site serve --dir site/ --port 0\n')
    .action(async (options: import('./commands/site.js').SiteServeFlags) => {
      const { siteServe } = await import('./commands/site.js');
      process.exitCode = await siteServe(options);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  installInterrupts();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return EXIT.OK;
    if (code?.startsWith('commander.')) return EXIT.USAGE;
    return reportError(error);
  }
}

export { Option };
