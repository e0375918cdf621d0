/**
 * File types of the corpus: each renders a small, realistic file (a settings module,
 * a compose file, a workflow, a README…) around one or more hard-coded keys, the way
 * people actually paste them. Values are placed verbatim (multi-line values as the
 * language writes them), so labels can locate them in the output.
 */
import type { Rng } from '../../test/support/examples.js';
import type { KeySpec } from './providers.js';

export interface Placed {
  spec: KeySpec;
  /** Text written into the file. */
  value: string;
  /** Variable name used on the left of the assignment. */
  name: string;
}

export interface FileType {
  id: string;
  /** Can hold a multi-line value (PEM blocks). */
  multiline: boolean;
  /** Only for multi-line values (key files). */
  multilineOnly?: boolean;
  render(items: Placed[], rng: Rng): { path: string; content: string };
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)]!;

const words = (name: string): string[] =>
  name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
export const lower = (name: string): string => words(name).join('_');
export const camel = (name: string): string =>
  words(name)
    .map((w, i) => (i ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join('');
export const pascal = (name: string): string =>
  words(name)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
export const dotted = (name: string): string => words(name).join('.');
export const kebab = (name: string): string => words(name).join('-');

const isMulti = (p: Placed): boolean => p.value.includes('\n');
const indent = (text: string, pad: string): string =>
  text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
/** Double-quoted unless the value holds a `$` (shells, PHP, dotenv would expand it). */
const shq = (v: string): string => (v.includes('$') ? `'${v}'` : `"${v}"`);

/** Provider-specific client constructors, per language: `{V}` is the value. */
const IDIOMS: Record<string, Record<string, string[]>> = {
  python: {
    openai: ['openai.api_key = "{V}"', 'client = OpenAI(api_key="{V}")', 'llm = ChatOpenAI(model="gpt-4o-mini", openai_api_key="{V}")'],
    anthropic: ['client = anthropic.Anthropic(api_key="{V}")', 'client = Anthropic(api_key="{V}")'],
    gemini: ['genai.configure(api_key="{V}")'],
    groq: ['client = Groq(api_key="{V}")'],
    replicate: ['replicate_client = replicate.Client(api_token="{V}")'],
    huggingface: ['login(token="{V}")', 'model = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B", token="{V}")'],
    stripe: ['stripe.api_key = "{V}"'],
    github: ['gh = Github("{V}")'],
    slack: ['client = WebClient(token="{V}")'],
    sendgrid: ['sg = SendGridAPIClient("{V}")'],
    telegram: ['bot = telebot.TeleBot("{V}")'],
  },
  js: {
    openai: ["const openai = new OpenAI({ apiKey: '{V}' });"],
    anthropic: ["const anthropic = new Anthropic({ apiKey: '{V}' });"],
    gemini: ["const genAI = new GoogleGenerativeAI('{V}');"],
    groq: ["const groq = new Groq({ apiKey: '{V}' });"],
    replicate: ["const replicate = new Replicate({ auth: '{V}' });"],
    stripe: ["const stripe = require('stripe')('{V}');", "const stripe = new Stripe('{V}', { apiVersion: '2024-06-20' });"],
    github: ["const octokit = new Octokit({ auth: '{V}' });"],
    slack: ["const web = new WebClient('{V}');"],
    sendgrid: ["sgMail.setApiKey('{V}');"],
    telegram: ["const bot = new Telegraf('{V}');"],
  },
  go: {
    openai: ['client := openai.NewClient("{V}")'],
    anthropic: ['client := anthropic.NewClient(option.WithAPIKey("{V}"))'],
    stripe: ['stripe.Key = "{V}"'],
    slack: ['api := slack.New("{V}")'],
    github: ['ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "{V}"})'],
    telegram: ['bot, err := tgbotapi.NewBotAPI("{V}")'],
  },
  ruby: {
    openai: ['client = OpenAI::Client.new(access_token: "{V}")'],
    anthropic: ['client = Anthropic::Client.new(api_key: "{V}")'],
    stripe: ["Stripe.api_key = '{V}'"],
    github: ['client = Octokit::Client.new(access_token: "{V}")'],
    slack: ["Slack.configure { |config| config.token = '{V}' }"],
  },
  php: {
    openai: ["$client = OpenAI::client('{V}');"],
    stripe: ["\\Stripe\\Stripe::setApiKey('{V}');", "$stripe = new \\Stripe\\StripeClient('{V}');"],
    sendgrid: ["$sendgrid = new \\SendGrid('{V}');"],
  },
  java: {
    openai: ['OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("{V}").build();'],
    anthropic: ['AnthropicClient client = AnthropicOkHttpClient.builder().apiKey("{V}").build();'],
    stripe: ['Stripe.apiKey = "{V}";'],
    sendgrid: ['SendGrid sg = new SendGrid("{V}");'],
  },
  csharp: {
    openai: ['var client = new OpenAIClient("{V}");', 'ChatClient chat = new(model: "gpt-4o", apiKey: "{V}");'],
    stripe: ['StripeConfiguration.ApiKey = "{V}";'],
    sendgrid: ['var client = new SendGridClient("{V}");'],
  },
};

function idiom(lang: string, p: Placed, rng: Rng): string | undefined {
  if (!p.spec.idiom || isMulti(p) || rng.next() < 0.45) return undefined;
  const options = IDIOMS[lang]?.[p.spec.idiom];
  return options ? pick(rng, options).replaceAll('{V}', p.value) : undefined;
}

const fill = (template: string, p: Placed): string =>
  template
    .replaceAll('{NAME}', p.name)
    .replaceAll('{lower}', lower(p.name))
    .replaceAll('{camel}', camel(p.name))
    .replaceAll('{Pascal}', pascal(p.name))
    .replaceAll('{dotted}', dotted(p.name))
    .replaceAll('{V}', p.value);

const python: FileType = {
  id: 'python',
  multiline: true,
  render(items, rng) {
    const lines = items.map((p) => {
      if (isMulti(p)) return fill('{NAME} = """{V}"""', p);
      return (
        idiom('python', p, rng) ??
        fill(
          pick(rng, [
            '{NAME} = "{V}"',
            "{lower} = '{V}'",
            'os.environ["{NAME}"] = "{V}"',
            'os.environ.setdefault("{NAME}", "{V}")',
            '{NAME} = os.getenv("{NAME}", "{V}")',
            'SETTINGS = {"{lower}": "{V}", "timeout": 30}',
          ]),
          p,
        )
      );
    });
    const header = pick(rng, [
      'import os\nimport logging\n',
      'import os\nimport requests\n',
      'from __future__ import annotations\n\nimport os\nfrom pathlib import Path\n',
    ]);
    const footer = pick(rng, [
      '\n\ndef main() -> None:\n    logging.basicConfig(level=logging.INFO)\n    print("ready")\n\n\nif __name__ == "__main__":\n    main()\n',
      '\n\nBASE_DIR = Path(__file__).resolve().parent\nDEBUG = False\nALLOWED_HOSTS = ["api.acme-corp.net"]\n',
      '\n\ndef fetch(path: str) -> dict:\n    response = requests.get(f"https://api.acme-corp.net{path}", timeout=10)\n    response.raise_for_status()\n    return response.json()\n',
    ]);
    return {
      path: pick(rng, ['settings.py', 'config.py', 'app/main.py', 'scripts/sync_data.py', 'bot.py', 'src/client.py']),
      content: `${header}\n${lines.join('\n')}${footer}`,
    };
  },
};

function jsLike(id: 'javascript' | 'typescript'): FileType {
  const ts = id === 'typescript';
  return {
    id,
    multiline: true,
    render(items, rng) {
      const lines = items.map((p) => {
        if (isMulti(p)) return fill(ts ? 'export const {NAME}: string = `{V}`;' : 'const {NAME} = `{V}`;', p);
        return (
          idiom('js', p, rng) ??
          fill(
            pick(
              rng,
              ts
                ? [
                    'export const {NAME} = "{V}";',
                    'const {camel}: string = "{V}";',
                    'export const config = { {camel}: "{V}", retries: 3 } as const;',
                    "process.env.{NAME} ??= '{V}';",
                  ]
                : [
                    "const {NAME} = '{V}';",
                    'const {camel} = "{V}";',
                    "module.exports = { {camel}: '{V}', port: 8080 };",
                    "process.env.{NAME} = process.env.{NAME} || '{V}';",
                  ],
            ),
            p,
          )
        );
      });
      const header = ts
        ? pick(rng, [
            "import express from 'express';\n",
            "import { readFile } from 'node:fs/promises';\n",
            "import type { Config } from './types.js';\n",
          ])
        : pick(rng, [
            "'use strict';\n\nconst express = require('express');\n",
            "import fetch from 'node-fetch';\n",
            "const path = require('path');\n",
          ]);
      const footer = pick(rng, [
        '\n\nexport async function handler(event) {\n  return { statusCode: 200, body: JSON.stringify({ ok: true }) };\n}\n',
        '\n\nfunction retry(fn, times = 3) {\n  return fn().catch((err) => (times > 0 ? retry(fn, times - 1) : Promise.reject(err)));\n}\n',
        '\n\nconst PORT = Number(process.env.PORT ?? 3000);\n',
      ]);
      const ext = ts ? 'ts' : pick(rng, ['js', 'mjs', 'cjs']);
      return {
        path: pick(rng, [`src/config.${ext}`, `server.${ext}`, `lib/client.${ext}`, `scripts/seed.${ext}`, `api/handler.${ext}`]),
        content: `${header}\n${lines.join('\n')}${footer}`,
      };
    },
  };
}

const go: FileType = {
  id: 'go',
  multiline: true,
  render(items, rng) {
    const top: string[] = [];
    const body: string[] = [];
    for (const p of items) {
      if (isMulti(p)) {
        top.push(fill('const {camel} = `{V}`', p));
        continue;
      }
      const custom = idiom('go', p, rng);
      if (custom) {
        body.push('\t' + custom);
        continue;
      }
      const form = rng.int(3);
      if (form === 0) top.push(fill('const {camel} = "{V}"', p));
      else if (form === 1) top.push(fill('var {Pascal} = "{V}"', p));
      else body.push(fill('\tos.Setenv("{NAME}", "{V}")', p));
    }
    const content = `package ${pick(rng, ['config', 'main', 'internal'])}\n\nimport (\n\t"log"\n\t"os"\n)\n\n${top.join('\n')}\n\nfunc setup() {\n${body.join('\n')}\n\tlog.Println("configured", os.Getenv("APP_ENV"))\n}\n`;
    return { path: pick(rng, ['config/config.go', 'main.go', 'internal/client/client.go', 'cmd/worker/main.go']), content };
  },
};

const ruby: FileType = {
  id: 'ruby',
  multiline: true,
  render(items, rng) {
    const lines = items.map((p) => {
      if (isMulti(p)) return fill('{NAME} = <<~KEY\n{V}\nKEY', p);
      return idiom('ruby', p, rng) ?? fill(pick(rng, ["{NAME} = '{V}'", "ENV['{NAME}'] ||= '{V}'", 'config.{lower} = "{V}"']), p);
    });
    return {
      path: pick(rng, ['config/initializers/services.rb', 'lib/client.rb', 'app/jobs/sync_job.rb', 'Rakefile']),
      content: `require 'json'\nrequire 'net/http'\n\n${lines.join('\n')}\n\nmodule Sync\n  def self.run\n    puts 'syncing'\n  end\nend\n`,
    };
  },
};

const php: FileType = {
  id: 'php',
  multiline: true,
  render(items, rng) {
    const lines = items.map((p) => {
      if (isMulti(p)) return fill("$privateKey = <<<'KEY'\n{V}\nKEY;", p);
      return (
        idiom('php', p, rng) ??
        fill(pick(rng, ["define('{NAME}', '{V}');", "$config['{lower}'] = '{V}';", "putenv('{NAME}={V}');", "'{lower}' => '{V}',"]), p)
      );
    });
    return {
      path: pick(rng, ['config/services.php', 'wp-config.php', 'src/Client.php', 'public/index.php']),
      content: `<?php\n\ndeclare(strict_types=1);\n\n${lines.join('\n')}\n\nfunction env_or(string $name, string $default): string {\n    return getenv($name) ?: $default;\n}\n`,
    };
  },
};

const java: FileType = {
  id: 'java',
  multiline: true,
  render(items, rng) {
    const fields: string[] = [];
    const body: string[] = [];
    for (const p of items) {
      if (isMulti(p)) {
        fields.push(fill('    private static final String {NAME} = """\n{V}\n""";', p));
        continue;
      }
      const custom = idiom('java', p, rng);
      if (custom) {
        body.push('        ' + custom);
        continue;
      }
      if (rng.next() < 0.6) fields.push(fill('    private static final String {NAME} = "{V}";', p));
      else body.push(fill('        props.setProperty("{dotted}", "{V}");', p));
    }
    const cls = pick(rng, ['AppConfig', 'BillingClient', 'NotificationService', 'Settings']);
    const content = `package com.acme.${pick(rng, ['billing', 'core', 'notify'])};\n\nimport java.util.Properties;\n\npublic class ${cls} {\n${fields.join('\n')}\n\n    public static Properties load() {\n        Properties props = new Properties();\n${body.join('\n')}\n        return props;\n    }\n}\n`;
    return { path: `src/main/java/com/acme/${cls}.java`, content };
  },
};

const csharp: FileType = {
  id: 'csharp',
  multiline: true,
  render(items, rng) {
    const fields: string[] = [];
    const body: string[] = [];
    for (const p of items) {
      if (isMulti(p)) {
        fields.push(fill('        private const string {Pascal} = @"{V}";', p));
        continue;
      }
      const custom = idiom('csharp', p, rng);
      if (custom) {
        body.push('            ' + custom);
        continue;
      }
      if (rng.next() < 0.5) fields.push(fill('        private const string {Pascal} = "{V}";', p));
      else body.push(fill('            Environment.SetEnvironmentVariable("{NAME}", "{V}");', p));
    }
    const cls = pick(rng, ['Startup', 'ServiceSettings', 'ApiClient']);
    const content = `using System;\n\nnamespace Acme.Services\n{\n    public static class ${cls}\n    {\n${fields.join('\n')}\n\n        public static void Configure()\n        {\n${body.join('\n')}\n            Console.WriteLine("configured");\n        }\n    }\n}\n`;
    return { path: `src/${cls}.cs`, content };
  },
};

const rust: FileType = {
  id: 'rust',
  multiline: true,
  render(items, rng) {
    const top: string[] = [];
    const body: string[] = [];
    for (const p of items) {
      if (isMulti(p)) top.push(fill('const {NAME}: &str = r#"{V}"#;', p));
      else if (rng.next() < 0.6) top.push(fill('const {NAME}: &str = "{V}";', p));
      else body.push(fill('    std::env::set_var("{NAME}", "{V}");', p));
    }
    return {
      path: pick(rng, ['src/main.rs', 'src/config.rs']),
      content: `use std::env;\n\n${top.join('\n')}\n\nfn main() {\n${body.join('\n')}\n    println!("{}", env::var("APP_ENV").unwrap_or_default());\n}\n`,
    };
  },
};

const shell: FileType = {
  id: 'shell',
  multiline: true,
  render(items, rng) {
    const lines = items.map((p) => {
      if (isMulti(p)) return fill("export {NAME}='{V}'", p);
      return fill(pick(rng, ['export {NAME}=' + shq(p.value), '{NAME}=' + shq(p.value), 'export {NAME}={V}']), p);
    });
    const footer = pick(rng, ['\n./bin/deploy --env production\n', '\npython3 manage.py migrate\n', '\nnpm run start\n']);
    return {
      path: pick(rng, ['deploy.sh', 'scripts/setup.sh', 'run_local.sh', '.envrc']),
      content: `#!/usr/bin/env bash\nset -euo pipefail\n\n${lines.join('\n')}\n${footer}`,
    };
  },
};

const dockerfile: FileType = {
  id: 'dockerfile',
  multiline: false,
  render(items, rng) {
    const lines = items.map((p) => fill(pick(rng, ['ENV {NAME}={V}', 'ENV {NAME}="{V}"', 'ARG {NAME}={V}']), p));
    const base = pick(rng, ['python:3.12-slim', 'node:20-alpine', 'golang:1.22 AS build', 'ruby:3.3']);
    return {
      path: pick(rng, ['Dockerfile', 'docker/api.Dockerfile', 'Dockerfile.prod']),
      content: `FROM ${base}\nWORKDIR /app\nCOPY . .\n${lines.join('\n')}\nRUN make build\nEXPOSE 8080\nCMD ["./server"]\n`,
    };
  },
};

function yamlValue(p: Placed, pad: string): string {
  if (isMulti(p)) return `|\n${indent(p.value, pad + '  ')}`;
  return `"${p.value}"`;
}

const compose: FileType = {
  id: 'docker-compose',
  multiline: true,
  render(items, rng) {
    const env = items.map((p) =>
      isMulti(p) || rng.next() < 0.6 ? `      ${p.name}: ${yamlValue(p, '      ')}` : `      - ${p.name}=${p.value}`,
    );
    // Mixed list/map forms are invalid YAML: use one form for the whole block.
    const asMap = env.some((l) => !l.trimStart().startsWith('- '));
    const lines = asMap ? items.map((p) => `      ${p.name}: ${yamlValue(p, '      ')}`) : env;
    return {
      path: pick(rng, ['docker-compose.yml', 'compose.yaml', 'docker-compose.prod.yml']),
      content: `services:\n  api:\n    image: ghcr.io/acme/api:1.${rng.int(20)}.0\n    ports:\n      - "8080:8080"\n    environment:\n${lines.join('\n')}\n  db:\n    image: postgres:16\n`,
    };
  },
};

const workflow: FileType = {
  id: 'github-actions',
  multiline: true,
  render(items, rng) {
    const env = items.map((p) => `      ${p.name}: ${yamlValue(p, '      ')}`);
    return {
      path: `.github/workflows/${pick(rng, ['deploy', 'release', 'nightly', 'ci'])}.yml`,
      content: `name: Deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n${env.join('\n')}\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n      - run: npm ci && npm run deploy\n`,
    };
  },
};

const k8s: FileType = {
  id: 'kubernetes',
  multiline: true,
  render(items, rng) {
    const env = items.map((p) => `            - name: ${p.name}\n              value: ${yamlValue(p, '              ')}`);
    const app = pick(rng, ['api', 'worker', 'scheduler']);
    return {
      path: `k8s/${app}-deployment.yaml`,
      content: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: ${app}\n          image: registry.acme-corp.net/${app}:2.3.1\n          env:\n${env.join('\n')}\n`,
    };
  },
};

const dotenv: FileType = {
  id: 'dotenv',
  multiline: true,
  render(items, rng) {
    const lines = items.map((p) =>
      isMulti(p) ? `${p.name}="${p.value}"` : pick(rng, [`${p.name}=${p.value}`, `${p.name}=${shq(p.value)}`]),
    );
    return {
      path: pick(rng, ['.env', '.env.production', '.env.local', 'config/.env']),
      content: `# local settings\nNODE_ENV=production\nPORT=3000\n${lines.join('\n')}\nLOG_LEVEL=info\n`,
    };
  },
};

const json: FileType = {
  id: 'json',
  multiline: true,
  render(items, rng) {
    const multi = items.find(isMulti);
    if (multi && multi.spec.provider === 'Private key') {
      // A service-account style credentials file.
      const doc: Record<string, unknown> = {
        type: 'service_account',
        project_id: `acme-${pick(rng, ['prod', 'data', 'ml'])}-${100000 + rng.int(899999)}`,
        private_key: multi.value + '\n',
        client_email: `deployer@acme-prod.iam.gserviceaccount.com`,
        token_uri: 'https://oauth2.googleapis.com/token',
      };
      for (const p of items) if (p !== multi) doc[camel(p.name)] = p.value;
      return {
        path: pick(rng, ['credentials.json', 'config/service-account.json', 'gcp-key.json']),
        content: JSON.stringify(doc, null, 2) + '\n',
      };
    }
    const doc: Record<string, unknown> = { name: pick(rng, ['billing-service', 'acme-bot', 'data-sync']), version: '1.2.0' };
    const section: Record<string, string> = {};
    for (const p of items) section[rng.next() < 0.5 ? camel(p.name) : p.name] = p.value;
    doc[pick(rng, ['credentials', 'settings', 'env'])] = section;
    doc.logging = { level: 'info' };
    return {
      path: pick(rng, ['config.json', 'appsettings.json', 'config/production.json', 'secrets.json']),
      content: JSON.stringify(doc, null, 2) + '\n',
    };
  },
};

const terraform: FileType = {
  id: 'terraform',
  multiline: true,
  render(items, rng) {
    const blocks = items.map((p) => {
      if (isMulti(p)) return `variable "${lower(p.name)}" {\n  type    = string\n  default = <<EOT\n${p.value}\nEOT\n}`;
      if (!p.spec.named && rng.next() < 0.4) {
        const provider = kebab(p.spec.provider).replace(/-/g, '');
        return `provider "${provider}" {\n  api_key = "${p.value}"\n}`;
      }
      return pick(rng, [
        `variable "${lower(p.name)}" {\n  type      = string\n  sensitive = true\n  default   = "${p.value}"\n}`,
        `locals {\n  ${lower(p.name)} = "${p.value}"\n}`,
      ]);
    });
    return {
      path: pick(rng, ['main.tf', 'infra/providers.tf', 'terraform/variables.tf']),
      content: `terraform {\n  required_version = ">= 1.5"\n}\n\n${blocks.join('\n\n')}\n`,
    };
  },
};

const ini: FileType = {
  id: 'ini',
  multiline: false,
  render(items, rng) {
    const lines = items.map((p) => `${lower(p.name)} = ${p.value}`);
    return {
      path: pick(rng, ['config.ini', 'setup.cfg', 'settings.cfg', 'app.conf']),
      content: `[app]\nname = reporting\ndebug = false\n\n[${pick(rng, ['credentials', 'api', 'services'])}]\n${lines.join('\n')}\n`,
    };
  },
};

const properties: FileType = {
  id: 'properties',
  multiline: false,
  render(items, rng) {
    const lines = items.map((p) => `${dotted(p.name)}=${p.value}`);
    return {
      path: pick(rng, ['src/main/resources/application.properties', 'gradle.properties', 'config/app.properties']),
      content: `server.port=8080\nspring.application.name=orders\n${lines.join('\n')}\nlogging.level.root=INFO\n`,
    };
  },
};

const markdown: FileType = {
  id: 'markdown',
  multiline: true,
  render(items, rng) {
    const code = items.map((p) => (isMulti(p) ? `cat > key.pem <<'EOF'\n${p.value}\nEOF` : `export ${p.name}=${shq(p.value)}`));
    return {
      path: pick(rng, ['README.md', 'docs/setup.md', 'CONTRIBUTING.md', 'notes/deploy.md']),
      content: `# Reporting service\n\nInternal tool that syncs invoices.\n\n## Running locally\n\nSet the credentials first:\n\n\`\`\`bash\n${code.join('\n')}\n\`\`\`\n\nThen run \`make dev\`.\n`,
    };
  },
};

const keyFile: FileType = {
  id: 'key-file',
  multiline: true,
  multilineOnly: true,
  render(items, rng) {
    const p = items[0]!;
    if (p.spec.kind === 'putty') return { path: pick(rng, ['keys/deploy.ppk', 'ops/bastion.ppk']), content: p.value + '\n' };
    const path =
      p.spec.kind === 'openssh'
        ? pick(rng, ['deploy/id_ed25519', '.ssh/id_rsa'])
        : pick(rng, ['certs/server.key', 'keys/signing.pem', 'deploy_key.pem']);
    return { path, content: items.map((i) => i.value).join('\n') + '\n' };
  },
};

export const FILE_TYPES: readonly FileType[] = [
  python,
  jsLike('javascript'),
  jsLike('typescript'),
  go,
  ruby,
  php,
  java,
  csharp,
  rust,
  shell,
  dockerfile,
  compose,
  workflow,
  k8s,
  dotenv,
  json,
  terraform,
  ini,
  properties,
  markdown,
  keyFile,
];
