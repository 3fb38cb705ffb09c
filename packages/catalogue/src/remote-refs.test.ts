import { describe, expect, it } from '@jest/globals';
import { parseAdvertisement, sameRefs } from './remote-refs.js';

const pkt = (line: string) => `${(Buffer.byteLength(line) + 4).toString(16).padStart(4, '0')}${line}`;
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('parseAdvertisement', () => {
  const v0 =
    pkt(`${A} HEAD\0multi_ack side-band-64k symref=HEAD:refs/heads/main\n`) +
    pkt(`${A} refs/heads/main\n`) +
    pkt(`${B} refs/tags/1.0.0+1\n`) +
    pkt(`${C} refs/tags/1.0.0+1^{}\n`) +
    pkt(`${C} refs/pull/1/head\n`) +
    '0000';

  it('keeps branches and tags (tag objects, not the peeled lines), drops HEAD and other refs', () => {
    expect(parseAdvertisement(Buffer.from(v0), false)).toEqual(
      new Map([
        ['refs/heads/main', A],
        ['refs/tags/1.0.0+1', B],
      ]),
    );
  });

  it('skips the smart HTTP service header', () => {
    expect(parseAdvertisement(Buffer.from(`${pkt('# service=git-upload-pack\n')}0000${v0}`), true)?.size).toBe(2);
  });

  it('reads an empty repository as no refs', () => {
    expect(parseAdvertisement(Buffer.from(`${pkt(`${'0'.repeat(40)} capabilities^{}\0report-status\n`)}0000`), false)).toEqual(new Map());
  });

  it.each([
    ['truncated', v0.slice(0, 60)],
    ['no flush yet', v0.slice(0, -4)],
    ['an error line', `${pkt('ERR access denied\n')}0000`],
    ['protocol v2', `${pkt('version 2\n') + pkt('ls-refs\n')}0000`],
    ['not hex', `zzzz${v0}`],
    ['a bad object id', `${pkt('xyz refs/heads/main\n')}0000`],
  ])('cannot tell from %s', (_name, text) => {
    expect(parseAdvertisement(Buffer.from(text), false)).toBeUndefined();
  });
});

describe('sameRefs', () => {
  it('compares names and objects both ways', () => {
    const a = new Map([['refs/heads/main', A]]);
    expect(sameRefs(a, new Map([['refs/heads/main', A]]))).toBe(true);
    expect(sameRefs(a, new Map([['refs/heads/main', B]]))).toBe(false);
    expect(
      sameRefs(
        a,
        new Map([
          ['refs/heads/main', A],
          ['refs/tags/x', B],
        ]),
      ),
    ).toBe(false);
    expect(sameRefs(new Map([['refs/tags/x', B]]), a)).toBe(false);
  });
});
