import { parseYaml } from '@galley/recipe';
import { describe, expect, it } from '@jest/globals';
import { applyEdits } from './fixes.js';
import type { Finding } from './rule.js';
import { applySuppressions, parseDirectives } from './suppressions.js';

const finding = (ruleId: string, line: number, file = 'compose.yml'): Finding => ({
  ruleId,
  messageId: 'm',
  severity: 'error',
  message: `${ruleId} at ${line}`,
  file,
  line,
  col: 1,
  endLine: line,
  endCol: 2,
});

const options = { ran: new Set(['a/x', 'a/y']), known: new Set(['a/x', 'a/y', 'a/z']), unused: 'warning' as const };

describe('parseDirectives', () => {
  it('reads kind, rules with their spans, and the reason', () => {
    const text = 'services: # galley-disable-line a/x, a/y -- because\n';
    const [d] = parseDirectives('compose.yml', text);
    expect(d).toMatchObject({ kind: 'disable-line', line: 1, reason: 'because' });
    expect(d!.rules.map((r) => [r.id, r.span.col, r.span.endCol])).toEqual([
      ['a/x', 33, 36],
      ['a/y', 38, 41],
    ]);
    expect(d!.span).toMatchObject({ line: 1, col: 11, endCol: 52 });
  });

  it('without rule ids covers every rule; every kind is recognised', () => {
    const text = '# galley-disable-file\n# galley-disable\n# galley-enable a/x\n# galley-disable-next-line\n';
    expect(parseDirectives('f', text).map((d) => [d.kind, d.rules.length])).toEqual([
      ['disable-file', 0],
      ['disable', 0],
      ['enable', 1],
      ['disable-next-line', 0],
    ]);
  });

  it('ignores look-alikes inside strings', () => {
    const text = 'command: |\n  echo # galley-disable-line a/x\nimage: "x # galley-disable-line a/x"\n';
    expect(parseDirectives('compose.yml', text, parseYaml(text, 'compose.yml').root)).toEqual([]);
  });
});

describe('applySuppressions', () => {
  const run = (text: string, findings: Finding[], extra: Partial<typeof options> & { reason?: 'warning' } = {}) =>
    applySuppressions(findings, parseDirectives('compose.yml', text), { ...options, ...extra });

  it('disable-line, disable-next-line, disable-file', () => {
    const text = 'a: 1 # galley-disable-line a/x\n# galley-disable-next-line a/y\nb: 2\nc: 3\n';
    const out = run(text, [finding('a/x', 1), finding('a/y', 1), finding('a/y', 3), finding('a/y', 4)]);
    expect(out.findings.map((f) => f.message)).toEqual(['a/y at 1', 'a/y at 4']);
    expect(out.suppressed.map((f) => f.message)).toEqual(['a/x at 1', 'a/y at 3']);
    expect(out.directiveFindings).toEqual([]);
    const file = run('# galley-disable-file a/x -- generated\n', [finding('a/x', 9), finding('a/y', 9)]);
    expect(file.findings.map((f) => f.ruleId)).toEqual(['a/y']);
    expect(file.suppressed[0]!.justification).toBe('generated');
  });

  it('disable / enable blocks', () => {
    const text = 'a: 1\n# galley-disable a/x\nb: 2\n# galley-enable a/x\nc: 3\n# galley-disable\nd: 4\n';
    const out = run(text, [finding('a/x', 1), finding('a/x', 3), finding('a/x', 5), finding('a/y', 7), finding('a/x', 7)]);
    expect(out.findings.map((f) => f.line)).toEqual([1, 5]);
    expect(out.suppressed.map((f) => f.line)).toEqual([3, 7, 7]);
  });

  it('reports unused directives and unknown rule ids, with fixes that remove them', () => {
    const text = 'a: 1\n# galley-disable-next-line a/x, a/y\nb: 2 # galley-disable-line a/xx\nc: 3 # galley-disable-line\n';
    const out = run(text, [finding('a/x', 3)]);
    expect(out.findings).toEqual([]);
    expect(out.directiveFindings.map((f) => [f.ruleId, f.messageId, f.line, f.col, f.message])).toEqual([
      ['galley/unused-disable', 'unused', 2, 33, 'unused galley-disable-next-line comment: no a/y problem to suppress here'],
      ['galley/unused-disable', 'unknownRule', 3, 28, 'galley-disable-line names the unknown rule "a/xx": did you mean "a/x"?'],
      ['galley/unused-disable', 'unused', 4, 6, 'unused galley-disable-line comment: no problem to suppress here'],
    ]);
    const { files } = applyEdits(
      new Map([['compose.yml', text]]),
      out.directiveFindings.flatMap((f) => f.fix!.edits),
    );
    expect(files.get('compose.yml')).toBe('a: 1\n# galley-disable-next-line a/x\nb: 2\nc: 3\n');
  });

  it('a comment alone on its line is removed with its line', () => {
    const text = 'a: 1\n  # galley-disable-next-line a/x\nb: 2\n';
    const out = run(text, []);
    const { files } = applyEdits(
      new Map([['compose.yml', text]]),
      out.directiveFindings.flatMap((f) => f.fix!.edits),
    );
    expect(files.get('compose.yml')).toBe('a: 1\nb: 2\n');
  });

  it('does not report disables of rules that did not run', () => {
    expect(run('a: 1 # galley-disable-line a/z\n', []).directiveFindings).toEqual([]);
  });

  it('reports a missing reason when asked', () => {
    const text = 'a: 1 # galley-disable-line a/x\nb: 1 # galley-disable-line a/x -- ok\n';
    const out = run(text, [finding('a/x', 1), finding('a/x', 2)], { reason: 'warning' });
    expect(out.directiveFindings.map((f) => [f.ruleId, f.line])).toEqual([['galley/disable-reason', 1]]);
    expect(run(text, [finding('a/x', 1), finding('a/x', 2)]).directiveFindings).toEqual([]);
  });
});
