import { describe, expect, it } from '@jest/globals';
import {
  ensureGoImportOs,
  ensurePythonImportOs,
  isDotenvFile,
  languageOf,
  rewriteSecrets,
  type RewriteResult,
} from '../../../src/fix/rewrite/index.js';
import { githubToken, openaiKey } from '../../helpers/keys.js';

const KEY = openaiKey('env-lookup');
const NAME = 'OPENAI_API_KEY';

/** Writes the test source with a standalone K standing for the key. */
function rewrite(path: string, source: string, envVar = NAME): RewriteResult {
  return rewriteSecrets(path, source.replace(/(?<![A-Za-z0-9_])K(?![A-Za-z0-9_])/g, KEY), [{ secret: KEY, envVar }]);
}

function rewritten(path: string, source: string, envVar = NAME): string {
  const result = rewrite(path, source, envVar);
  if (!result.ok) throw new Error(`not rewritten: ${result.reason}`);
  expect(result.content).not.toContain(KEY);
  return result.content;
}

function reasonOf(path: string, source: string): string | undefined {
  const result = rewrite(path, source);
  return result.ok ? undefined : result.reason;
}

describe('Python', () => {
  it('rewrites the tutorial case and adds import os before other imports', () => {
    expect(rewritten('app.py', "import openai\nopenai.api_key = 'K'\n")).toBe(
      'import os\nimport openai\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n',
    );
  });

  it.each([
    ['typographic single', 'openai.api_key = \u2018K\u2019\n'],
    ['typographic double', 'openai.api_key = \u201cK\u201d\n'],
    ['double quotes', 'openai.api_key = "K"\n'],
    ['raw string', "openai.api_key = r'K'\n"],
    ['f-string', 'openai.api_key = f"K"\n'],
  ])('rewrites %s literals', (_, source) => {
    expect(rewritten('app.py', source)).toBe('import os\nopenai.api_key = os.getenv("OPENAI_API_KEY")\n');
  });

  it('does not add import os when it is already imported', () => {
    expect(rewritten('a.py', "import sys, os\nx = 'K'\n")).toBe('import sys, os\nx = os.getenv("OPENAI_API_KEY")\n');
    expect(rewritten('a.py', "import os.path\nx = 'K'\n")).toBe('import os.path\nx = os.getenv("OPENAI_API_KEY")\n');
  });

  it('adds import os after shebang, encoding, docstring and __future__ imports', () => {
    const source = [
      '#!/usr/bin/env python3',
      '# -*- coding: utf-8 -*-',
      '"""Module docstring.',
      '',
      "It mentions 'quotes'.",
      '"""',
      'from __future__ import (annotations,',
      '    division)',
      'from __future__ import print_function',
      '',
      'import openai',
      "openai.api_key = 'K'",
      '',
    ].join('\n');
    const out = rewritten('tool', source);
    expect(out.split('\n').slice(8, 12)).toEqual(['from __future__ import print_function', '', 'import os', 'import openai']);
  });

  it('keeps CRLF line endings and a BOM', () => {
    expect(rewritten('app.py', '\uFEFF"""Doc."""\r\nimport openai\r\nopenai.api_key = \'K\'\r\n')).toBe(
      '\uFEFF"""Doc."""\r\nimport os\r\nimport openai\r\nopenai.api_key = os.getenv("OPENAI_API_KEY")\r\n',
    );
  });

  it('handles a file without final newline that is only code', () => {
    expect(rewritten('a.py', "KEY = 'K'")).toBe('import os\nKEY = os.getenv("OPENAI_API_KEY")');
  });

  it('rewrites every occurrence', () => {
    expect(rewritten('a.py', 'a = \'K\'\nb = "K"\n')).toBe('import os\na = os.getenv("OPENAI_API_KEY")\nb = os.getenv("OPENAI_API_KEY")\n');
  });

  it('is idempotent: the rewritten file has nothing left to rewrite', () => {
    const once = rewritten('app.py', "import openai\nopenai.api_key = 'K'\n");
    expect(rewriteSecrets('app.py', once, [{ secret: KEY, envVar: NAME }])).toEqual({ ok: false, reason: 'not-found', language: 'python' });
    expect(ensurePythonImportOs(once)).toBe(once);
  });

  it.each([
    ['a comment', "x = 1  # old key: 'K'\n", 'in-comment'],
    ['a longer string', "h = 'Bearer K'\n", 'inside-longer-string'],
    ['a docstring', '"""\nK\n"""\n', 'multiline-string'],
    ['a bytes literal', "k = b'K'\n", 'bytes-literal'],
    ['bare code', 'k = K\n', 'not-a-string-literal'],
  ])('refuses a key in %s', (_, source, reason) => {
    expect(reasonOf('a.py', source)).toBe(reason);
  });

  it('leaves the file untouched when one occurrence cannot be rewritten', () => {
    expect(reasonOf('a.py', "k = 'K'\n# was: K\n")).toBe('in-comment');
  });
});

describe('JavaScript and TypeScript', () => {
  it.each(['.js', '.mjs', '.cjs', '.jsx'])('%s uses process.env', (ext) => {
    expect(rewritten(`src/client${ext}`, "const client = new OpenAI({ apiKey: 'K' });\n")).toBe(
      'const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n',
    );
  });

  it.each(['.ts', '.tsx', '.mts', '.cts'])('%s uses process.env.X! so a declared string type stays valid', (ext) => {
    expect(rewritten(`src/client${ext}`, "const client = new OpenAI({ apiKey: 'K' });\n")).toBe(
      'const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY! });\n',
    );
  });

  it('handles backticks and typographic quotes', () => {
    expect(rewritten('a.js', 'const k = `K`;\nconst j = \u201cK\u201d;\n')).toBe(
      'const k = process.env.OPENAI_API_KEY;\nconst j = process.env.OPENAI_API_KEY;\n',
    );
  });

  it('interpolates inside a template literal', () => {
    expect(rewritten('a.ts', 'const h = `Bearer K`;\n')).toBe('const h = `Bearer ${process.env.OPENAI_API_KEY}`;\n');
  });

  it('ignores quotes inside comments when finding strings', () => {
    expect(rewritten('a.js', "// don't commit\n/* it's */ const k = 'K';\n")).toBe(
      "// don't commit\n/* it's */ const k = process.env.OPENAI_API_KEY;\n",
    );
  });

  it('refuses keys in comments and longer strings', () => {
    expect(reasonOf('a.js', '// K\n')).toBe('in-comment');
    expect(reasonOf('a.js', '/*\n K\n*/\n')).toBe('in-comment');
    expect(reasonOf('a.js', "const h = 'Bearer K';\n")).toBe('inside-longer-string');
  });
});

describe('Go', () => {
  it('turns a single import into a group', () => {
    expect(rewritten('main.go', 'package main\n\nimport "fmt"\n\nvar key = "K"\n')).toBe(
      'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nvar key = os.Getenv("OPENAI_API_KEY")\n',
    );
  });

  it('adds "os" into an existing group, sorted within the first block', () => {
    const source = 'package main\n\nimport (\n\t"fmt"\n\t"strings"\n\n\t"github.com/x/y"\n)\n\nvar key = `K`\n';
    expect(rewritten('main.go', source)).toBe(
      'package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"strings"\n\n\t"github.com/x/y"\n)\n\nvar key = os.Getenv("OPENAI_API_KEY")\n',
    );
  });

  it('adds an import when there is none, and not when "os" is imported', () => {
    expect(rewritten('main.go', 'package main\n\nvar key = "K"\n')).toBe(
      'package main\n\nimport "os"\n\nvar key = os.Getenv("OPENAI_API_KEY")\n',
    );
    const withOs = 'package main\n\nimport (\n\t"os"\n)\n\nvar key = "K"\n';
    expect(rewritten('main.go', withOs)).toBe(withOs.replace('"K"', 'os.Getenv("OPENAI_API_KEY")'));
    expect(ensureGoImportOs(withOs)).toBe(withOs);
  });

  it('uses an alias when "os" is imported under another name', () => {
    expect(rewritten('main.go', 'package main\n\nimport goos "os"\n\nvar key = "K"\n')).toBe(
      'package main\n\nimport goos "os"\n\nvar key = goos.Getenv("OPENAI_API_KEY")\n',
    );
  });

  it('keeps CRLF when grouping imports', () => {
    expect(rewritten('main.go', 'package main\r\n\r\nimport "fmt"\r\n\r\nvar key = "K"\r\n')).toBe(
      'package main\r\n\r\nimport (\r\n\t"fmt"\r\n\t"os"\r\n)\r\n\r\nvar key = os.Getenv("OPENAI_API_KEY")\r\n',
    );
  });
});

describe('other code languages', () => {
  it.each([
    ['app.rb', "client = OpenAI::Client.new(access_token: 'K')\n", 'client = OpenAI::Client.new(access_token: ENV["OPENAI_API_KEY"])\n'],
    ['index.php', "<?php\n$key = 'K';\n", "<?php\n$key = getenv('OPENAI_API_KEY');\n"],
    ['App.java', 'String key = "K";\n', 'String key = System.getenv("OPENAI_API_KEY");\n'],
    ['Program.cs', 'using System;\nvar key = "K";\n', 'using System;\nvar key = Environment.GetEnvironmentVariable("OPENAI_API_KEY");\n'],
    ['Program.cs', 'var key = @"K";\n', 'var key = System.Environment.GetEnvironmentVariable("OPENAI_API_KEY");\n'],
  ])('%s', (path, source, expected) => {
    expect(rewritten(path, source)).toBe(expected);
  });

  it('refuses a PHP # comment and a Ruby comment', () => {
    expect(reasonOf('a.php', '<?php\n# K\n')).toBe('in-comment');
    expect(reasonOf('a.rb', '# K\n')).toBe('in-comment');
  });
});

describe('shell and Dockerfile', () => {
  it.each([
    ['deploy.sh', "export OPENAI_API_KEY='K'\n", 'export OPENAI_API_KEY="${OPENAI_API_KEY}"\n'],
    ['deploy.sh', 'KEY=K ./run\n', 'KEY="${OPENAI_API_KEY}" ./run\n'],
    ['deploy.sh', 'curl -H "Authorization: Bearer K" x\n', 'curl -H "Authorization: Bearer ${OPENAI_API_KEY}" x\n'],
    ['deploy', '#!/bin/bash\nKEY="K"\n', '#!/bin/bash\nKEY="${OPENAI_API_KEY}"\n'],
  ])('%s: %j', (path, source, expected) => {
    expect(rewritten(path, source)).toBe(expected);
  });

  it('refuses single-quoted longer strings and comments', () => {
    expect(reasonOf('a.sh', "curl -H 'Authorization: Bearer K'\n")).toBe('inside-longer-string');
    expect(reasonOf('a.sh', 'echo hi # K\n')).toBe('in-comment');
  });
});

describe('YAML, compose, workflows, .npmrc', () => {
  it.each([
    ['src/main/resources/application.yml', 'openai:\n  key: K\n', 'openai:\n  key: ${OPENAI_API_KEY}\n'],
    [
      'docker-compose.yml',
      "services:\n  app:\n    environment:\n      OPENAI_API_KEY: 'K'\n",
      "services:\n  app:\n    environment:\n      OPENAI_API_KEY: '${OPENAI_API_KEY}'\n",
    ],
    ['compose.yaml', 'x:\n  - "Authorization=Bearer K"\n', 'x:\n  - "Authorization=Bearer ${OPENAI_API_KEY}"\n'],
    ['.github/workflows/ci.yml', 'env:\n  OPENAI_API_KEY: K\n', 'env:\n  OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n'],
    ['.npmrc', '//registry.npmjs.org/:_authToken=K\n', '//registry.npmjs.org/:_authToken=${OPENAI_API_KEY}\n'],
  ])('%s', (path, source, expected) => {
    expect(rewritten(path, source)).toBe(expected);
  });

  it('does not use the reserved GITHUB_ prefix for workflow secrets', () => {
    const token = githubToken('workflow');
    const result = rewriteSecrets('.github/workflows/release.yaml', `env:\n  TOKEN: "${token}"\n`, [
      { secret: token, envVar: 'GITHUB_TOKEN' },
    ]);
    expect(result).toMatchObject({ ok: true, content: 'env:\n  TOKEN: "${{ secrets.GH_TOKEN }}"\n' });
  });

  it('refuses YAML comments', () => {
    expect(reasonOf('compose.yml', 'key: x # K\n')).toBe('in-comment');
  });
});

describe('files without a safe rewrite', () => {
  it.each([
    ['config.json', `{"key": "K"}\n`, 'json'],
    ['notes.txt', 'K\n', 'unknown-language'],
    ['README', 'K\n', 'unknown-language'],
  ])('%s → %s', (path, source, reason) => {
    expect(reasonOf(path, source)).toBe(reason);
  });
});

describe('languageOf and isDotenvFile', () => {
  it('recognises shebangs and special names', () => {
    expect(languageOf('bin/tool', '#!/usr/bin/env python3\n')).toBe('python');
    expect(languageOf('bin/tool', '#!/bin/sh\n')).toBe('shell');
    expect(languageOf('Dockerfile.prod')).toBe('dockerfile');
    expect(languageOf('.github/workflows/ci.yaml')).toBe('github-actions');
  });
  it.each([
    ['.env', true],
    ['.env.local', true],
    ['config/production.env', true],
    ['.envrc', false],
    ['env.py', false],
  ])('%s → %s', (path, expected) => {
    expect(isDotenvFile(path)).toBe(expected);
  });
});
