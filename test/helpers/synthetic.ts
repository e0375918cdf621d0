import { createRng, expandTemplate } from '../../src/rules/examples.js';

/** A synthetic OpenAI project key, built at run time (never committed). */
export function syntheticOpenAIKey(seed: string | number = 'openai'): string {
  return expandTemplate('sk-proj-{{base64url:74}}T3BlbkFJ{{base64url:74}}', createRng(seed));
}

/** Every synthetic key a test generated, for sweeping outputs for leaks. */
export const generatedKeys = new Set<string>();

export function remember(key: string): string {
  generatedKeys.add(key);
  return key;
}
