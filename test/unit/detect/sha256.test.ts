import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../../src/detect/sha256.js';
import { createRng, randomString } from '../../support/examples.js';

describe('sha256Hex', () => {
  test('matches node:crypto on the block-boundary lengths and on random text', () => {
    const rng = createRng('sha256');
    const inputs = ['', 'abc', 'é ü 日本', ...[55, 56, 63, 64, 65, 119, 120, 1000].map((n) => 'x'.repeat(n))];
    for (let i = 0; i < 200; i++) inputs.push(randomString(rng, 'abcXYZ019\0\n\u00e9\u2603', 1 + rng.int(300)));
    for (const input of inputs) expect(sha256Hex(input)).toBe(createHash('sha256').update(input).digest('hex'));
  });
});
