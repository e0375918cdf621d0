import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { createDetector } from '../../../src/detect/detector.js';
import { createRng, expandTemplate } from '../../support/examples.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import { githubToken, openaiKey } from '../../helpers/keys.js';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const detector = createDetector(loadRuleFiles(path.join(PROJECT_ROOT, 'rules')));
const b64 = (text: string) => Buffer.from(text).toString('base64');
const scan = (path: string, text: string) =>
  detector.detect({ path, text, lineNumbers: text.split('\n').map((_, i) => i + 1), origin: 'stdin' });

describe('keys inside base64', () => {
  test('a Docker config auth field (user:token) is reported at the blob with the decoded key', () => {
    const token = githubToken('docker-auth');
    const blob = b64(`deploy:${token}`);
    const text = `{\n  "auths": {\n    "ghcr.io": { "auth": "${blob}" }\n  }\n}`;
    const [finding, ...rest] = scan('.docker/config.json', text);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ secret: token, encoding: 'base64', line: 3, column: 27, endColumn: 27 + blob.length });
    expect(finding!.description).toMatch(/base64-encoded/);
  });

  test('echo … | base64 -d in a script', () => {
    const key = openaiKey('echo-b64');
    const [finding] = scan('restore.sh', `export OPENAI_API_KEY=$(echo ${b64(key)} | base64 -d)`);
    expect(finding).toMatchObject({ secret: key, encoding: 'base64' });
  });

  test('base64 of binary data, of placeholders and of harmless text is not reported', () => {
    const rng = createRng('b64-negatives');
    const image = Buffer.from(Array.from({ length: 300 }, () => rng.int(256))).toString('base64');
    const texts = [
      `<img src="data:image/png;base64,${image}">`,
      `auth: ${b64('deploy:your-token-here-please-change')}`,
      `note = "${b64('just a sentence that is long enough to be a blob')}"`,
      `digest: ${expandTemplate('{{base64:44}}', rng)}`,
    ];
    for (const text of texts) expect(scan('data.txt', text)).toEqual([]);
  });
});
