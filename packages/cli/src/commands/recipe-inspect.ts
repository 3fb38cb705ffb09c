import { EXIT, visible, visibleLines } from '@galley/platform';
import { readTextFile } from '@galley/platform/fs';
import { describeRecipe, type EnvFile, formatRecipeDescription, MAX_YAML_BYTES, openRecipe, parseEnvFile, resolveStack } from '@galley/recipe';

export interface InspectOptions {
  env?: string;
  json?: boolean;
}

export async function recipeInspect(spec: string, options: InspectOptions): Promise<number> {
  const { recipe, dispose } = await openRecipe(spec);
  try {
    let env: EnvFile | undefined;
    if (options.env) {
      env = parseEnvFile(await readTextFile(options.env, { what: 'env file', maxBytes: MAX_YAML_BYTES }), options.env);
    }
    const stack = resolveStack(recipe, env ? { env } : {});
    const description = describeRecipe(recipe, stack);
    process.stdout.write(options.json ? `${JSON.stringify(description, null, 2)}\n` : visibleLines(formatRecipeDescription(description)));
    const unusable = description.diagnostics.some((d) => d.severity === 'error');
    if (unusable) {
      for (const d of description.diagnostics.filter((x) => x.severity === 'error')) {
        process.stderr.write(`${visible(`${d.location ? `${d.location}: ` : ''}${d.message}`)}\n`);
      }
      return EXIT.USAGE;
    }
    return EXIT.OK;
  } finally {
    await dispose();
  }
}
