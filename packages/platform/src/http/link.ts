/** `Link: <url>; rel="next"` → the next URL resolved against the request URL (relative, absolute or with an opaque token). */
export function nextLink(link: string | null | undefined, base: string | URL): URL | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*(.*)$/.exec(part.trim());
    if (!m) continue;
    if (/(?:^|;)\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(m[2]!)) return new URL(m[1]!, base);
  }
  return undefined;
}
