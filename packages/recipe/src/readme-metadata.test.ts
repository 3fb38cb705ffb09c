import { describe, expect, it } from '@jest/globals';
import { parseReadme } from './readme-metadata.js';

const readme = (block: string) => `# Forum\n\nA forum for small communities.\n\n<!-- metadata -->\n${block}\n<!-- endmetadata -->\n\n## Use\n`;

describe('parseReadme', () => {
  it('reads the current form', () => {
    const { metadata, title, description } = parseReadme(
      readme(
        [
          '* **Category**: Apps',
          '* **Status**: 3, stable',
          '* **Image**: [`wordpress`](https://hub.docker.com/_/wordpress), 4, upstream',
          '* **Healthcheck**: Yes',
          '* **Backups**: No',
          '* **Email**: 3',
          '* **Tests**: 2',
          '* **SSO**: N/A',
        ].join('\n'),
      ),
    );
    expect(title).toBe('Forum');
    expect(description).toBe('A forum for small communities.');
    expect(metadata).toMatchObject({
      category: 'Apps',
      status: { value: 3, label: 'stable' },
      image: { image: 'wordpress', url: 'https://hub.docker.com/_/wordpress', rating: 4, source: 'upstream' },
      healthcheck: { value: 'yes' },
      backups: { value: 'no' },
      email: { value: 3 },
      tests: { value: 2 },
      sso: { value: 'n/a' },
    });
  });

  it('keeps positions of the block and each value', () => {
    const { metadata } = parseReadme(readme('* **Category**: Apps\n* **Status**: 3, stable'));
    expect(metadata?.span).toMatchObject({ line: 5, endLine: 8 });
    expect(metadata?.status?.span).toMatchObject({ line: 7, col: 15, endCol: 24 });
    expect(metadata?.fields.map((f) => f.key)).toEqual(['Category', 'Status']);
  });

  it('reads legacy emoji scores (❶ best … ❹ worst) onto the current scale', () => {
    const { metadata } = parseReadme(
      readme('- **Status**: ❶💚\n- **Image**: [`php`](https://hub.docker.com/_/php), ❶💚, upstream\n- **Tests**: ❷💛\n- **SSO**: ❌\n- **Status2**: ❹💣'),
    );
    expect(metadata?.status).toMatchObject({ value: 4, legacy: { digit: 1, mark: '💚' } });
    expect(metadata?.image).toMatchObject({ image: 'php', rating: 4, source: 'upstream' });
    expect(metadata?.tests).toMatchObject({ value: 3, legacy: { digit: 2 } });
    expect(metadata?.sso?.value).toBe('no');
  });

  it('keeps empty values as present but without a score', () => {
    const { metadata } = parseReadme(readme('* **Healthcheck**:\n* **Status**: 0'));
    expect(metadata?.healthcheck).toMatchObject({ raw: '' });
    expect(metadata?.healthcheck?.value).toBeUndefined();
    expect(metadata?.status?.value).toBe(0);
  });

  it('accepts the colon inside the bold key', () => {
    const { metadata } = parseReadme(readme('* **Category:** Utilities'));
    expect(metadata?.category).toBe('Utilities');
  });

  it('has no metadata without a block, and warns about an unclosed one', () => {
    expect(parseReadme('# X\n\ntext\n').metadata).toBeUndefined();
    const unclosed = parseReadme('# X\n<!-- metadata -->\n* **Category**: Apps\n');
    expect(unclosed.metadata?.category).toBe('Apps');
    expect(unclosed.diagnostics.map((d) => d.code)).toEqual(['readme-metadata-unclosed']);
  });
});
