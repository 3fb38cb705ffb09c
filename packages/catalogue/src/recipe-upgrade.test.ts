import { parseEnvFile } from '@galley/recipe';
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
  it('takes a variable .env.sample sets from there (the line that wins), with the default kept in step', () => {
    const env = parseEnvFile('TYPE=x\nTAG=1.25.2  # the nginx version\nEMPTY=\n', '.env.sample');
    const traced = traceDefaults('nginx:${TAG:-1.25.2}', env)!;
    expect(traced.value).toBe('nginx:1.25.2');
    const segment = traced.segments.find((s) => s.valueStart === 6)!;
    expect(env.text.slice(segment.rawStart, segment.rawStart + 6)).toBe('1.25.2');
    expect(segment.env).toEqual({ name: 'TAG', fallback: { rawStart: '${TAG:-'.length + 'nginx:'.length, text: '1.25.2' } });
    // An empty value does not win over `:-`; it does over `-`.
    expect(traceDefaults('nginx:${EMPTY:-1.0}', env)!.value).toBe('nginx:1.0');
    expect(traceDefaults('nginx:1.0${EMPTY-x}', env)!.value).toBe('nginx:1.0');
  });
});
