import type { Recipe, Span, Stack, YNode } from '@galley/recipe';

/**
 * The contract between the lint engine and the rules in `rules/`. A rule is
 * one module exporting a `Rule`: metadata (id, severity, docs, messages,
 * options schema, fixability, presets) and a `check` over the recipe model.
 * Rules never parse files; they read the model and report nodes or spans.
 */

export type Severity = 'error' | 'warning' | 'info';

export type RuleCategory =
  | 'syntax' // the file cannot be read
  | 'schema' // compose-spec / docker schema violations
  | 'correctness' // references, types, values that break a deploy
  | 'swarm' // what `docker stack deploy` ignores, deprecates or refuses
  | 'coop-cloud' // Co-op Cloud recipe conventions
  | 'security'
  | 'best-practice';

export type PresetName = 'recommended' | 'swarm' | 'coop-cloud';

export interface RuleDocs {
  /** Why the problem matters (markdown). */
  why: string;
  /** How to fix it (markdown). */
  fix: string;
  /** A wrong example (file contents; YAML unless `exampleFile` says otherwise). */
  wrong: string;
  /** The same example made right. */
  right: string;
  /** The file the examples are (default `compose.yml`). */
  exampleFile?: string;
}

export interface RuleMeta {
  /** `<namespace>/<name>`, e.g. `compose/undefined-network`. Stable forever. */
  id: string;
  severity: Severity;
  category: RuleCategory;
  /** One line: what the rule checks. */
  description: string;
  docs: RuleDocs;
  /** Message templates by id; `{{name}}` placeholders are filled from `data`. */
  messages: Record<string, string>;
  /** JSON Schema of the rule's options object (absent: no options). */
  options?: Record<string, unknown>;
  defaultOptions?: Record<string, unknown>;
  /** Whether the rule offers fixes that `--fix` applies. */
  fixable: boolean;
  /** Whether the rule offers suggestions (alternative fixes a person picks; never applied by `--fix`). */
  hasSuggestions?: boolean;
  /** Presets that enable the rule. */
  presets: PresetName[];
  /** The abra lint rule this rule mirrors (`R001`…), when there is one. */
  abra?: string;
  /** `online`: runs only with `--online` (network). */
  requires?: 'online'[];
  /** Whether the rule applies to lone compose files too (default: recipes only). */
  appliesToComposeFiles?: boolean;
  /**
   * The rule reads no compose file (only `.env.sample`, the README, git…), so it
   * still runs when a compose file cannot be parsed. Other rules are skipped
   * then: they would judge what the broken file would have defined.
   */
  composeIndependent?: boolean;
}

/** Replace `[offset, endOffset)` of `file` with `text` (insert: equal offsets). */
export interface TextEdit {
  file: string;
  offset: number;
  endOffset: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

export interface ReportDescriptor {
  messageId: string;
  data?: Record<string, string | number>;
  /** Where: a node of the model, or a span. */
  node?: YNode;
  span?: Span;
  /** A safe, mechanical fix applied by `--fix`. */
  fix?: Fix;
  /** Alternative fixes a person chooses from (never applied automatically). */
  suggestions?: Fix[];
  related?: { message: string; span: Span }[];
  /** A specific how-to-fix for this finding; default: the first paragraph of `docs.fix`. */
  remediation?: string;
  /** Overrides the configured severity for this one finding (rare). */
  severity?: Severity;
}

/** The Docker version rules assume unless `--docker-version` or `dockerVersion` in .galley.yml says otherwise. */
export const DEFAULT_DOCKER_VERSION = '24.0';

/** Facts about where the files are deployed, shared by every rule of a run. */
export interface LintSettings {
  /** The Docker version (major.minor) of the swarm or engine: what `docker stack deploy` refuses or ignores depends on it. */
  dockerVersion: string;
  /** Whether the files are deployed with `docker stack deploy` (the swarm or coop-cloud preset runs), not `docker compose`. */
  swarm: boolean;
}

export interface RuleContext {
  readonly recipe: Recipe;
  /**
   * The stack a default deploy uses: `COMPOSE_FILE` of `.env.sample`,
   * merged and interpolated with `.env.sample` and `STACK_NAME`.
   */
  readonly stack: Stack;
  /**
   * Every compose file of the recipe (base first, then all overlays) merged:
   * the universe for reference checks. `fullStack.files` holds each compose
   * file interpolated on its own (use it for per-file checks).
   */
  readonly fullStack: Stack;
  /** The rule's options (defaults applied). */
  readonly options: Record<string, unknown>;
  readonly settings: LintSettings;
  /** The options of another rule of the run (defaults applied), or undefined when it does not run: for rules that leave a case to a more specific one. */
  optionsOf(ruleId: string): Readonly<Record<string, unknown>> | undefined;
  /** True with `--online`: rules may use the network. */
  readonly online: boolean;
  report(descriptor: ReportDescriptor): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void | Promise<void>;
}

/** A problem found by a rule, with everything a formatter needs. */
export interface Finding {
  ruleId: string;
  /** The abra lint check the rule mirrors (`R009`), shown beside the rule id. */
  abra?: string;
  /** Which of the rule's message templates produced `message`. */
  messageId: string;
  severity: Severity;
  message: string;
  /** Path relative to the linted recipe or compose file's folder. */
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  /** How to fix it, in a sentence or two. */
  remediation?: string;
  fix?: Fix;
  suggestions?: Fix[];
  related?: { message: string; span: Span }[];
}

/** Fills `{{name}}` placeholders. Unknown placeholders stay visible so tests catch them. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
