/**
 * Hard cases: real keys written in ways a line-by-line regex scanner misses — curly
 * quotes, notebooks and escaped JSON, query strings and URL encoding, bearer headers,
 * .npmrc, multi-line and concatenated strings, base64-encoded values, UTF-16 files.
 * Each produces one file with one key; `secret` is the key as a scanner should report
 * it and `alternates` the other spellings that count as finding it (the encoded form
 * as it sits in the file, or one half of a split key).
 */
import { ALPHABETS, randomString, type Rng } from '../../test/support/examples.js';
import { camel, lower, pick } from './languages.js';
import { KEY_SPECS, servicePassword, specById, type KeySpec } from './providers.js';

export interface HardSecret {
  spec: KeySpec;
  secret: string;
  alternates: string[];
  /** Text to search for in the (decoded) file to find the line. */
  locate: string;
}

export interface HardFile {
  hardCase: string;
  path: string;
  /** Text of the file; `encoding` says how it is written to disk. */
  content: string;
  encoding?: 'utf16le-bom' | 'utf16be-bom';
  secrets: HardSecret[];
}

const prefixed = KEY_SPECS.filter(
  (s) => !s.named && !s.multiline && s.provider !== 'Database URL' && s.kind !== 'storage-connection-string' && s.kind !== 'webhook',
);
const named = KEY_SPECS.filter((s) => s.named && s.provider !== 'Generic');
const prefixedLong = prefixed.filter((s) => !['legacy', 'project-early'].includes(s.kind) || s.provider === 'OpenAI');

function make(spec: KeySpec, rng: Rng): { spec: KeySpec; value: string; secret: string } {
  const { value, secret } = spec.make(rng);
  return { spec, value, secret };
}

const plain = (spec: KeySpec, secret: string): HardSecret => ({ spec, secret, alternates: [], locate: secret });

/** Mixed pool: mostly prefixed keys, a third named ones (whose name stays on the line). */
const mixed = (rng: Rng): KeySpec => (rng.next() < 0.33 ? pick(rng, named) : pick(rng, prefixed));

type Case = (rng: Rng) => Omit<HardFile, 'hardCase'>;

const CASES: Record<string, Case> = {
  'typographic-quotes': (rng) => {
    const k = make(mixed(rng), rng);
    const [open, close] = pick(rng, [
      ['\u201c', '\u201d'],
      ['\u2018', '\u2019'],
      ['\u00ab', '\u00bb'],
    ] as const);
    const line =
      k.spec.named || rng.next() < 0.5
        ? `${k.spec.env} = ${open}${k.value}${close}`
        : `client = ${k.spec.idiom === 'anthropic' ? 'Anthropic' : 'OpenAI'}(api_key=${open}${k.value}${close})`;
    return pick(rng, [
      {
        path: 'notes/setup.md',
        content: `Setup notes (pasted from the team wiki)\n\n${line}\n\nThen restart the worker.\n`,
        secrets: [plain(k.spec, k.secret)],
      },
      { path: 'scratch/try_api.py', content: `# copied from Slack\n${line}\nprint("ok")\n`, secrets: [plain(k.spec, k.secret)] },
    ]);
  },
  notebook: (rng) => {
    const k = make(mixed(rng), rng);
    const code = k.spec.named
      ? `os.environ["${k.spec.env}"] = "${k.value}"`
      : pick(rng, [
          `openai.api_key = "${k.value}"`,
          `client = OpenAI(api_key="${k.value}")`,
          `${k.spec.env} = "${k.value}"`,
          `headers = {"Authorization": "Bearer ${k.value}"}`,
        ]);
    const nb = {
      cells: [
        { cell_type: 'markdown', id: randomString(rng, ALPHABETS.hex!, 8), metadata: {}, source: ['# Exploring the API'] },
        {
          cell_type: 'code',
          execution_count: 1,
          id: randomString(rng, ALPHABETS.hex!, 8),
          metadata: {},
          outputs: [],
          source: ['import os\n', 'import openai\n', code + '\n', 'resp = client.models.list()'],
        },
      ],
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    return {
      path: pick(rng, ['notebooks/explore.ipynb', 'demo.ipynb', 'analysis/llm_eval.ipynb']),
      content: JSON.stringify(nb, null, 1) + '\n',
      secrets: [plain(k.spec, k.secret)],
    };
  },
  'escaped-json': (rng) => {
    const k = make(mixed(rng), rng);
    const field = k.spec.named ? lower(k.spec.env) : pick(rng, ['api_key', 'token', 'apiKey', 'authorization']);
    const inner = JSON.stringify({ [field]: k.value, model: 'gpt-4o-mini', stream: false });
    return pick(rng, [
      {
        path: 'fixtures/recorded_request.json',
        content: JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: inner }, null, 2) + '\n',
        secrets: [plain(k.spec, k.secret)],
      },
      {
        path: 'logs/worker.log',
        content: `2024-05-01T10:00:00Z INFO starting\n2024-05-01T10:00:01Z DEBUG request payload=${JSON.stringify(inner)}\n2024-05-01T10:00:02Z INFO done\n`,
        secrets: [plain(k.spec, k.secret)],
      },
    ]);
  },
  'query-string': (rng) => {
    const k = make(mixed(rng), rng);
    const param = k.spec.named ? lower(k.spec.env) : pick(rng, ['api_key', 'key', 'token', 'access_token']);
    const url = `https://api.${pick(rng, ['example-data', 'weather-hub', 'geo-search'])}.io/v2/search?q=coffee&${param}=${k.value}&limit=20`;
    return pick(rng, [
      {
        path: 'src/search.js',
        content: `export async function search() {\n  const res = await fetch('${url}');\n  return res.json();\n}\n`,
        secrets: [plain(k.spec, k.secret)],
      },
      { path: 'scripts/smoke.sh', content: `#!/bin/sh\ncurl -s "${url}" | jq .\n`, secrets: [plain(k.spec, k.secret)] },
    ]);
  },
  'url-encoded': (rng) => {
    if (rng.next() < 0.5) {
      // A database password with reserved characters, percent-encoded in the URL.
      const spec = specById('Database URL', pick(rng, ['postgres', 'mysql', 'mongodb-srv']));
      const password = servicePassword(rng, 18, '@:/#?%+');
      const encoded = encodeURIComponent(password);
      const scheme = spec.kind === 'mongodb-srv' ? 'mongodb+srv' : spec.kind;
      const line = `${spec.env}=${scheme}://app:${encoded}@db.internal.acme-corp.net/app`;
      return {
        path: pick(rng, ['.env', 'deploy/app.env']),
        content: `# production\n${line}\nPOOL_SIZE=10\n`,
        secrets: [{ spec, secret: encoded, alternates: [password], locate: encoded }],
      };
    }
    const spec = specById('AWS', 'secret-access-key');
    let secret = '';
    while (!/[+/]/.test(secret)) secret = spec.make(rng).secret;
    const encoded = encodeURIComponent(secret);
    const id = specById('AWS', 'access-key-id').make(rng).secret;
    const content = `#!/bin/sh\n# presign helper\ncurl -s "https://sts.internal.acme-corp.net/assume?aws_access_key_id=${id}&aws_secret_access_key=${encoded}&region=eu-west-1"\n`;
    return {
      path: 'tools/assume.sh',
      content,
      secrets: [{ spec, secret: encoded, alternates: [secret], locate: encoded }, plain(specById('AWS', 'access-key-id'), id)],
    };
  },
  'bearer-header': (rng) => {
    const spec = rng.next() < 0.5 ? pick(rng, named) : rng.next() < 0.5 ? specById('JWT', 'signed') : pick(rng, prefixed);
    const k = make(spec, rng);
    const scheme = spec.provider === 'Okta' ? 'SSWS' : 'Bearer';
    return pick(rng, [
      {
        path: 'scripts/call_api.sh',
        content: `#!/bin/sh\ncurl https://api.${pick(rng, ['mistral.ai', 'cohere.com', 'acme-corp.net'])}/v1/models \\\n  -H "Authorization: ${scheme} ${k.value}" \\\n  -H "Content-Type: application/json"\n`,
        secrets: [plain(spec, k.secret)],
      },
      {
        path: 'requests/models.http',
        content: `GET https://api.acme-corp.net/v1/models\nAuthorization: ${scheme} ${k.value}\nAccept: application/json\n`,
        secrets: [plain(spec, k.secret)],
      },
      {
        path: 'src/api.ts',
        content: `const headers = {\n  Authorization: \`${scheme} ${k.value}\`,\n  'Content-Type': 'application/json',\n};\nexport const get = (path: string) => fetch(path, { headers });\n`,
        secrets: [plain(spec, k.secret)],
      },
    ]);
  },
  npmrc: (rng) => {
    const form = rng.int(4);
    if (form === 0 || form === 1) {
      const spec = specById('npm', 'access-token');
      const k = make(spec, rng);
      return {
        path: '.npmrc',
        content: `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${k.value}\nsave-exact=true\n`,
        secrets: [plain(spec, k.secret)],
      };
    }
    if (form === 2) {
      const spec = specById('GitHub', 'classic-pat');
      const k = make(spec, rng);
      return {
        path: '.npmrc',
        content: `@acme:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=${k.value}\n`,
        secrets: [plain(spec, k.secret)],
      };
    }
    // Legacy npm tokens were UUIDs: only the _authToken key tells what they are.
    const spec = specById('npm', 'access-token');
    const token = specById('Heroku', 'api-key-uuid').make(rng).secret;
    return { path: '.npmrc', content: `//registry.npmjs.org/:_authToken=${token}\nalways-auth=true\n`, secrets: [plain(spec, token)] };
  },
  'multiline-block': (rng) => {
    const k = make(mixed(rng), rng);
    return pick(rng, [
      {
        path: 'deploy/bootstrap.py',
        content: `ENV_FILE = """\nNODE_ENV=production\n${k.spec.env}=${k.value}\nLOG_LEVEL=info\n"""\n\nPath(".env").write_text(ENV_FILE)\n`,
        secrets: [plain(k.spec, k.secret)],
      },
      {
        path: 'k8s/config.yaml',
        content: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-env\nstringData:\n  app.env: |\n    NODE_ENV=production\n    ${k.spec.env}=${k.value}\n`,
        secrets: [plain(k.spec, k.secret)],
      },
      {
        path: 'scripts/provision.sh',
        content: `#!/bin/bash\ncat > /etc/app/env <<EOF\n${k.spec.env}=${k.value}\nPORT=8080\nEOF\n`,
        secrets: [plain(k.spec, k.secret)],
      },
      {
        path: 'src/template.js',
        content: `const envTemplate = \`\nPORT=3000\n${k.spec.env}=${k.value}\n\`;\nmodule.exports = envTemplate;\n`,
        secrets: [plain(k.spec, k.secret)],
      },
    ]);
  },
  'multiline-split': (rng) => {
    const spec = pick(
      rng,
      prefixedLong.filter((s) => s.make(rng).secret.length >= 40),
    );
    const k = make(spec, rng);
    const cut = Math.floor(k.value.length / 2);
    const [a, b] = [k.value.slice(0, cut), k.value.slice(cut)];
    return pick(rng, [
      {
        path: 'src/client.py',
        content: `API_KEY = (\n    "${a}"\n    "${b}"\n)\nclient = OpenAI(api_key=API_KEY)\n`,
        secrets: [{ spec, secret: k.secret, alternates: [a, b], locate: a }],
      },
      {
        path: 'src/client.js',
        content: `const apiKey =\n  '${a}' +\n  '${b}';\nmodule.exports = { apiKey };\n`,
        secrets: [{ spec, secret: k.secret, alternates: [a, b], locate: a }],
      },
    ]);
  },
  base64: (rng) => {
    const k = make(mixed(rng), rng);
    const form = rng.int(3);
    if (form === 0) {
      const blob = Buffer.from(k.value).toString('base64');
      return {
        path: 'k8s/secret.yaml',
        content: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${camel(k.spec.provider).toLowerCase() || 'app'}-credentials\ntype: Opaque\ndata:\n  ${k.spec.env}: ${blob}\n`,
        secrets: [{ spec: k.spec, secret: k.secret, alternates: [blob], locate: blob }],
      };
    }
    if (form === 1) {
      const spec = specById('GitHub', pick(rng, ['classic-pat', 'fine-grained-pat']));
      const token = spec.make(rng).secret;
      const blob = Buffer.from(`deploy-bot:${token}`).toString('base64');
      return {
        path: '.docker/config.json',
        content: JSON.stringify({ auths: { 'ghcr.io': { auth: blob } } }, null, 2) + '\n',
        secrets: [{ spec, secret: token, alternates: [blob], locate: blob }],
      };
    }
    const blob = Buffer.from(`${k.spec.env}=${k.value}\n`).toString('base64');
    return {
      path: 'scripts/restore_env.sh',
      content: `#!/bin/sh\n# restores the env file on the build box\necho "${blob}" | base64 -d > .env\n`,
      secrets: [{ spec: k.spec, secret: k.secret, alternates: [blob], locate: blob }],
    };
  },
  'utf16-bom': (rng) => {
    const k = make(mixed(rng), rng);
    const encoding = rng.next() < 0.75 ? ('utf16le-bom' as const) : ('utf16be-bom' as const);
    return pick(rng, [
      {
        path: 'tools/setup.ps1',
        encoding,
        content: `# Windows setup\r\n$env:${k.spec.env} = "${k.value}"\r\nWrite-Host "configured"\r\n`,
        secrets: [plain(k.spec, k.secret)],
      },
      {
        path: 'config/export.reg',
        encoding,
        content: `Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Environment]\r\n"${k.spec.env}"="${k.value}"\r\n`,
        secrets: [plain(k.spec, k.secret)],
      },
      { path: 'notes/keys.txt', encoding, content: `${k.spec.env}=${k.value}\r\n`, secrets: [plain(k.spec, k.secret)] },
    ]);
  },
};

export const HARD_CASES: readonly string[] = Object.keys(CASES);

export function renderHardCase(hardCase: string, rng: Rng): HardFile {
  const make = CASES[hardCase];
  if (!make) throw new Error(`unknown hard case ${hardCase}`);
  return { hardCase, ...make(rng) };
}
