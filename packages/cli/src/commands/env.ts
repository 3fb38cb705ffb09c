import { envCheck, newAppEnv } from '@galley/deploy';
import { EXIT, indentedList } from '@galley/platform';
import { contextOption, type RecipeLocationFlags, recipeLocation } from './deploy-shared.js';

/** `galley env check <app-env>`: unknown keys, missing required keys, bad modifiers; exit 1 when any. */
export async function envCheckCommand(appEnvFile: string, flags: RecipeLocationFlags & { json?: boolean }): Promise<number> {
  const result = await envCheck(appEnvFile, recipeLocation(flags));
  const code = result.errors.length ? EXIT.FAILED : EXIT.OK;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return code;
  }
  const lines = [...result.errors, ...result.warnings].map(
    (p) => `${p.span ? `${p.span.file}:${p.span.line}:${p.span.col}: ` : `${result.file}: `}${p.message}`,
  );
  lines.push(
    result.errors.length
      ? `${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} in ${result.file} (recipe ${result.source})`
      : `${result.file} matches recipe ${result.source}`,
  );
  process.stdout.write(`${indentedList(lines, '')}\n`);
  return code;
}

export interface EnvNewFlags extends RecipeLocationFlags {
  server: string;
  secrets?: boolean;
  context?: string;
  json?: boolean;
}

/** `galley env new <recipe> <domain> --server S [--secrets]`. */
export async function envNewCommand(recipe: string, domain: string, flags: EnvNewFlags): Promise<number> {
  const result = await newAppEnv({
    recipe,
    domain,
    server: flags.server,
    ...recipeLocation(flags),
    ...contextOption(flags),
    ...(flags.secrets ? { secrets: true } : {}),
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.OK;
  }
  const lines = [`wrote ${result.file} (recipe ${result.recipe}${result.version ? ` ${result.version}` : ''}): review it, then galley deploy ${result.file}`];
  for (const c of result.secrets?.created ?? []) lines.push(`created secret ${c.name} (${c.how})`);
  for (const s of result.secrets?.skipped ?? []) lines.push(`skipped secret ${s.name}: ${s.why}`);
  process.stdout.write(`${indentedList(lines, '')}\n`);
  return result.secrets?.skipped.some((s) => s.reason === 'manual') ? EXIT.FAILED : EXIT.OK;
}
