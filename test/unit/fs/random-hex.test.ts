import { describe, expect, test } from '@jest/globals';
import { randomHex } from '../../../src/fs/random-hex.js';

describe('randomHex', () => {
  test('gives the bytes asked for, as hex, different on every call', () => {
    const values = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const value = randomHex(8);
      expect(value).toMatch(/^[0-9a-f]{16}$/);
      values.add(value);
    }
    expect(values.size).toBe(50);
    expect(randomHex(3)).toMatch(/^[0-9a-f]{6}$/);
  });
});
