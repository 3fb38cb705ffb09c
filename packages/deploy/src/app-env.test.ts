import { GalleyError } from '@galley/platform';
import { describe, expect, it } from '@jest/globals';
import { parseAppEnv } from './app-env.js';

describe('parseAppEnv', () => {
  it('reads the recipe, an optional pinned version and the stack name from the domain', () => {
    const app = parseAppEnv('TYPE=forum\nDOMAIN=chat.coop.example\n', 'chat.env');
    expect([app.recipe, app.recipeVersion, app.stackName, app.domain]).toEqual(['forum', undefined, 'chat_coop_example', 'chat.coop.example']);
    const pinned = parseAppEnv('RECIPE=forum:1.2.0+3.4\nDOMAIN=a.example\n', 'a.env');
    expect([pinned.recipe, pinned.recipeVersion]).toEqual(['forum', '1.2.0+3.4']);
  });

  it('prefers RECIPE over TYPE, and later lines over earlier ones', () => {
    expect(parseAppEnv('TYPE=old\nRECIPE=new\nDOMAIN=a.example\n', 'a.env').recipe).toBe('new');
  });

  it('names the file and line of what is wrong', () => {
    const missing = () => parseAppEnv('DOMAIN=a.example\n', 'apps/a.env');
    expect(missing).toThrow(/apps\/a\.env names no recipe: add a line RECIPE=/);
    const noDomain = () => parseAppEnv('TYPE=forum\n', 'apps/a.env');
    expect(noDomain).toThrow(/apps\/a\.env has no DOMAIN/);
    try {
      parseAppEnv('TYPE=forum\nDOMAIN=not a domain\n', 'apps/a.env');
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(GalleyError);
      expect((error as GalleyError).span).toMatchObject({ file: 'apps/a.env', line: 2 });
      expect((error as GalleyError).exitCode).toBe(2);
    }
    expect(() => parseAppEnv('TYPE=forum:\nDOMAIN=a.example\n', 'a.env')).toThrow(/empty version/);
    expect(() => parseAppEnv('TYPE=forum\nDOMAIN="a.example\n', 'a.env')).toThrow(/never closed/);
  });
});
