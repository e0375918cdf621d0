/**
 * Issue 14 (detection breadth): a low-entropy, symbol-heavy password or key assigned to a
 * credential-named key blocks a real `git commit` through the installed hook; the same
 * file reading the value from elsewhere goes through. Values are expanded at run time.
 */
import { describe, expect, test } from '@jest/globals';
import { asInstalledPackage, commitThroughHooks, tempRepos, type TempRepo } from '../helpers/repo.js';
import { createRng, expandTemplate } from '../support/examples.js';

const repo = tempRepos();
const rng = createRng('keyword-assignments-e2e');

function hookedRepo(): TempRepo {
  const r = asInstalledPackage(repo({ committed: true }));
  expect(r.cli(['install']).status).toBe(0);
  return r;
}

const commit = (r: TempRepo) => commitThroughHooks(r);

describe('a credential-named key with a literal value, through the hook', () => {
  test('the commit is refused, the value is not printed; a template reference goes through', () => {
    const r = hookedRepo();
    const value = expandTemplate('{{alpha:4}}(]{{digits:3}}>{{lower:4}}!', rng);
    r.write('service.conf', `[db]\nhost = db.internal\ndb_pass: ${value}\n`);
    r.write('Login.m', `NSString *service_key = @"${expandTemplate('{{alpha:5}}[{{digits:2}}$-{{lower:3}}', rng)}";\n`);
    r.git('add', 'service.conf', 'Login.m');
    const refused = commit(r);
    const output = refused.stdout + refused.stderr;
    expect(refused.status).not.toBe(0);
    expect(output).toContain('service.conf');
    expect(output).toContain('Login.m');
    expect(output).not.toContain(value);

    r.write('service.conf', '[db]\nhost = db.internal\ndb_pass: ${DB_PASS}\n');
    r.write('Login.m', 'NSString *service_key = [config objectForKey:@"service_key"];\n');
    r.git('add', 'service.conf', 'Login.m');
    const accepted = commit(r);
    expect({ status: accepted.status, output: accepted.stdout + accepted.stderr }).toMatchObject({ status: 0 });
  });
});
