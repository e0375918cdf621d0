/**
 * False alarms the engine itself removes (issue 14, item 6): what a vendor's rule
 * turned down is not reported by a generic rule; redacted or truncated values;
 * published sample keys; base64 of a placeholder. Each case was a measured false
 * alarm. Keys are expanded from templates; published samples are assembled from
 * parts, so no key-shaped literal is committed.
 */
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { createDetector } from '../../../src/detect/detector.js';
import { VendorPrefixes } from '../../../src/detect/vendor-prefixes.js';
import { anyValueRegex } from '../../../src/detect/vendor-names.js';
import { secretLengths } from '../../../src/regex/regex-ast.js';
import { createRng, expandTemplate } from '../../support/examples.js';
import { loadRuleFiles } from '../../../scripts/rule-files.js';
import { armoredKey, githubToken } from '../../helpers/keys.js';
import { PROJECT_ROOT } from '../../helpers/repo.js';

const rules = loadRuleFiles(path.join(PROJECT_ROOT, 'rules'));
const detector = createDetector(rules);
const scan = (text: string, file = 'config.py') =>
  detector.detect({ path: file, text, lineNumbers: text.split('\n').map((_, i) => i + 1), origin: 'stdin' });
const rng = createRng('false-alarms');
const t = (template: string) => expandTemplate(template, rng);

describe('a value a vendor rule turned down is not reported by a generic rule', () => {
  test('a GitHub token with a wrong checksum (a documentation token) under a token name', () => {
    const real = githubToken('docs-token');
    // Same shape, last character changed: the CRC32 no longer matches.
    const last = real.at(-1) === 'A' ? 'B' : 'A';
    const docs = real.slice(0, -1) + last;
    expect(scan(`token = "${real}"`).map((f) => f.ruleId)).toEqual(['github-personal-access-token']);
    expect(scan(`token = "${docs}"`)).toEqual([]);
    expect(scan(`GITHUB_TOKEN=${docs}`)).toEqual([]);
  });

  test('a vendor prefix on a value of the wrong length or alphabet (made up, truncated)', () => {
    for (const text of [
      `token := "${'npm'}_${t('{{alnum:16}}')}"`,
      `"api_token": "${'xox'}p-1234-1234-1234-${t('{{hex:32}}')}"`,
      `client_secret: ${'glo'}as-${t('{{hex:32}}')}`,
      `api_key = "${'dck'}r_pat_${t('{{alnum:12}}')}"`,
    ]) {
      expect({ text, findings: scan(text).map((f) => f.ruleId) }).toEqual({ text, findings: [] });
    }
  });

  test('values without a vendor prefix are still reported by the generic rules', () => {
    expect(scan(`api_key = "${t('{{alnum:40}}')}"`).map((f) => f.ruleId)).toEqual(['generic-secret']);
    expect(scan(`secret_token: ${t('key{{alnum:37}}')}`).map((f) => f.ruleId)).toEqual(['generic-secret']);
  });

  test("a prefix the secret starts with literally, or a suffix it ends with, is the vendor's too", () => {
    const prefixes = new VendorPrefixes(rules);
    // JFrog reference tokens start with base64 "reftkn"; New Relic mobile tokens end in -NRMA.
    expect(prefixes.prefixOf(`${'cmVm'}dGtu${t('{{alnum:20}}')}`)).toBeDefined();
    expect(prefixes.prefixOf(`AA${t('{{hex:38}}')}-NRMA`)).toBeDefined();
    expect(prefixes.prefixOf(`AA${t('{{hex:38}}')}-NRMAX`)).toBeUndefined();
    for (const text of [`token = '${'cmVm'}dGtu${t('{{base64:25}}')}'`, `mobile_app_token = 'AA${t('{{hex:38}}')}-NRMA'`]) {
      expect({ text, findings: scan(text).map((f) => f.ruleId) }).toEqual({ text, findings: [] });
    }
  });

  test('prefixes come from the specific rules, words excepted', () => {
    const prefixes = new VendorPrefixes(rules);
    expect(prefixes.prefixOf(`GHP_${t('{{alnum:36}}')}`)?.provider).toBe('GitHub');
    expect(prefixes.prefixOf(`key-${t('{{alnum:36}}')}`)).toBeUndefined();
    expect(prefixes.prefixOf(`api-${t('{{alnum:36}}')}`)).toBeUndefined();
  });
});

describe("a value assigned to a vendor's name but not as long as the vendor's keys is not reported by a generic rule", () => {
  test('a value of another length under a name that starts with the vendor (W&B keys and Meraki keys are 40 hex)', () => {
    for (const text of [
      `WANDB_API_KEY = '${t('{{hex:34}}')}'`,
      `meraki_token = ${t('{{hex:64}}')}`,
      `merakiApiKey: "${t('{{alnum:56}}')}"`,
      `wandbkey = "${t('{{base64url:48}}')}"`,
      // AWS's rule reads the name (aws_secret…) though AWS is no keyword of it; its keys are 40 characters.
      `AWS_SECRET_ACCESS_KEY = ${t('{{base64:54}}')}==`,
    ]) {
      expect({ text, found: scan(text).map((f) => f.ruleId) }).toEqual({ text, found: [] });
    }
  });

  test("the vendor's own length, another vendor's name, or a name the vendor's rule does not read: still reported", () => {
    // Same length, other alphabet: a vendor may issue keys its rule does not know.
    expect(scan(`WANDB_API_KEY = '${t('{{alnum:40}}')}'`).map((f) => f.ruleId)).toEqual(['generic-secret']);
    expect(scan(`WANDB_API_KEY = '${t('{{hex:40}}')}'`).map((f) => f.ruleId)).toEqual(['wandb-api-key']);
    // A name that does not start with the vendor (mywandb_…), or names none.
    expect(scan(`mywandb_token = "${t('{{hex:34}}')}"`).map((f) => f.ruleId)).toEqual(['generic-hex-secret']);
    expect(scan(`api_key = "${t('{{hex:34}}')}"`).map((f) => f.ruleId)).toEqual(['generic-hex-secret']);
    // A pass phrase (signs no token holds) is judged by no vendor's shape.
    const phrase = `${t('{{lower:6}}')}!${t('{{alnum:12}}')}#${t('{{lower:8}}')}`;
    expect(scan(`aws_secret_access_key = '${phrase}'`, 'settings.py').map((f) => f.secret)).toEqual([phrase]);
    // Discord's webhook rule reads a whole URL, not a value after a name: it says nothing about this one.
    expect(scan(`DISCORD_WEBHOOK_TOKEN = "${t('{{alnum:60}}')}"`).map((f) => f.ruleId)).toEqual(['generic-secret']);
  });

  test('on a long minified line, each value is judged by the text around it only', () => {
    const line = Array.from({ length: 2000 }, (_, i) => `WANDB_API_KEY="${t('{{hex:34}}')}";var x${i}=1;`).join('');
    const started = Date.now();
    expect(scan(line, 'bundle.min.js')).toEqual([]);
    // Unbounded, every value re-read its whole line: about 9 s here; bounded, well under a second.
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  test("the secret group's lengths come from the rule's regex", () => {
    expect(secretLengths('key=(?<secret>(?=[a-z]{0,3}[0-9])[a-f0-9]{40})(?![a-z])')).toEqual({ min: 40, max: 40 });
    expect(secretLengths('(?<secret>sk_(?:live|test)_[A-Za-z0-9]{24,99})')).toEqual({ min: 32, max: 107 });
    expect(secretLengths('x(?<secret>[a-z]+)')).toEqual({ min: 1, max: Infinity });
    expect(secretLengths('no secret group')).toBeUndefined();
    expect(anyValueRegex('a(?<secret>[(][a-z]{4}(?:x|y))(?!z)')).toBe('a(?<secret>[^\\s"\'`]{1,300})(?!z)');
  });
});

describe('redacted and truncated values', () => {
  test.each([
    ['[Redacted] after the value', `fn::secret: ${'ops'}_${t('{{base64url:12}}')}..[Redacted]`],
    ['[REDACTED] after the value', `api_key = ${t('{{alnum:24}}')}[REDACTED]`],
    ['stars after the value', `token: ${t('{{alnum:20}}')}****`],
    ['an ellipsis after the value', `secret = "${t('{{alnum:24}}')}…"`],
    ['two dots at its end', `"token": "${t('{{alnum:24}}')}.."`],
  ])('%s', (_name, text) => {
    expect(scan(text)).toEqual([]);
  });

  test('a key followed by an ordinary character is still reported', () => {
    expect(scan(`api_key = "${t('{{alnum:40}}')}";`)).toHaveLength(1);
  });
});

describe('published sample keys and documented example values', () => {
  test("Firebase's sample Google API key and GitHub's documentation token are not reported", () => {
    // Public samples, assembled so the file holds no key-shaped literal.
    const firebase = ['AIzaSyAnLA7NfeLquW1tJ', 'Fpx_eQCxoX-oo6YyIs'].join('');
    const githubDocs = ['gho_16C7e42F292c6912E77', '10c838347Ae178B4a'].join('');
    expect(scan(`<string name="google_api_key">${firebase}</string>`, 'res/values/strings.xml')).toEqual([]);
    expect(scan(`curl -H "Authorization: token ${githubDocs}" https://api.github.com/user`, 'README.md')).toEqual([]);
    expect(scan(`token = "${githubDocs}"`)).toEqual([]);
  });

  test("NuGet's documented sample passwords (nuget.config reference) are not reported; another password is", () => {
    // The two ClearTextPassword values of learn.microsoft.com's nuget.config reference, assembled from parts.
    const samples = [['33f!!', 'lloppa'].join(''), ['hal+9ooo', '_da!sY'].join('')];
    const config = (password: string) => `<add key="ClearTextPassword" value="${password}" />`;
    for (const sample of samples) expect(scan(config(sample), 'NuGet.Config')).toEqual([]);
    expect(scan(config(t('{{alnum:6}}!{{alnum:8}}')), 'NuGet.Config').map((f) => f.ruleId)).toEqual(['nuget-config-password']);
  });

  test('a Google API key that is no published sample is still reported', () => {
    expect(scan(`key = "${t('AIza{{base64url:35}}')}"`).map((f) => f.ruleId)).toEqual(['google-api-key']);
  });

  test("a base64 value is judged by what it decodes to: a placeholder's encoding is not a secret", () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const secretManifest = (value: string) =>
      ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app', 'type: Opaque', 'data:', `  password: ${value}`, ''].join('\n');
    expect(scan(secretManifest(b64('your-password-here')), 'secret.yaml')).toEqual([]);
    // The Kubernetes documentation's example Secret.
    expect(scan(secretManifest(b64(['1f2d1e', '2e67df'].join(''))), 'secret.yaml')).toEqual([]);
    expect(scan(`API_TOKEN=${b64('changeme-changeme-token')}`, '.env')).toEqual([]);
    const real = t('{{alnum:12}}!{{digits:3}}');
    expect(scan(secretManifest(b64(real)), 'secret.yaml').map((f) => f.ruleId)).toEqual(['kubernetes-secret-manifest']);
  });
});

describe('Kubernetes Secret manifests', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const values = [t('{{alnum:12}}!{{digits:3}}'), t('{{alnum:24}}'), t('{{base64:30}}')];
  const placeholders = [b64(['admin', 'password'].join(':')), b64('changeme'), b64('z'.repeat(16))];
  const data = [...values.map((v, i) => `  key-${i}: ${b64(v)}`), ...placeholders.map((v, i) => `  sample-${i}: ${v}`)];

  test('every value under data: is reported, not only the first; base64 of a placeholder is not', () => {
    const kindFirst = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app', 'type: Opaque', 'data:', ...data, ''].join('\n');
    const found = scan(kindFirst, 'secret.yaml');
    expect(found.map((f) => f.ruleId)).toEqual(values.map(() => 'kubernetes-secret-manifest'));
    expect(found.map((f) => f.secret)).toEqual(values.map(b64));
  });

  test('the same when data: comes before kind: Secret, and with stringData:', () => {
    const dataFirst = ['apiVersion: v1', 'data:', ...data, 'kind: Secret', 'metadata:', '  name: app', ''].join('\n');
    expect(scan(dataFirst, 'secret.yaml').map((f) => f.secret)).toEqual(values.map(b64));
    const stringData = ['kind: Secret', 'stringData:', ...values.map((v, i) => `  key-${i}: "${v}"`), ''].join('\n');
    expect(scan(stringData, 'secret.yaml').map((f) => f.secret)).toEqual(values);
  });
});

describe('placeholders in context', () => {
  test('a URL or curl credential whose password repeats the user name', () => {
    expect(scan('MONGO_URL = "mongodb://mongodb:mongodb@localhost:27017/database"')).toEqual([]);
    expect(scan('DATABASE_URL=postgres://app_user9:app_user9@localhost/app', '.env')).toEqual([]);
    expect(scan('curl -u admin_7:admin_7 http://localhost:8080/api', 'run.sh')).toEqual([]);
    expect(scan(`DATABASE_URL=postgres://app_user9:${t('{{alnum:12}}')}@localhost/app`, '.env')).toHaveLength(1);
  });

  test('a service-account JSON of placeholders: a URL path ending in /token is no name', () => {
    const json = JSON.stringify({
      type: 'service_account',
      private_key_id: '...',
      token_uri: 'https://oauth2.googleapis.com/token',
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    });
    expect(scan(`GCP_SA=${json}`, '.env')).toEqual([]);
  });
});

describe('false alarms measured on the peer suites (session 6)', () => {
  const ids = (text: string, file?: string) => scan(text, file).map((f) => f.ruleId);

  test('a value holding a printf conversion, or followed by one, is a format string', () => {
    expect(ids(`apiToken := "${t('{{alnum:33}}')}%c^"`, 'client.go')).toEqual([]);
    expect(ids(`url := "https://api.example.net/v1/stats?apikey=${t('{{upper:20}}{{alnum:20}}')}%s"`, 'client.go')).toEqual([]);
    expect(ids(`secret = "${t('{{alnum:24}}')}%d-${t('{{alnum:8}}')}"`)).toEqual([]);
  });

  test('URL escapes are no printf conversion: such a value is still reported', () => {
    expect(ids(`secret = "${t('{{alnum:20}}')}%2F${t('{{alnum:20}}')}"`)).toEqual(['generic-secret']);
    expect(ids(`secret = "${t('{{alnum:20}}')}%cd${t('{{alnum:20}}')}"`)).toEqual(['generic-secret']);
  });

  test("a vendor-shaped value that is part of an asset's file name is not reported", () => {
    const hash = t('{{hex:32}}');
    expect(ids(`<img src="/media/video_box.${'ico'}-${hash}.png">`, 'index.html')).toEqual([]);
    expect(ids(`background: url(/static/logo.${'ico'}-${hash}.svg);`, 'site.css')).toEqual([]);
    expect(ids(`INFRACOST_API_KEY=${'ico'}-${hash}`, '.env')).toEqual(['infracost-api-key']);
  });

  describe("jwt.io's sample payload, signed with any algorithm", () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = (header: object, payload: object) => `${part(header)}.${part(payload)}.${t('{{base64url:86}}')}`;
    const sample = { sub: '1234567890', name: ['John', 'Doe'].join(' '), iat: 1516239022 };

    test.each([
      ['RS256', { alg: 'RS256', typ: 'JWT' }, sample],
      ['HS512 with admin', { alg: 'HS512', typ: 'JWT' }, { ...sample, admin: true }],
      ['ES256 without iat', { alg: 'ES256' }, { sub: sample.sub, name: sample.name }],
    ])('%s is not reported', (_name, header, payload) => {
      expect(ids(`const token = "${jwt(header, payload)}";`, 'app.js')).toEqual([]);
    });

    test('a token with claims of its own is reported', () => {
      expect(
        ids(`const token = "${jwt({ alg: 'RS256', typ: 'JWT' }, { ...sample, iat: 1704067200, exp: 1704070800 })}";`, 'app.js'),
      ).toEqual(['jwt']);
      expect(ids(`const token = "${jwt({ alg: 'RS256', typ: 'JWT' }, { ...sample, sub: 'user-42' })}";`, 'app.js')).toEqual(['jwt']);
    });
  });

  test('a host name under a secret-like name is not reported', () => {
    expect(ids(`A domain without a secret: project-${t('{{lower:5}}-{{digits:5}}')}.hasura.app`, 'notes.txt')).toEqual([]);
    expect(ids(`secret: db-${t('{{lower:6}}{{digits:3}}')}.eu-west-1.acme-corp.io`, 'config.yaml')).toEqual([]);
    expect(ids(`secret: ${t('{{lower:20}}{{digits:6}}')}`, 'config.yaml')).toEqual(['generic-secret']);
  });

  test("a prefix ending in a dot (Harness's pat.) is a vendor prefix: the wrong shape is not reported by a generic rule", () => {
    const head = `pat.${t('{{base64url:22}}')}.${t('{{hex:24}}')}`;
    expect(ids(`harness token = '${head}.${t('{{alnum:20}}')}'`)).toEqual(['harness-api-key']);
    expect(ids(`harness token = '${head}.${t('{{alnum:17}}')}'`)).toEqual([]);
  });

  test("a vendor marker inside the value (Terraform's .atlasv1.) makes it the vendor's: the wrong shape is not reported by a generic rule", () => {
    const head = `${t('{{alnum:14}}')}.${'atlasv1'}.`;
    expect(ids(`terraform_token = '${head}${t('{{base64url:67}}')}'`)).toEqual(['terraform-cloud-token']);
    expect(ids(`terraform_token = '${head}${t('{{base64url:40}}')}'`)).toEqual([]);
    expect(new VendorPrefixes(rules).prefixOf(`${head}${t('{{base64url:40}}')}`)?.provider).toBe('HashiCorp');
  });

  test('an OpenAI key whose T3BlbkFJ marker is corrupted is no key', () => {
    const mangled = `sk-proj-${t('{{alnum:20}}')}T4${'BlbkFJ'}${t('{{alnum:20}}')}`;
    expect(ids(mangled, 'notes.txt')).toEqual([]);
    expect(ids(`sk-proj-${t('{{alnum:48}}')}`, 'notes.txt')).toEqual(['openai-project-api-key-early-plain']);
  });

  test('a PyPI token cut before its signature is not reported', () => {
    const token = t('{{pypi}}');
    expect(ids(token, 'notes.txt')).toEqual(['pypi-api-token']);
    expect(ids(token.slice(0, 90), 'notes.txt')).toEqual([]);
  });

  test('a Meraki key in mixed case is not a Meraki key (they are lower-case hex)', () => {
    expect(ids(`meraki_api_key: ${t('{{hex:40}}')}`, 'config.yaml')).toEqual(['meraki-api-key']);
    expect(ids(`meraki_api_key: ${t('{{hex:20}}{{HEX:20}}')}`, 'config.yaml')).not.toContain('meraki-api-key');
  });

  test('an empty NAME= never takes the next line as its value', () => {
    const value = t('{{alnum:36}}');
    expect(ids(`API_KEY=\n    "${value}"\n`, '.env')).toEqual([]);
    expect(ids(`service.token=\r\n  '${value}'\r\n`, 'app.properties')).toEqual([]);
    // A space before = (a statement broken after its operator) or YAML's key: does continue.
    expect(ids(`const apiKey =\n  '${value}';`, 'app.js')).toEqual(['generic-secret']);
    expect(ids(`secret:\n  "${value}"\n`, 'config.yaml')).toEqual(['generic-secret']);
    // A key with its own shape on the next line is a key, whatever the line above says.
    expect(ids(`GITHUB_TOKEN=\n${githubToken('below-empty')}\n`, '.env')).toEqual(['github-personal-access-token']);
    expect(ids(`PRIVATE_KEY=\n${armoredKey('RSA PRIVATE KEY', 900, 'below-empty')}\n`, '.env').length).toBeGreaterThan(0);
  });
});
