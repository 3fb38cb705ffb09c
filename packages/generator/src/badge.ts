/**
 * Sizes for a recipe's SVG badge (`[name | status N | version]`, in the
 * style of shields.io). Text widths are estimated from a small table of
 * Verdana 11px advance widths, so the same text always gives the same SVG.
 */
export interface BadgeSegment {
  text: string;
  x: number;
  width: number;
  /** Centre of the text. */
  textX: number;
  fill: string;
}

export interface BadgeView {
  width: number;
  segments: BadgeSegment[];
  /** What a screen reader says: `forum: status 2 of 5, latest version 0.2.0+3.8.4`. */
  title: string;
}

const STATUS_COLOURS: Record<string, string> = {
  '5': '#1a7f37',
  '4': '#2b7a3d',
  '3': '#7d5a00',
  '2': '#a14200',
  '1': '#b3261e',
};
const NAME_COLOUR = '#3d4451';
const VERSION_COLOUR = '#0b5cad';
const UNKNOWN_COLOUR = '#5c6370';

const NARROW = new Set([..."ijlI.,:;|!'()[]{} "]);
const WIDE = new Set([...'mwMW@%']);

export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) width += 3.6;
    else if (WIDE.has(ch)) width += 10.4;
    else if (/[A-Z]/.test(ch)) width += 7.6;
    else if (/[0-9]/.test(ch)) width += 7;
    else if (/[a-z]/.test(ch)) width += 6.6;
    else width += 7.4;
  }
  return Math.ceil(width);
}

function clip(text: string, max = 40): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

export function badgeView(name: string, status: number | 'na' | undefined, version: string | undefined): BadgeView {
  const statusText = typeof status === 'number' && status > 0 ? `status ${status}` : 'status ?';
  const parts = [
    { text: clip(name), fill: NAME_COLOUR },
    { text: statusText, fill: STATUS_COLOURS[String(status)] ?? UNKNOWN_COLOUR },
    { text: clip(version ?? 'unreleased'), fill: version ? VERSION_COLOUR : UNKNOWN_COLOUR },
  ];
  let x = 0;
  const segments = parts.map((p) => {
    const width = textWidth(p.text) + 12;
    const segment = { text: p.text, x, width, textX: x + width / 2, fill: p.fill };
    x += width;
    return segment;
  });
  const title = `${name}: ${typeof status === 'number' && status > 0 ? `status ${status} of 5` : 'status unknown'}, ${version ? `latest version ${version}` : 'no release yet'}`;
  return { width: x, segments, title };
}
