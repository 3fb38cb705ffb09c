import { everyComposeFile, type Recipe, resolveStack, type Span, type Stack } from '@galley/recipe';
import { clipMessage } from './limits.js';
import {
  DEFAULT_DOCKER_VERSION,
  type Finding,
  formatMessage,
  type LintSettings,
  type ReportDescriptor,
  type Rule,
  type RuleContext,
  type Severity,
} from './rule.js';

/** How one rule runs: whether, at which severity, with which options. */
export interface RuleSetting {
  rule: Rule;
  severity: Severity;
  options: Record<string, unknown>;
}

export interface RunOptions {
  online?: boolean;
  /** Precomputed stacks (the engine computes them once per recipe). */
  stack?: Stack;
  fullStack?: Stack;
  /** Default: the default Docker version, not a swarm (the engine sets both from the presets). */
  settings?: Partial<LintSettings>;
}

export interface RunResult {
  findings: Finding[];
  /** Rules that threw: reported, never fatal to the run. */
  crashes: { ruleId: string; message: string }[];
  /** Ids of the rules that ran (not skipped for the kind of target, the network, or an unreadable compose file). */
  ran: string[];
}

const NO_SPAN: Span = { file: '', line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };

/** The stacks rules see: the default deploy, and every compose file merged. */
export function stacksOf(recipe: Recipe): { stack: Stack; fullStack: Stack } {
  if (recipe.kind === 'compose-file') {
    const stack = resolveStack(recipe);
    return { stack, fullStack: stack };
  }
  // Both use the same variables: each file is interpolated once, for the full stack.
  const fullStack = resolveStack(recipe, { composeFiles: everyComposeFile(recipe) });
  return { stack: resolveStack(recipe, { interpolated: fullStack.files }), fullStack };
}

/**
 * Runs rules over one recipe and collects their findings, in a stable order
 * (file, line, column, rule id). A rule that throws becomes a crash entry;
 * the other rules still run.
 */
export async function runRules(recipe: Recipe, ruleSettings: RuleSetting[], options: RunOptions = {}): Promise<RunResult> {
  const stacks = options.stack && options.fullStack ? { stack: options.stack, fullStack: options.fullStack } : stacksOf(recipe);
  const findings: Finding[] = [];
  const crashes: RunResult['crashes'] = [];
  const settings: LintSettings = {
    dockerVersion: options.settings?.dockerVersion ?? DEFAULT_DOCKER_VERSION,
    swarm: options.settings?.swarm ?? false,
  };
  const broken = composeFileUnreadable(recipe);
  const ran: string[] = [];
  const optionsOf = (id: string) => {
    const other = ruleSettings.find((s) => s.rule.meta.id === id);
    return other ? { ...(other.rule.meta.defaultOptions ?? {}), ...other.options } : undefined;
  };
  const online = options.online ?? false;
  for (const { rule, severity, options: ruleOptions } of ruleSettings) {
    const meta = rule.meta;
    if (broken && meta.category !== 'syntax' && !meta.composeIndependent) continue;
    if (recipe.kind === 'compose-file' && !meta.appliesToComposeFiles) continue;
    if (meta.requires?.includes('online') && !online) continue;
    ran.push(meta.id);
    // One written problem, one finding: a rule that reaches the same node
    // through several trees (each file, the merged stack) or through an
    // anchor shared by several services reports it once (the first wins).
    let seen: Set<string> | undefined;
    const context: RuleContext = {
      recipe,
      stack: stacks.stack,
      fullStack: stacks.fullStack,
      options: meta.defaultOptions ? { ...meta.defaultOptions, ...ruleOptions } : ruleOptions,
      settings,
      optionsOf,
      online,
      report: (d) => {
        const span = d.span ?? d.node?.span ?? NO_SPAN;
        const key = `${d.messageId}\0${span.file}\0${span.offset}\0${span.endOffset}`;
        seen ??= new Set();
        if (seen.has(key)) return;
        seen.add(key);
        findings.push(toFinding(rule, severity, d));
      },
    };
    try {
      // Most rules are synchronous: await only a promise.
      const pending = rule.check(context);
      if (pending) await pending;
    } catch (error) {
      crashes.push({ ruleId: meta.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  findings.sort(compareFindings);
  return { findings, crashes, ran };
}

/** Whether a compose file could not be read (a YAML syntax error, too large): then only syntax and compose-independent rules run. */
export function composeFileUnreadable(recipe: Recipe): boolean {
  for (const parsed of recipe.composeFiles.values()) {
    if (parsed.root === null && parsed.diagnostics.some((d) => d.severity === 'error')) return true;
  }
  return recipe.diagnostics.some(
    (d) => d.code === 'file-too-large' && d.span !== undefined && recipe.composeFiles.has(d.span.file) === false && /\.ya?ml$/.test(d.span.file),
  );
}

function toFinding(rule: Rule, severity: Severity, d: ReportDescriptor): Finding {
  const template = rule.meta.messages[d.messageId];
  if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown messageId "${d.messageId}"`);
  const span = d.span ?? d.node?.span ?? NO_SPAN;
  const finding: Finding = {
    ruleId: rule.meta.id,
    ...(rule.meta.abra ? { abra: rule.meta.abra } : {}),
    messageId: d.messageId,
    severity: d.severity ?? severity,
    message: clipMessage(formatMessage(template, d.data)),
    file: span.file,
    line: span.line,
    col: span.col,
    endLine: span.endLine,
    endCol: span.endCol,
  };
  // A finding without a fix must not promise one: sentences about `--fix` go.
  const remediation = d.remediation ?? remediationOf(rule, Boolean(d.fix));
  if (remediation) finding.remediation = remediation;
  if (d.fix) finding.fix = d.fix;
  if (d.suggestions?.length) finding.suggestions = d.suggestions;
  if (d.related?.length) finding.related = d.related.map((r) => ({ ...r, message: clipMessage(r.message) }));
  return finding;
}

const remediations = new WeakMap<Rule, { fixed: string; unfixed: string }>();

/** The first paragraph of a rule's advice, without its promise of `--fix` when the finding has no fix (once per rule: a flood of findings must not redo it). */
function remediationOf(rule: Rule, fixed: boolean): string {
  let known = remediations.get(rule);
  if (!known) {
    const first = firstParagraph(rule.meta.docs.fix);
    known = { fixed: first, unfixed: withoutFixPromise(first) };
    remediations.set(rule, known);
  }
  return fixed ? known.fixed : known.unfixed;
}

/** Text without its sentences that mention `--fix`. */
export function withoutFixPromise(text: string): string {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z`(])/)
    .filter((sentence) => !sentence.includes('--fix'))
    .join(' ')
    .trim();
}

/** The first paragraph of markdown, on one line, without code fences. */
export function firstParagraph(markdown: string): string {
  const paragraph = markdown.trim().split(/\n\s*\n/)[0] ?? '';
  return paragraph.startsWith('```') ? '' : paragraph.replace(/\s*\n\s*/g, ' ').trim();
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.col - b.col ||
    cmp(a.ruleId, b.ruleId) ||
    a.endLine - b.endLine ||
    a.endCol - b.endCol ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
