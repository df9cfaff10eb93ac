import fc from 'fast-check';
import { describe, it } from 'vitest';
import { RUNS, edges } from './helpers';

// Rule edge of engine/detectors/email.ts (`sshRemote`): the user `git` of an SSH remote is nobody's mailbox
// (`git@github.com:org/repo.git`, `ssh://git@host/org/repo.git`: how Git hosts serve every repository). Only that
// user, only before a path (a port after `:` is an address's neighbour: `git@example.com:8080` is masked), and any
// other user stays an address (`jane@host:org/repo.git`).

const email = edges('email');
const host = fc.constantFrom('github.com', 'gitlab.example.com', 'bitbucket.org', 'git.example.co.uk');
const repoPath = fc
  .tuple(fc.constantFrom('org', 'group/sub', '~jdoe', 'team-1'), fc.constantFrom('repo.git', 'app', 'a_b.git'))
  .map(([a, b]) => `${a}/${b}`);
const around = fc.constantFrom<[string, string]>(['', ''], ['remote: ', ' (fetch)'], ['clone ', '\n'], ['"', '"']);

describe('email: the user `git` of an SSH remote', () => {
  it('scp-like and ssh:// remotes are kept as written, in either case', () => {
    fc.assert(
      fc.property(host, repoPath, around, fc.constantFrom('git', 'GIT', 'Git'), (h, p, [b, a], user) => {
        email.keeps(`${b}${user}@${h}:${p}${a}`);
        email.keeps(`${b}ssh://${user}@${h}/${p}${a}`);
        email.keeps(`${b}ssh://${user}@${h}:22/${p}${a}`);
      }),
      RUNS,
    );
  });

  it('any other user, a port or no path after the host: the address is masked', () => {
    fc.assert(
      fc.property(
        host,
        repoPath,
        around,
        fc.constantFrom('jane.doe', 'gitt', 'agit', 'gi', 'jgit'),
        (h, p, [b, a], user) => {
          email.masks(`${b}`, `${user}@${h}`, `:${p}${a}`);
          email.masks(`${b}ssh://`, `${user}@${h}`, `/${p}${a}`);
        },
      ),
      RUNS,
    );
    for (const [before, hit, after] of [
      ['', 'git@example.com', ':8080'],
      ['mail ', 'git@example.com', ''],
      ['mail ', 'git@example.com', ': hi'],
      ['to: ', 'git@example.com', ', cc'],
      ['', 'git@example.com', ':'],
    ])
      email.masks(before, hit, after);
  });
});
