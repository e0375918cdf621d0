import { describe, expect, test } from '@jest/globals';
import { PROJECT_ROOT, runCli } from '../helpers/repo.js';

describe('leakguard on its own repository', () => {
  test('the whole history scans clean (the README quick start)', () => {
    const result = runCli(['scan', '--history'], { cwd: PROJECT_ROOT });
    expect(result.stdout).toContain('no secrets found');
    expect(result.status).toBe(0);
  });
});
