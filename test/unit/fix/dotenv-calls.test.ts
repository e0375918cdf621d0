import { describe, expect, it } from '@jest/globals';
import { addDotenvCall } from '../../../src/fix/rewrite/index.js';
import { runCommand } from '../../../src/fix/run-advice.js';

describe('addDotenvCall', () => {
  it('Python: after the docstring and __future__ imports, before other imports', () => {
    const src = '#!/usr/bin/env python3\n"""Doc."""\nfrom __future__ import annotations\nimport os\nKEY = os.getenv("K")\n';
    expect(addDotenvCall(src, 'python-dotenv')).toBe(
      '#!/usr/bin/env python3\n"""Doc."""\nfrom __future__ import annotations\nfrom dotenv import load_dotenv\nload_dotenv()\nimport os\nKEY = os.getenv("K")\n',
    );
  });

  it('Node: after a shebang and "use strict"; keeps CRLF and a BOM', () => {
    expect(addDotenvCall('#!/usr/bin/env node\n"use strict";\nx();\n', 'node-dotenv-cjs')).toBe(
      '#!/usr/bin/env node\n"use strict";\nrequire(\'dotenv\').config();\nx();\n',
    );
    expect(addDotenvCall('\uFEFFimport a from "a";\r\n', 'node-dotenv-esm')).toBe(
      '\uFEFFimport \'dotenv/config\';\r\nimport a from "a";\r\n',
    );
  });

  it('Ruby: after magic comments', () => {
    expect(addDotenvCall('# frozen_string_literal: true\nputs ENV["K"]\n', 'ruby-dotenv')).toBe(
      '# frozen_string_literal: true\nrequire \'dotenv/load\'\nputs ENV["K"]\n',
    );
  });
});

describe('runCommand', () => {
  it('quotes paths as one shell word', () => {
    expect(runCommand('my app/main.py', 'python')).toBe("set -a; . ./.env; set +a; python3 'my app/main.py'");
    expect(runCommand('src/index.mjs', 'javascript')).toBe('node --env-file=.env src/index.mjs');
  });
});
