import { remoteRefs, sameRefs } from '@galley/catalogue';
import { readRefs } from '@galley/platform/git';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type GitHttpServer, type GitServer, startGitHttpServer, startGitServer } from '../support/index.js';

const compose = 'services:\n  app:\n    image: nginx:1.27.3\n';

describe("remoteRefs: a remote's branches and tags without starting git", () => {
  let daemon: GitServer;
  let http: GitHttpServer;

  beforeAll(async () => {
    daemon = await startGitServer([
      {
        name: 'forum',
        commits: [
          { files: { 'compose.yml': compose }, message: 'first', tags: [{ name: '1.0.0+1.27.3', annotated: true }] },
          { files: { 'README.md': '# Forum\n' }, message: 'second', tags: [{ name: 'wip', annotated: false }] },
        ],
      },
      { name: 'empty' },
    ]);
    http = await startGitHttpServer(daemon.root);
  });
  afterAll(async () => {
    await http?.stop();
    await daemon?.stop();
  });

  it('reads the advertisement over git:// exactly as the repository has its refs (tag objects, not peeled)', async () => {
    const refs = await remoteRefs(daemon.url('forum'), 10_000);
    const onDisk = await readRefs(daemon.repoPath('forum'));
    expect(refs && [...refs.keys()].sort()).toEqual(['refs/heads/main', 'refs/tags/1.0.0+1.27.3', 'refs/tags/wip']);
    expect(refs && sameRefs(refs, onDisk)).toBe(true);
    const tagObject = (await daemon.git('forum', ['rev-parse', 'refs/tags/1.0.0+1.27.3'])).trim();
    expect(refs?.get('refs/tags/1.0.0+1.27.3')).toBe(tagObject);
  });

  it('reads the same over smart HTTP (git http-backend)', async () => {
    const refs = await remoteRefs(http.url('forum'), 10_000);
    expect(refs && sameRefs(refs, await readRefs(daemon.repoPath('forum')))).toBe(true);
    expect(http.requests).toContain('/forum.git/info/refs?service=git-upload-pack');
  });

  it('reads a local repository from its files, and an empty repository has no refs', async () => {
    const local = await remoteRefs(daemon.repoPath('forum'), 10_000);
    const file = await remoteRefs(`file://${daemon.repoPath('forum')}`, 10_000);
    expect(local && file && sameRefs(local, file)).toBe(true);
    expect(await remoteRefs(daemon.url('empty'), 10_000)).toEqual(new Map());
  });

  it('sees a new commit and a new tag', async () => {
    const before = await remoteRefs(daemon.url('forum'), 10_000);
    await daemon.addCommit('forum', {
      files: { 'compose.yml': compose.replace('1.27.3', '1.27.4') },
      message: 'bump',
      tags: [{ name: '1.0.1+1.27.4', annotated: true }],
    });
    const after = await remoteRefs(daemon.url('forum'), 10_000);
    expect(before && after && sameRefs(before, after)).toBe(false);
    expect(after?.has('refs/tags/1.0.1+1.27.4')).toBe(true);
    expect(after?.get('refs/heads/main')).not.toBe(before?.get('refs/heads/main'));
  });

  it('cannot tell (undefined, so git fetch decides) for unknown repositories, refused connections, ssh and dumb answers', async () => {
    expect(await remoteRefs(daemon.url('nope'), 10_000)).toBeUndefined();
    expect(await remoteRefs('git://127.0.0.1:1/forum.git', 10_000)).toBeUndefined();
    expect(await remoteRefs(`${http.baseUrl}/nope.git`, 10_000)).toBeUndefined();
    expect(await remoteRefs('ssh://git@example.org/forum.git', 10_000)).toBeUndefined();
    expect(await remoteRefs('git@example.org:forum.git', 10_000)).toBeUndefined();
  });
});
