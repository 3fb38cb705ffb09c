/** A JSON path as people read it: `$.forum.versions[0]["1.0.0+2.1"].app.digest`. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `/forum/versions/0` (a JSON Pointer, as ajv reports it) → segments. */
export function pointerToSegments(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(?:0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}
