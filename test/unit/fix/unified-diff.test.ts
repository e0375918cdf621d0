import { describe, expect, it } from '@jest/globals';
import { unifiedDiff } from '../../../src/fix/unified-diff.js';

describe('unifiedDiff', () => {
  const labels = { oldLabel: 'a/x', newLabel: 'b/x' };
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', labels)).toBe('');
  });
  it('renders an insertion and a replacement with context', () => {
    const before = ['import openai', 'a', 'b', 'c', 'd', 'e', 'f', 'key = 1', 'g'].join('\n') + '\n';
    const after = ['import os', 'import openai', 'a', 'b', 'c', 'd', 'e', 'f', 'key = 2', 'g'].join('\n') + '\n';
    expect(unifiedDiff(before, after, labels)).toBe(
      [
        '--- a/x',
        '+++ b/x',
        '@@ -1,3 +1,4 @@',
        '+import os',
        ' import openai',
        ' a',
        ' b',
        '@@ -5,5 +6,5 @@',
        ' d',
        ' e',
        ' f',
        '-key = 1',
        '+key = 2',
        ' g',
        '',
      ].join('\n'),
    );
  });
  it('handles a new file', () => {
    expect(unifiedDiff('', 'A=1\n', labels)).toBe('--- a/x\n+++ b/x\n@@ -0,0 +1,1 @@\n+A=1\n');
  });
});
