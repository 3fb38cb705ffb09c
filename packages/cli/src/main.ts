import { Command, Option } from 'commander';
import { reportError } from './errors.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';

declare const GALLEY_VERSION: string;

/**
 * The galley command line: flags and wiring only. Each command's module is
 * imported when the command runs, so `galley --version` loads almost nothing.
 */
export function buildProgram(): Command {
  const program = new Command('galley')
    .description('Lint, catalogue, publish and deploy Co-op Cloud recipes')
    .version(typeof GALLEY_VERSION === 'string' ? GALLEY_VERSION : 'dev', '-V, --version')
    .showHelpAfterError('(run galley --help for usage)')
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
    .addHelpText('after', '\nExamples:\n  galley recipe inspect examples/recipes/forum\n  galley recipe inspect git://git.example.org/recipes/forum.git#1.2.0+3.4 --json\n')
    .action(async (spec: string, options: { env?: string; json?: boolean }) => {
      const { recipeInspect } = await import('./commands/recipe-inspect.js');
      process.exitCode = await recipeInspect(spec, options);
    });
  recipe
    .command('upgrade')
    .description("move each service image to the best compatible upstream tag (a minimal edit of image:, comments kept)")
    .argument('<dir>', 'a recipe folder')
    .option('--patch', 'only patch upgrades (1.2.3 -> 1.2.4)')
    .option('--minor', 'patch or minor upgrades (the default)')
    .option('--major', 'any upgrade, major ones too')
    .option('--dry-run', 'print the diff and the summary; change nothing')
    .option('--config <file>', 'registry settings (hosts, timeouts) from a galley-catalogue.yml')
    .option('--json', 'print the plan as JSON')
    .addHelpText('after', '\nExamples:\n  galley recipe upgrade examples/recipes/forum --dry-run\n  galley recipe upgrade . --major\n\nExit codes: 0 done, 2 unusable input, 3 some registries could not be asked.\n')
    .action(async (dir: string, options: import('./commands/recipe-upgrade.js').RecipeUpgradeOptions) => {
      const { recipeUpgrade } = await import('./commands/recipe-upgrade.js');
      process.exitCode = await recipeUpgrade(dir, options);
    });

  const catalogue = program.command('catalogue').description('the version catalogue (recipes.json) of many recipes');
  catalogue
    .command('generate')
    .description('scan recipe repositories, release tags, images, digests and upgrades; write recipes.json')
    .option('-c, --config <file>', 'configuration file (default: galley-catalogue.yml in the current folder, if any)')
    .option('-s, --source <spec>', 'a source instead of the configured ones: github:ORG, gitea:https://HOST/ORG, list:FILE (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .option('-o, --out <file>', 'the catalogue file (default: recipes.json)')
    .option('--cache <dir>', 'cache folder: git mirrors, scan state, registry answers (default: ~/.cache/galley)')
    .option('--readmes <dir>', 'also write each recipe README to <dir>/<recipe>.md')
    .option('--offline', 'ask no registry: digests are unknown, no upgrades')
    .option('--refresh', 'ignore the scan state and registry cache: read and ask everything again')
    .option('--only <names>', 'only these recipes (comma-separated); others keep their entries')
    .option('--include-archived', 'scan archived repositories too')
    .option('--image-dates', 'read image creation dates to compute daysBehind (more requests)')
    .option('--concurrency <n>', 'registry requests in flight per host (default 8)')
    .option('--git-concurrency <n>', 'repositories fetched at once (default 8)')
    .option('--retries <n>', 'retries of a failed registry request (default 5)')
    .option('--timeout <duration>', 'timeout of one registry request, e.g. 30s (default 30s)')
    .option('--json', 'print JSON events, one a line, and a JSON summary')
    .addHelpText(
      'after',
      '\nExamples:\n  galley catalogue generate --source gitea:https://git.coopcloud.tech/coop-cloud\n  galley catalogue generate --source list:recipes.txt --offline --out recipes.json\n  galley catalogue generate --config galley-catalogue.yml --json\n\nExit codes: 0 complete, 2 unusable configuration or input, 3 partial (some repositories\nor registries failed: their previous entries were kept, marked stale), 4 internal error.\n',
    )
    .action(async (options: import('./commands/catalogue-generate.js').CatalogueGenerateOptions) => {
      const { catalogueGenerate } = await import('./commands/catalogue-generate.js');
      process.exitCode = await catalogueGenerate(options);
    });

  program
    .command('lint')
    .description('check recipes and compose files: syntax, compose schema, swarm, Co-op Cloud conventions, security')
    .argument('[paths...]', 'recipe folders, compose files, folders of them, or repo#ref (default: .)')
    .option('--preset <names...>', 'presets to run: recommended, swarm, coop-cloud (default: recommended, plus coop-cloud for recipes)')
    .option('--format <format>', 'output format: stylish, json, sarif, github, gitlab, junit', 'stylish')
    .option('--output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--fix', 'apply safe fixes to the files (in passes, until none applies)')
    .option('--fix-dry-run', 'print the fixes as a unified diff; change nothing')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings')
    .option('--fail-on <severity>', 'lowest severity that makes the exit code 1: error, warning or info', 'error')
    .option('--online', 'run the rules that need the network')
    .option('--config <file>', 'use this configuration file instead of the nearest .galley.yml')
    .option('--explain <rule>', "print a rule's documentation and exit")
    .option('--list-rules', 'list every rule and exit')
    .addHelpText(
      'after',
      '\nExamples:\n  galley lint examples/recipes/forum\n  galley lint --format sarif --output galley.sarif .\n  galley lint --fix-dry-run .\n  galley lint --explain compose/schema\n\nExit codes: 0 clean, 1 findings at or above --fail-on (or more than --max-warnings warnings),\n2 unusable input or configuration, 4 a rule crashed (a galley bug; the other rules ran).\n',
    )
    .action(async (paths: string[], options: import('./commands/lint.js').LintCommandOptions) => {
      const { lintCommand } = await import('./commands/lint.js');
      process.exitCode = await lintCommand(paths, options);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
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
