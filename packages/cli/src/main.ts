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
