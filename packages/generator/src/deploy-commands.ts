/**
 * The commands that deploy a recipe at a version, with galley and with abra:
 * new app, secrets, config, deploy; then upgrading to the version and
 * rolling back from it. The server and domain are examples the reader
 * replaces (`example.org`, `<recipe>.example.org`).
 */
export interface DeployStep {
  /** What the step does: `New app`, `Secrets`, `Config`, `Deploy`. */
  label: string;
  command: string;
}

export interface DeployView {
  version: string;
  server: string;
  domain: string;
  envFile: string;
  galley: DeployStep[];
  abra: DeployStep[];
  upgrade: { galley: string; abra: string };
  /** Back to the release before this one, when there is one. */
  rollback?: { version: string; galley: string; abra: string };
}

export const EXAMPLE_SERVER = 'example.org';

/** Recipe names are `[A-Za-z0-9_][A-Za-z0-9._-]*` (the catalogue schema); versions are tags: quote what a shell would read differently. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_.,:+@%/=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function deployView(recipe: string, version: string, previous: string | undefined): DeployView {
  const server = EXAMPLE_SERVER;
  const domain = `${recipe.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}.${server}`;
  const envFile = `~/.abra/servers/${server}/${domain}.env`;
  const r = shellWord(recipe);
  const v = shellWord(version);
  const view: DeployView = {
    version,
    server,
    domain,
    envFile,
    galley: [
      { label: 'New app', command: `galley env new ${r} ${domain} --server ${server}` },
      { label: 'Secrets', command: `galley secret generate ${envFile} --version ${v}` },
      { label: 'Config', command: `$EDITOR ${envFile}` },
      { label: 'Deploy', command: `galley deploy ${envFile} --version ${v}` },
    ],
    abra: [
      { label: 'New app', command: `abra app new ${r} ${v} --server ${server} --domain ${domain}` },
      { label: 'Secrets', command: `abra app secret generate ${domain} --all` },
      { label: 'Config', command: `abra app config ${domain}` },
      { label: 'Deploy', command: `abra app deploy ${domain} ${v}` },
    ],
    upgrade: { galley: `galley deploy ${envFile} --version ${v}`, abra: `abra app upgrade ${domain} ${v}` },
  };
  if (previous !== undefined) {
    const p = shellWord(previous);
    view.rollback = { version: previous, galley: `galley deploy ${envFile} --version ${p} --force`, abra: `abra app rollback ${domain} ${p}` };
  }
  return view;
}
