import { clip } from '../text.js';
import { type Lookup, MAX_INTERPOLATED_LENGTH } from './template.js';

/**
 * Variable substitution as `docker stack deploy` does it (docker/cli's
 * `cli/compose/template`, which abra's loader follows), not as compose-spec
 * and docker compose do. It is one regular expression over the string:
 *
 * - only `:-`, `-`, `:?` and `?` exist: `${A:+x}` and `${A+x}` are invalid
 *   templates, and the deploy is refused;
 * - a default runs to the first `}`, so a nested default `${A:-${B}}` is
 *   `${A:-${B}` followed by a literal `}` (with `A=a` it gives `a}`, with `A`
 *   empty the literal `${B}`): defaults are never interpolated again;
 * - an unbraced `$A-x` is `${A-x}`, and `$A:-x` is `${A:-x}`.
 *
 * As in docker/cli, an invalid template followed by a valid reference in the
 * same string is no error (the error of the first is overwritten): the `$`
 * of the invalid one is dropped and the rest kept as text.
 */

const PATTERN = /\$(?:(\$)|([_a-z][_a-z0-9]*(?::?[-?][^}]*)?)|\{([_a-z][_a-z0-9]*(?::?[-?][^}]*)?)\}|())/gi;

export interface DockerCliResult {
  value: string;
  /** docker/cli's error for the string, when it refuses it. */
  error?: string;
}

type Substitution = (substitution: string, lookup: Lookup) => { value: string; applied: boolean; error?: string };

function partition(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

const softDefault: Substitution = (substitution, lookup) => {
  if (!substitution.includes(':-')) return { value: '', applied: false };
  const [name, fallback] = partition(substitution, ':-');
  const value = lookup(name);
  return { value: value === undefined || value === '' ? fallback : value, applied: true };
};

const hardDefault: Substitution = (substitution, lookup) => {
  if (!substitution.includes('-')) return { value: '', applied: false };
  const [name, fallback] = partition(substitution, '-');
  return { value: lookup(name) ?? fallback, applied: true };
};

function required(separator: string, valid: (value: string) => boolean): Substitution {
  return (substitution, lookup) => {
    if (!substitution.includes(separator)) return { value: '', applied: false };
    const [name, message] = partition(substitution, separator);
    const value = lookup(name);
    if (value === undefined || !valid(value)) return { value: '', applied: true, error: `required variable ${name} is missing a value: ${clip(message)}` };
    return { value, applied: true };
  };
}

const SUBSTITUTIONS: Substitution[] = [softDefault, hardDefault, required(':?', (v) => v !== ''), required('?', () => true)];

/** Substitutes variables in `template` exactly as docker/cli does. */
export function substituteLikeDockerCli(template: string, lookup: Lookup): DockerCliResult {
  if (!template.includes('$')) return { value: template };
  let error: string | undefined;
  let left = MAX_INTERPOLATED_LENGTH - template.length;
  let cut = false;
  const fit = (text: string): string => {
    if (cut) return '';
    left -= text.length;
    if (left >= 0) return text;
    cut = true;
    return '';
  };
  const value = template.replace(PATTERN, (_match, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
    if (escaped) return escaped;
    if (cut) return '';
    const substitution = named || braced || '';
    if (!substitution) {
      error = `invalid interpolation format: "${clip(template)}"; you may need to escape any $ with another $`;
      return '';
    }
    for (const substitute of SUBSTITUTIONS) {
      const result = substitute(substitution, lookup);
      error = result.error;
      if (result.error) return '';
      if (result.applied) return fit(result.value);
    }
    return fit(lookup(substitution) ?? '');
  });
  if (cut) error = `the substituted value is longer than ${MAX_INTERPOLATED_LENGTH} characters (galley's limit)`;
  return error === undefined ? { value } : { value, error };
}
