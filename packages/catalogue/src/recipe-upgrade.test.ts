import { describe, expect, it } from '@jest/globals';
import { traceDefaults } from './recipe-upgrade.js';

describe('traceDefaults', () => {
  it('maps a literal image to itself', () => {
    expect(traceDefaults('nginx:1.25.3')).toEqual({ value: 'nginx:1.25.3', unset: [], segments: [{ valueStart: 0, valueEnd: 12, rawStart: 0 }] });
  });
  it('maps a tag in ${VAR:-default} back to the default', () => {
    const raw = 'nginx:${TAG:-1.25.3}';
    const traced = traceDefaults(raw)!;
    expect(traced.value).toBe('nginx:1.25.3');
    const segment = traced.segments.find((s) => s.valueStart === 6)!;
    expect(raw.slice(segment.rawStart, segment.rawStart + 6)).toBe('1.25.3');
  });
  it('maps a whole image in a default, and notes variables without defaults', () => {
    const traced = traceDefaults('${IMAGE-ghcr.io/x/y:2.0}')!;
    expect(traced.value).toBe('ghcr.io/x/y:2.0');
    expect(traced.segments[0]!.rawStart).toBe('${IMAGE-'.length);
    expect(traceDefaults('${REGISTRY}/app:1.0')!.unset).toEqual(['REGISTRY']);
  });
  it('gives up on nested defaults and $$', () => {
    expect(traceDefaults('nginx:${A:-${B:-1.0}}')).toBeUndefined();
    expect(traceDefaults('nginx:$$1')).toBeUndefined();
  });
});
