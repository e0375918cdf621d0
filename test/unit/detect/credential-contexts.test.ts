/**
 * Credentials found by where they stand rather than by a vendor prefix (issue 14,
 * items 2 and 4): curl commands over continuation lines, Authorization headers with
 * any scheme, Kubernetes Secret manifests in any key order, git URLs with a token as
 * the user, defaults of environment lookups. Keys are expanded from templates.
 */
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { createDetector } from '../../../src/detect/detector.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import { createRng, expandTemplate } from '../../support/examples.js';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const detector = createDetector(loadRuleFiles(path.join(PROJECT_ROOT, 'rules')));
const scan = (text: string, file = 'notes.txt') =>
  detector.detect({ path: file, text, lineNumbers: text.split('\n').map((_, i) => i + 1), origin: 'stdin' });
const rng = createRng('credential-contexts');
const t = (template: string) => expandTemplate(template, rng);
const secretsOf = (text: string, file?: string) => scan(text, file).map((f) => f.secret);

describe('curl', () => {
  test('-u user:password on a continuation line of the curl command', () => {
    const password = t('{{alnum:16}}');
    const text = [
      'curl -k -X POST https://cache.internal:11222/rest/v2/caches/default/hello \\',
      "  -H 'Content-type: text/plain' \\",
      '  -u developer:' + password,
    ].join('\n');
    expect(secretsOf(text, 'run.sh')).toEqual([password]);
  });

  test('a password quoted apart from the user, and an empty user', () => {
    const password = t('{{alnum:14}}');
    expect(secretsOf(`curl --user kevin:'${password}' -X PATCH https://api.acme.dev/v1`)).toEqual([password]);
    expect(secretsOf(`curl -u ":${password}" https://localhost:9200`)).toEqual([password]);
  });

  test('an API key as the user with an empty password (curl -u key:)', () => {
    const key = t('{{alnum:32}}');
    expect(scan(`curl https://api.acme.dev/v1/charges -u ${key}:`).map((f) => [f.ruleId, f.secret])).toEqual([['curl-user-token', key]]);
  });

  test('an Authorization header with no scheme or a Token scheme, and key/token headers', () => {
    const uuid = t('{{uuid}}');
    const hex = t('{{hex:40}}');
    expect(secretsOf(`curl --header  'Authorization:  ${uuid}' https://api.acme.dev`)).toEqual([uuid]);
    expect(secretsOf(`curl -H "Authorization: Token ${hex}" https://api.acme.dev`)).toEqual([hex]);
    const apikey = t('{{uuid}}');
    const text = [
      'curl -X GET https://api.acme.dev/v1/stats \\',
      `     -H "apikey: ${apikey}" \\`,
      '     -H "Accept: application/json"',
    ].join('\n');
    expect(secretsOf(text)).toEqual([apikey]);
  });

  test('placeholders, variables and other commands stay quiet', () => {
    expect(scan('curl -u "${username}":"${password}" https://acme.dev')).toEqual([]);
    expect(scan('curl --user neo4j:[PASSWORD] http://localhost:7474/db/data/')).toEqual([]);
    expect(scan('curl -H "Authorization: Bearer $(gcloud auth print-access-token)" https://acme.dev')).toEqual([]);
    expect(scan(`curl -H "X-CSRF-Token: ${t('{{alnum:32}}')}" https://acme.dev/form`)).toEqual([]);
    // A curl line that does not continue: the next command's option is not curl's.
    expect(scan(`curl https://acme.dev/status\nssh -u deploy:${t('{{alnum:16}}')} host`)).toEqual([]);
  });
});

describe('Kubernetes Secret manifests', () => {
  const b64 = () => t('{{base64:40}}');

  test('data before kind: Secret, any key name, quoted values', () => {
    const value = b64();
    const text = ['apiVersion: "v1"', 'data:', `  extra: "${value}"`, 'kind: "Secret"', 'metadata:', '  name: app', ''].join('\n');
    expect(secretsOf(text, 'secret.yaml')).toEqual([value]);
  });

  test('a block scalar value after a comment, kind: Secret first', () => {
    const value = t('{{base64:96}}');
    const text = ['kind: Secret', 'data:', '  # pulled by the nodes', '  .dockercfg: |', `    ${value}`, ''].join('\n');
    expect(secretsOf(text, 'secret.yaml')).toEqual([value]);
  });

  test('kubectl get secret -o json: data sorted before "kind": "Secret"', () => {
    const value = b64();
    const json = JSON.stringify({ apiVersion: 'v1', data: { extra: value, username: 'YWRtaW4=' }, kind: 'Secret' }, null, 4);
    expect(secretsOf(json, 'secret.json')).toEqual([value]);
    const configMap = JSON.stringify({ apiVersion: 'v1', data: { settings: value }, kind: 'ConfigMap' }, null, 4);
    expect(scan(configMap, 'cm.json')).toEqual([]);
  });

  test('other kinds, identity fields and another document stay quiet', () => {
    const value = b64();
    expect(scan(['apiVersion: v1', 'data:', `  settings: ${value}`, 'kind: ConfigMap', ''].join('\n'), 'cm.yaml')).toEqual([]);
    expect(scan(['kind: Secret', 'data:', `  host: ${value}`, ''].join('\n'), 'secret.yaml')).toEqual([]);
    expect(scan(['data:', `  settings: ${value}`, '---', 'kind: Secret', ''].join('\n'), 'two.yaml')).toEqual([]);
  });
});

describe('values without a vendor prefix', () => {
  test('a token as the user of an x-oauth-basic git URL', () => {
    const token = t('{{hex:40}}');
    const text = `"private-pkg": "git+https://${token}:x-oauth-basic@github.com/acme/pkg.git#v1.0.0"`;
    expect(secretsOf(text, 'package.json')).toEqual([token]);
  });

  test('the default of an environment lookup under a secret name', () => {
    const uuid = t('{{uuid}}');
    expect(secretsOf(`token := utils.GetEnvOrDefault("api_token", "${uuid}")`, 'main.go')).toEqual([uuid]);
    expect(scan('region = os.getenv("AWS_REGION", "us-east-1")')).toEqual([]);
    expect(scan('url = os.getenv("API_KEY_URL", "https://api.acme.dev/v1")')).toEqual([]);
  });
});
