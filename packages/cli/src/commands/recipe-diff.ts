import { EXIT } from '@galley/platform';
import { readTextFile } from '@galley/platform/fs';
import { compareRecipes, formatDiffMarkdown, formatDiffText, openRecipeVersions, parseEnvFile } from '@galley/recipe';

export interface RecipeDiffOptions {
  env?: string;
  format: 'text' | 'markdown' | 'json';
  json?: boolean;
  failOn?: 'breaking';
}

export async function recipeDiff(spec: string, from: string, to: string | undefined, options: RecipeDiffOptions): Promise<number> {
  const appEnv = options.env ? parseEnvFile(await readTextFile(options.env, { what: 'env file' }), options.env) : undefined;
  const versions = await openRecipeVersions(spec, from, to);
  try {
    const diff = await compareRecipes(versions.from, versions.to, {
      ...(appEnv ? { appEnv } : {}),
      fromLabel: from,
      toLabel: to ?? (versions.to.git?.ref ? versions.to.git.ref : 'work tree'),
    });
    const format = options.json ? 'json' : options.format;
    process.stdout.write(format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : format === 'markdown' ? formatDiffMarkdown(diff) : formatDiffText(diff));
    return options.failOn === 'breaking' && diff.breaking ? EXIT.FAILED : EXIT.OK;
  } finally {
    await versions.dispose();
  }
}
