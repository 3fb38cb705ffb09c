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
