import { describe, expect, test } from '@jest/globals';
import { countLines, SourceStats } from '../../../src/sources/source-stats.js';

describe('SourceStats: one way to count for every source', () => {
  test('lines are counted as a file holds them: a final newline ends the last line', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('x')).toBe(1);
    expect(countLines('x\n')).toBe(1);
    expect(countLines('a\nb')).toBe(2);
    expect(countLines('a\nb\n')).toBe(2);
    expect(countLines('\n')).toBe(1);
    expect(countLines('a\r\nb\r\n')).toBe(2);
  });

  test('a whole text counts one file, its bytes and its lines; a binary file moves from files to binary files', () => {
    const stats = new SourceStats();
    stats.textRead('x = 1\n', 6);
    stats.fileRead();
    stats.readAsBinary();
    stats.skipped('unreadable', 2, { file: 'big.bin', reason: 'too large' });
    stats.skipped('lockfile');
    expect(stats.snapshot({ ignored: 0, durationMs: 5 })).toEqual({
      files: 1,
      lines: 1,
      bytes: 6,
      binaryFiles: 1,
      skippedFiles: 3,
      skippedByReason: { unreadable: 2, lockfile: 1 },
      notRead: [{ file: 'big.bin', reason: 'too large' }],
      ignored: 0,
      durationMs: 5,
    });
  });

  test('the report keeps the field order of the JSON contract; commits and notices only where the source has them', () => {
    const commits = new SourceStats();
    commits.readsCommits();
    expect(Object.keys(commits.snapshot({ ignored: 0, durationMs: 1, notices: [] }))).toEqual([
      'files',
      'lines',
      'bytes',
      'binaryFiles',
      'skippedFiles',
      'skippedByReason',
      'notRead',
      'commits',
      'ignored',
      'durationMs',
      'notices',
    ]);
    expect(commits.snapshot({ durationMs: 1 }).commits).toBe(0);
    expect(Object.keys(new SourceStats().snapshot({ durationMs: 1 }))).not.toContain('commits');
  });
});
