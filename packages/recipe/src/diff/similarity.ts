/**
 * How alike two names are, 0 (nothing shared) to 1 (the same, ignoring
 * case): the Sørensen–Dice coefficient of their letter pairs. `SMTP_PASS`
 * and `SMTP_PASSWORD` score 0.8, `MAIL_HOST` and `SMTP_HOST` 0.5.
 */
export function nameSimilarity(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < x.length - 1; i++) {
    const pair = x.slice(i, i + 2);
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < y.length - 1; i++) {
    const pair = y.slice(i, i + 2);
    const left = pairs.get(pair) ?? 0;
    if (left > 0) {
      shared++;
      pairs.set(pair, left - 1);
    }
  }
  return (2 * shared) / (x.length - 1 + (y.length - 1));
}

/**
 * Pairs items of `removed` with items of `added` that are likely the same
 * thing under a new name: each pair scores at least `threshold`, best pairs
 * first, each item used once.
 */
export function pairRenames<R, A>(removed: readonly R[], added: readonly A[], score: (r: R, a: A) => number, threshold: number): [R, A][] {
  const candidates: { r: number; a: number; score: number }[] = [];
  removed.forEach((r, i) => {
    added.forEach((a, j) => {
      const s = score(r, a);
      if (s >= threshold) candidates.push({ r: i, a: j, score: s });
    });
  });
  candidates.sort((p, q) => q.score - p.score || p.r - q.r || p.a - q.a);
  const usedR = new Set<number>();
  const usedA = new Set<number>();
  const out: [R, A][] = [];
  for (const c of candidates) {
    if (usedR.has(c.r) || usedA.has(c.a)) continue;
    usedR.add(c.r);
    usedA.add(c.a);
    out.push([removed[c.r]!, added[c.a]!]);
  }
  return out;
}
