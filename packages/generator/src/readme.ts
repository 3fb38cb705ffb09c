import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { repositoryFileUrl, safeHttpUrl } from './links.js';

/** Where a README's relative links and images point: the recipe's repository. */
export interface ReadmeContext {
  /** Web URL of the repository (`https://git.coopcloud.tech/coop-cloud/forum`), if it has one. */
  repositoryUrl?: string;
  branch?: string;
  /**
   * Images the catalogue mirrored: `src` as the README writes it → the URL of
   * the copy, as the page links it (`../media/<sha256>.png`). Every other
   * image becomes a link to where it is, so reading a README never makes
   * the browser ask another host.
   */
  images?: Record<string, string>;
}

const METADATA_BLOCK = /<!--\s*metadata\s*-->[\s\S]*?<!--\s*endmetadata\s*-->/g;

const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = [
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'br',
  'hr',
  'blockquote',
  'pre',
  'code',
  'kbd',
  'samp',
  'var',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'del',
  'ins',
  'mark',
  'small',
  'sub',
  'sup',
  'abbr',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'details',
  'summary',
  'figure',
  'figcaption',
  'span',
  'div',
];

/**
 * Renders a recipe README (untrusted) to HTML that is safe to put in a page:
 * markdown by `marked`, then an allow-list sanitiser (`sanitize-html`) that
 * keeps only text formatting, links and images. Links keep only http(s) and
 * mailto (no `javascript:`, `data:`, `vbscript:` …); relative links are
 * pointed at the repository; images show only when the catalogue mirrored
 * them (any other becomes a link to it); no ids, names, styles,
 * classes (except a code block's language), event handlers, forms, frames
 * or scripts survive. The metadata block is left out (the page shows the
 * scores itself), and headings are shifted so the README's top heading is
 * an h3 under the page's own h2.
 */
export function renderReadme(markdown: string, context: ReadmeContext = {}): string {
  const source = markdown.replace(/^\uFEFF/, '').replace(METADATA_BLOCK, '');
  const html = marked.parse(source) as string;
  const shift = headingShift(html);
  return sanitizeHtml(html, sanitizerOptions(context, shift)).trim();
}

/** How many levels to move headings down so the smallest one becomes h3. */
function headingShift(html: string): number {
  let top = 7;
  for (const m of html.matchAll(/<h([1-6])[\s>]/gi)) top = Math.min(top, Number(m[1]));
  return top === 7 ? 0 : 3 - top;
}

function safeDecode(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

function sanitizerOptions(context: ReadmeContext, shift: number): sanitizeHtml.IOptions {
  const images = new Map(Object.entries(context.images ?? {}));
  const heading =
    (level: number): sanitizeHtml.Transformer =>
    () => ({
      tagName: `h${Math.min(6, Math.max(3, level + shift))}`,
      attribs: {},
    });
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'class'],
      img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
      abbr: ['title'],
      th: ['colspan', 'rowspan', 'scope'],
      td: ['colspan', 'rowspan'],
      ol: ['start'],
      code: ['class'],
      details: ['open'],
    },
    allowedClasses: { code: [/^language-[\w+-]{1,30}$/], a: ['image-link'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    // Mirrored images are site-relative paths; nothing else is an image source.
    allowedSchemesByTag: { img: [] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // Never keep the text of these: it is code or markup, not prose.
    nonTextTags: [
      'script',
      'style',
      'textarea',
      'option',
      'noscript',
      'template',
      'iframe',
      'object',
      'embed',
      'svg',
      'math',
      'title',
      'xmp',
      'noembed',
      'noframes',
      'plaintext',
    ],
    parseStyleAttributes: false,
    transformTags: {
      h1: heading(1),
      h2: heading(2),
      h3: heading(3),
      h4: heading(4),
      h5: heading(5),
      h6: heading(6),
      a: (tagName, attribs) => {
        const href = resolveLink(attribs.href, context, false);
        const out: sanitizeHtml.Attributes = {};
        if (href) {
          out.href = href;
          if (/^https?:/i.test(href)) out.rel = 'nofollow noopener noreferrer ugc';
        }
        if (attribs.title) out.title = attribs.title;
        return { tagName, attribs: out };
      },
      img: (tagName, attribs): sanitizeHtml.Tag => {
        const mirrored = attribs.src ? (images.get(attribs.src) ?? images.get(safeDecode(attribs.src))) : undefined;
        if (!mirrored) {
          // Not mirrored: a link to the image instead (or nothing, when it leads nowhere safe).
          const href = resolveLink(attribs.src, context, true);
          if (!href || !/^https?:/i.test(href)) return { tagName: 'span', attribs: {} as sanitizeHtml.Attributes, text: '' };
          const label = (attribs.alt ?? '').trim() || (attribs.title ?? '').trim() || href.slice(href.lastIndexOf('/') + 1) || 'image';
          return { tagName: 'a', attribs: { href, rel: 'nofollow noopener noreferrer ugc', class: 'image-link' }, text: `Image: ${label}` };
        }
        const out: sanitizeHtml.Attributes = { src: mirrored, alt: attribs.alt ?? '', loading: 'lazy' };
        for (const key of ['title', 'width', 'height'] as const) {
          const value = attribs[key];
          if (value && (key === 'title' || /^\d{1,4}$/.test(value))) out[key] = value;
        }
        return { tagName, attribs: out };
      },
    },
    // An image whose source was dropped shows nothing: leave it out.
    // (The frame keeps the tag name as written: an image turned into a link has an href instead.)
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src && !frame.attribs.href,
  };
}

/**
 * Absolute http(s)/mailto links are kept; a relative link (`docs/x.md`,
 * `#usage`) points into the repository's web view; anything else is dropped.
 */
function resolveLink(value: string | undefined, context: ReadmeContext, image: boolean): string | undefined {
  if (!value) return undefined;
  // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u0020\u007f]+/g, (m) => (m === ' ' ? '%20' : '')).trim();
  if (/^mailto:/i.test(text) && !image) return text;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return safeHttpUrl(text);
  if (text.startsWith('//')) return undefined;
  if (!context.repositoryUrl) return undefined;
  if (text.startsWith('#')) return `${context.repositoryUrl}${image ? '' : `#${encodeURIComponent(text.slice(1))}`}`;
  if (text.startsWith('/')) return repositoryFileUrl(context.repositoryUrl, context.branch ?? '', text.slice(1), image);
  return repositoryFileUrl(context.repositoryUrl, context.branch ?? '', text, image);
}
