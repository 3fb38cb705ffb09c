import { describe, expect, it } from '@jest/globals';
import { renderReadme } from './readme.js';
import { xssPayloads } from './testing/xss-payloads.js';

const context = { repositoryUrl: 'https://git.coopcloud.tech/coop-cloud/forum', branch: 'main' };

/** Every attribute in the HTML, as name=value pairs (the sanitiser's output is well-formed). */
function attributes(html: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const tag of html.matchAll(/<[a-z][a-z0-9]*((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/gi)) {
    for (const attr of tag[1]!.matchAll(/\s+([^\s=>/]+)(?:="([^"]*)")?/g)) out.push({ name: attr[1]!.toLowerCase(), value: attr[2] ?? '' });
  }
  return out;
}

describe('renderReadme', () => {
  it('renders markdown: headings, lists, code, tables, links', () => {
    const html = renderReadme(
      '# Forum\n\nA *forum*.\n\n## Usage\n\n1. `abra app new forum`\n\n```sh\nabra app deploy x\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n[docs](https://docs.coopcloud.tech)',
      context,
    );
    expect(html).toContain('<h3>Forum</h3>');
    expect(html).toContain('<h4>Usage</h4>');
    expect(html).toContain('<em>forum</em>');
    expect(html).toContain('<code>abra app new forum</code>');
    expect(html).toContain('<code class="language-sh">abra app deploy x\n</code>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('<a href="https://docs.coopcloud.tech/" rel="nofollow noopener noreferrer ugc">docs</a>');
  });

  it('shifts headings so the README’s top level is h3, whatever it starts with', () => {
    expect(renderReadme('## Usage\n\n### More', context)).toBe('<h3>Usage</h3>\n<h4>More</h4>');
    expect(renderReadme('###### Deep', context)).toBe('<h3>Deep</h3>');
  });

  it('leaves out the metadata block (the page shows the scores itself)', () => {
    const html = renderReadme('# X\n\n<!-- metadata -->\n* **Category**: Apps\n* **Status**: 3\n<!-- endmetadata -->\n\nText', context);
    expect(html).not.toContain('Category');
    expect(html).toContain('<p>Text</p>');
  });

  it('points relative links and images at the repository', () => {
    const html = renderReadme('[setup](docs/setup.md) [top](/README.md) [usage](#usage) ![logo](./logo.png)', context);
    expect(html).toContain('href="https://git.coopcloud.tech/coop-cloud/forum/src/branch/main/docs/setup.md"');
    expect(html).toContain('href="https://git.coopcloud.tech/coop-cloud/forum/src/branch/main/README.md"');
    expect(html).toContain('href="https://git.coopcloud.tech/coop-cloud/forum#usage"');
    // an image that was not mirrored is a link to it, not an image (the browser asks no other host)
    expect(html).toContain(
      '<a href="https://git.coopcloud.tech/coop-cloud/forum/raw/branch/main/logo.png" rel="nofollow noopener noreferrer ugc" class="image-link">Image: logo</a>',
    );
    const github = renderReadme('[a](docs/a.md) ![b](b.png)', { repositoryUrl: 'https://github.com/org/app', branch: 'trunk' });
    expect(github).toContain('href="https://github.com/org/app/blob/trunk/docs/a.md"');
    expect(github).toContain('href="https://github.com/org/app/raw/trunk/b.png"');
    const mirrored = renderReadme('![Logo](logo.png) ![b](https://x.example/b.png)', {
      repositoryUrl: 'https://github.com/org/app',
      images: { 'logo.png': '../media/ab.png' },
    });
    expect(mirrored).toBe(
      '<p><img src="../media/ab.png" alt="Logo" loading="lazy" /> <a href="https://x.example/b.png" rel="nofollow noopener noreferrer ugc" class="image-link">Image: b</a></p>',
    );
  });

  it('drops relative links when the repository has no web address', () => {
    expect(renderReadme('[setup](docs/setup.md)', {})).toBe('<p><a>setup</a></p>');
  });

  it('keeps http(s) and mailto links; drops javascript:, data:, vbscript:, protocol-relative and obfuscated schemes', () => {
    const html = renderReadme(
      [
        '[a](https://example.org/a)',
        '[m](mailto:ops@example.org)',
        '[j](javascript:alert(1))',
        '<a href="JaVaScRiPt:alert(1)">J</a>',
        '<a href="java&#x09;script:alert(1)">T</a>',
        '<a href="&#106;avascript:alert(1)">E</a>',
        '[d](data:text/html,<script>alert(1)</script>)',
        '<a href="vbscript:msgbox(1)">v</a>',
        '<a href="//evil.example/x">p</a>',
        '![i](data:image/png;base64,iVBORw0KGgo=)',
        '![h](http://example.org/insecure.png)',
      ].join('\n\n'),
      context,
    );
    const hrefs = attributes(html)
      .filter((a) => a.name === 'href' || a.name === 'src')
      .map((a) => a.value);
    expect(hrefs).toEqual(['https://example.org/a', 'mailto:ops@example.org', 'http://example.org/insecure.png']);
    expect(html).not.toMatch(/javascript|vbscript|data:|evil\.example|<img/i);
  });

  it('neutralises every XSS payload: no script, no event handler, no dangerous URL, no frames or forms', () => {
    const payloads = xssPayloads();
    expect(payloads.length).toBeGreaterThanOrEqual(25);
    for (const payload of payloads) {
      for (const markdown of [
        payload,
        `# ${payload}`,
        `text ${payload} text`,
        `[x](${payload})`,
        `![x](${payload})`,
        `<div>${payload}</div>`,
        `| a |\n| - |\n| ${payload} |`,
      ]) {
        const html = renderReadme(markdown, context);
        expect(html).not.toMatch(
          /<\s*(script|iframe|object|embed|style|svg|math|form|button|input|select|textarea|base|meta|link|body|video|audio|noscript)\b/i,
        );
        for (const { name, value } of attributes(html)) {
          expect(['href', 'src', 'alt', 'title', 'rel', 'loading', 'class', 'width', 'height', 'colspan', 'rowspan', 'scope', 'start', 'open']).toContain(name);
          if (name === 'href' || name === 'src') expect(value).toMatch(/^(https:\/\/|mailto:)/);
        }
      }
    }
  });

  it('keeps no ids or names (no DOM clobbering) and no styles or classes other than a code language', () => {
    const html = renderReadme(
      '<p id="q" name="x" class="evil" style="color:red">a</p><img name="getElementById" src="https://example.org/a.png"><code class="language-js x">c</code>',
      context,
    );
    expect(html).toBe(
      '<p>a</p><a href="https://example.org/a.png" rel="nofollow noopener noreferrer ugc" class="image-link">Image: a.png</a><code class="language-js">c</code>',
    );
  });
});
