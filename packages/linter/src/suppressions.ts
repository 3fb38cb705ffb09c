import { closestName, LineIndex, type Recipe, type Span, type YNode } from '@galley/recipe';
import type { Finding, TextEdit } from './rule.js';

/**
 * Inline suppressions: `# galley-disable-next-line <rule>[, <rule>] -- reason`,
 * `# galley-disable-line …` (trailing), `# galley-disable-file …`, and
 * `# galley-disable …` / `# galley-enable …` blocks, in compose files,
 * `.env.sample` and `abra.sh`. Without rule ids a comment covers every rule.
 */
export type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line' | 'disable-file';

export interface DirectiveRule {
  id: string;
  span: Span;
}

export interface Directive {
  kind: DirectiveKind;
  file: string;
  /** 1-based line of the comment. */
  line: number;
  /** Named rules; empty: every rule. */
  rules: DirectiveRule[];
  reason?: string;
  /** From `#` to the end of the line. */
  span: Span;
  /** What removing the comment deletes: the whole line when the comment is alone on it. */
  removal: { offset: number; endOffset: number };
  /** Offsets of the rule list (for removing some ids). */
  rulesRange: { offset: number; endOffset: number };
}

const DIRECTIVE = /(^|\s)#\s*galley-(disable-next-line|disable-line|disable-file|disable|enable)(?=\s|$)(.*)$/;

/** The files whose comments may hold directives, with their text. */
export function commentFiles(recipe: Recipe): Map<string, { text: string; root: YNode | null }> {
  const out = new Map<string, { text: string; root: YNode | null }>();
  for (const [file, parsed] of recipe.composeFiles) out.set(file, { text: parsed.text, root: parsed.root });
  if (recipe.envSample) out.set(recipe.envSample.file, { text: recipe.envSample.text, root: null });
  if (recipe.abraSh) out.set(recipe.abraSh.file, { text: recipe.abraSh.text, root: null });
  return out;
}

function insideScalar(root: YNode | null, offset: number): boolean {
  if (!root) return false;
  const stack: YNode[] = [root];
  const seen = new Set<YNode>();
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node) || offset < node.span.offset || offset >= node.span.endOffset) continue;
    seen.add(node);
    if (node.kind === 'scalar') return true;
    if (node.kind === 'map') for (const p of node.pairs) stack.push(p.key, p.value);
    else stack.push(...node.items);
  }
  return false;
}

/** Every directive in one file's text. `root`: the parsed YAML, to ignore `#` inside strings. */
export function parseDirectives(file: string, text: string, root: YNode | null = null): Directive[] {
  if (!text.includes('galley-')) return [];
  const lines = new LineIndex(text);
  const out: Directive[] = [];
  for (let line = 1; line <= lines.lineCount; line++) {
    const content = lines.lineText(line);
    if (!content.includes('galley-')) continue;
    const m = DIRECTIVE.exec(content);
    if (!m) continue;
    const start = lines.lineStart(line);
    const hash = start + m.index + m[1]!.length;
    if (insideScalar(root, hash)) continue;
    const kind = m[2] as DirectiveKind;
    const rest = m[3]!;
    const restStart = start + content.length - rest.length;
    const reasonAt = /\s--(?:\s|$)/.exec(rest);
    const list = reasonAt ? rest.slice(0, reasonAt.index) : rest;
    const reason = reasonAt ? rest.slice(reasonAt.index + reasonAt[0].length).trim() : undefined;
    const rules: DirectiveRule[] = [];
    for (const word of list.matchAll(/[^\s,]+/g)) {
      const offset = restStart + word.index;
      rules.push({ id: word[0], span: lines.span(file, offset, offset + word[0].length) });
    }
    const trimmedList = list.trimEnd();
    const listStart = restStart + (list.length - list.trimStart().length);
    const before = content.slice(0, hash - start);
    const alone = before.trim() === '';
    const lineEnd = start + content.length;
    const next = line < lines.lineCount ? lines.lineStart(line + 1) : text.length;
    const directive: Directive = {
      kind,
      file,
      line,
      rules,
      span: lines.span(file, hash, lineEnd),
      removal: alone ? { offset: start, endOffset: next } : { offset: start + before.trimEnd().length, endOffset: lineEnd },
      rulesRange: { offset: listStart, endOffset: restStart + trimmedList.length },
    };
    if (reason) directive.reason = reason;
    out.push(directive);
  }
  return out;
}

export interface SuppressedFinding extends Finding {
  /** The reason the comment gives, if any. */
  justification?: string;
}

export interface SuppressionOutcome {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Findings about the comments themselves (unused, unknown rule, no reason). */
  directiveFindings: Finding[];
}

export interface SuppressionOptions {
  /** Ids of the rules that ran: only their unused disables are reported. */
  ran: ReadonlySet<string>;
  /** Every rule id galley knows. */
  known: ReadonlySet<string>;
  /** Severity of `galley/unused-disable` (absent: off). */
  unused?: Finding['severity'];
  /** Severity of `galley/disable-reason` (absent: off). */
  reason?: Finding['severity'];
}

function covers(directive: Directive, ruleId: string): DirectiveRule | true | undefined {
  if (directive.rules.length === 0) return true;
  return directive.rules.find((r) => r.id === ruleId);
}

function label(kind: DirectiveKind): string {
  return `galley-${kind}`;
}

/** Applies the directives of every file to the findings; reports unused and reason-less ones. */
export function applySuppressions(findings: readonly Finding[], directives: readonly Directive[], options: SuppressionOptions): SuppressionOutcome {
  // Uses per directive and per named rule (key '*' for a directive without ids).
  const uses = new Map<Directive, Map<string, number>>();
  const use = (d: Directive, key: string) => {
    const m = uses.get(d) ?? new Map<string, number>();
    m.set(key, (m.get(key) ?? 0) + 1);
    uses.set(d, m);
  };
  const byFile = new Map<string, Directive[]>();
  for (const d of directives) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }

  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const list = byFile.get(finding.file);
    const by = list ? suppressor(list, finding) : undefined;
    if (!by) {
      kept.push(finding);
      continue;
    }
    use(by, by.rules.length === 0 ? '*' : finding.ruleId);
    const s: SuppressedFinding = { ...finding };
    if (by.reason) s.justification = by.reason;
    suppressed.push(s);
  }

  const directiveFindings: Finding[] = [];
  for (const d of directives) {
    if (d.kind === 'enable') continue;
    if (options.reason && !d.reason) {
      directiveFindings.push(
        directiveFinding('galley/disable-reason', 'missing', options.reason, d.span, `${label(d.kind)} comment gives no reason: add " -- <why>"`),
      );
    }
    if (!options.unused) continue;
    const used = uses.get(d);
    if (d.rules.length === 0) {
      if (!used) {
        directiveFindings.push(
          withFix(
            directiveFinding('galley/unused-disable', 'unused', options.unused, d.span, `unused ${label(d.kind)} comment: no problem to suppress here`),
            d,
            [],
          ),
        );
      }
      continue;
    }
    const unknown = d.rules.filter((r) => !options.known.has(r.id));
    const unusedRules = d.rules.filter((r) => options.known.has(r.id) && options.ran.has(r.id) && !used?.get(r.id));
    const remaining = d.rules.filter((r) => !unknown.includes(r) && !unusedRules.includes(r));
    for (const r of unknown) {
      const suggestion = closestName(r.id, [...options.known]);
      const f = directiveFinding(
        'galley/unused-disable',
        'unknownRule',
        options.unused,
        r.span,
        `${label(d.kind)} names the unknown rule "${r.id}"${suggestion ? `: did you mean "${suggestion}"?` : ''}`,
      );
      directiveFindings.push(withFix(f, d, remaining));
    }
    for (const r of unusedRules) {
      const f = directiveFinding(
        'galley/unused-disable',
        'unused',
        options.unused,
        r.span,
        `unused ${label(d.kind)} comment: no ${r.id} problem to suppress here`,
      );
      directiveFindings.push(withFix(f, d, remaining));
    }
  }
  return { findings: kept, suppressed, directiveFindings };
}

function suppressor(list: readonly Directive[], finding: Finding): Directive | undefined {
  for (const d of list) {
    if (!covers(d, finding.ruleId)) continue;
    if (d.kind === 'disable-file') return d;
    if (d.kind === 'disable-line' && d.line === finding.line) return d;
    if (d.kind === 'disable-next-line' && d.line + 1 === finding.line) return d;
  }
  // Blocks: the last disable before the finding that no enable closed.
  let open: Directive | undefined;
  for (const d of list) {
    if (d.line > finding.line) break;
    if (d.kind === 'disable' && covers(d, finding.ruleId)) open = d;
    else if (d.kind === 'enable' && open && covers(d, finding.ruleId) && d.line < finding.line) open = undefined;
  }
  return open;
}

function directiveFinding(ruleId: string, messageId: string, severity: Finding['severity'], span: Span, message: string): Finding {
  return { ruleId, messageId, severity, message, file: span.file, line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol };
}

/** The fix: drop the comment, or only the unused ids when some stay in use. */
function withFix(finding: Finding, d: Directive, remaining: readonly DirectiveRule[]): Finding {
  const edit: TextEdit =
    remaining.length === 0
      ? { file: d.file, offset: d.removal.offset, endOffset: d.removal.endOffset, text: '' }
      : { file: d.file, offset: d.rulesRange.offset, endOffset: d.rulesRange.endOffset, text: remaining.map((r) => r.id).join(', ') };
  finding.fix = {
    description: remaining.length === 0 ? `remove the ${label(d.kind)} comment` : `keep only ${remaining.map((r) => r.id).join(', ')}`,
    edits: [edit],
  };
  finding.remediation = 'Remove the comment, or the rule ids in it that suppress nothing.';
  return finding;
}
