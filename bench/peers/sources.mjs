// Turns the peer scanners' own tests into labelled cases. Each extractor returns
// { cases, skipped } where a case is
//   { source, provider, name, origin, file, text (string or Buffer), positive, values? }
// (`file`: the case's path under the cases folder; `values`: the keys the peer's test
// expects, when it names them) and `skipped` counts the cases that could not be
// evaluated, by reason.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { GoEvaluator, Unevaluable, asStrings, collectDefinitions, enclosingBrace, matching, splitTop, tokenizeGo } from './golang.mjs';
import { PyEvaluator, matchingPy, splitTopPy, tokenizePython } from './python.mjs';

class Skips {
  constructor() {
    this.counts = {};
  }
  add(reason, n = 1) {
    const key = reason.replace(/\s+/g, ' ').slice(0, 80);
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }
  total() {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

/** Short reason for a failed evaluation: the kind of thing, not its text. */
function why(error) {
  if (!(error instanceof Unevaluable)) throw error;
  return error.message.replace(/^(call|unknown identifier|expression|token|unknown name|attribute) .*/, (m, kind) => {
    if (kind === 'call') return m.replace(/\(.*$/, '').slice(0, 60);
    return kind;
  });
}

/** Files under `dir` (sorted, recursively) whose name passes `keep`. */
function walk(dir, keep, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, keep, out);
    else if (entry.isFile() && keep(entry.name, full)) out.push(full);
  }
  return out;
}

/** A file or folder name made of safe characters; a leading dot (.npmrc, .env) is kept. */
const safe = (s) => {
  const name = s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return /^\.*$/.test(name) ? 'x' : name;
};
const pad = (n) => String(n).padStart(4, '0');

/** Evaluators for a Go package folder: each file's own definitions first, then its siblings'. */
function goPackage(dir) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.go'))
    .sort();
  const cache = new Map();
  const evaluatorOf = (file) => {
    if (cache.has(file)) return cache.get(file);
    const tokens = tokenizeGo(readFileSync(path.join(dir, file), 'utf8'));
    const ev = new GoEvaluator(tokens, {
      fallback: (name) => {
        for (const other of files) {
          if (other === file) continue;
          const sibling = evaluatorOf(other);
          if (sibling.defs.has(name)) return sibling.lookup(name, Infinity);
        }
        throw new Unevaluable(`unknown identifier ${name}`);
      },
    });
    cache.set(file, ev);
    return ev;
  };
  return evaluatorOf;
}

// --- trufflehog ---------------------------------------------------------------------

/**
 * pkg/detectors/<provider>/**\/*_test.go (not the integration tests): every composite
 * literal element with an `input:` field and a `want:` field. Positive when `want` is a
 * non-empty list.
 */
export function extractTrufflehog(root) {
  const base = path.join(root, 'pkg', 'detectors');
  const skipped = new Skips();
  const cases = [];
  const perProvider = new Map();
  const files = walk(base, (name) => name.endsWith('_test.go') && !name.endsWith('_integration_test.go')).filter((f) =>
    path.relative(base, f).includes(path.sep),
  );
  const packages = new Map();
  for (const file of files) {
    const rel = path.relative(base, file);
    const provider = rel.split(path.sep)[0];
    const dir = path.dirname(file);
    if (!packages.has(dir)) packages.set(dir, goPackage(dir));
    let ev;
    try {
      ev = packages.get(dir)(path.basename(file));
    } catch (error) {
      skipped.add(`unreadable Go file (${error.message})`);
      continue;
    }
    const tk = ev.tokens;
    const seen = new Set();
    for (let i = 0; i < tk.length; i++) {
      if (
        !(
          tk[i].type === 'ident' &&
          tk[i].value === 'input' &&
          tk[i + 1]?.value === ':' &&
          tk[i - 1]?.type === 'punct' &&
          (tk[i - 1].value === '{' || tk[i - 1].value === ',' || tk[i - 1].value === ';')
        )
      )
        continue;
      const open = enclosingBrace(tk, i);
      if (open < 0 || seen.has(open)) continue;
      seen.add(open);
      const close = matching(tk, open);
      const fields = {};
      for (const [a, b] of splitTop(tk, open + 1, close)) {
        let s = a;
        while (tk[s]?.value === ';') s++;
        if (tk[s]?.type === 'ident' && tk[s + 1]?.value === ':') fields[tk[s].value] = [s + 2, b];
      }
      const origin = `pkg/detectors/${rel.split(path.sep).join('/')}:${tk[i].line}`;
      const wantField = fields.want ?? fields.expectedPairs;
      if (!wantField && !fields.wantCount) {
        skipped.add('no want field');
        continue;
      }
      let name = '';
      try {
        if (fields.name) name = String(ev.evalRange(...fields.name));
      } catch {
        /* a name is optional */
      }
      let text;
      try {
        text = ev.evalRange(...fields.input);
        if (typeof text !== 'string') throw new Unevaluable('input is not a string');
      } catch (error) {
        skipped.add(`input: ${why(error)}`);
        continue;
      }
      const want = wantField ? evalWant(ev, wantField) : evalWantCount(ev, fields.wantCount, fields.wantRawV2 ?? fields.wantRaw);
      if (want.skip) {
        skipped.add(`want: ${want.skip}`);
        continue;
      }
      const n = (perProvider.get(provider) ?? 0) + 1;
      perProvider.set(provider, n);
      cases.push({
        source: 'trufflehog',
        provider,
        name,
        origin,
        file: `trufflehog/${safe(provider)}/${pad(n)}.txt`,
        text,
        positive: want.count > 0,
        values: want.values,
      });
    }
  }
  return { cases, skipped: skipped.counts };
}

/** `want`: nil, []T{…} (counted even when its elements cannot be read), or a named list. */
function evalWant(ev, [start, end]) {
  const tk = ev.tokens;
  while (tk[end - 1]?.value === ';') end--;
  if (end - start === 1 && tk[start].value === 'nil') return { count: 0, values: [] };
  if (tk[start].value === '[' && tk[start + 1]?.value === ']') {
    let brace = start + 2;
    while (brace < end && tk[brace].value !== '{') brace++;
    if (brace < end && matching(tk, brace) === end - 1) {
      const elements = splitTop(tk, brace + 1, end - 1);
      const values = [];
      for (const [a, b] of elements) {
        try {
          const v = ev.evalRange(a, b);
          if (typeof v === 'string') values.push(v);
        } catch (error) {
          why(error);
        }
      }
      return { count: elements.length, values };
    }
  }
  try {
    const v = ev.evalRange(start, end);
    if (typeof v === 'boolean') return { skip: 'boolean (not a pattern table)' };
    if (typeof v === 'string') return { count: 1, values: [v] };
    const values = asStrings(v);
    return { count: values.length, values };
  } catch (error) {
    return { skip: why(error) };
  }
}

/** `wantCount: N` (with `wantRawV2`/`wantRaw` naming the key, when they can be read). */
function evalWantCount(ev, countRange, rawRange) {
  let count;
  try {
    count = Number(ev.evalRange(...countRange));
  } catch (error) {
    return { skip: why(error) };
  }
  if (!Number.isInteger(count)) return { skip: 'wantCount is not a number' };
  let values = [];
  try {
    const raw = rawRange ? ev.evalRange(...rawRange) : undefined;
    if (typeof raw === 'string' && raw) values = [raw];
  } catch (error) {
    why(error);
  }
  return { count, values };
}

// --- gitleaks -----------------------------------------------------------------------

/** gitleaks' GenerateSampleSecret: the one sample a literal identifier and secret give. */
const sampleSecret = (identifier, secret) => `${identifier}_api_token = "${secret}"`;

/**
 * cmd/generate/config/rules/*.go: the `tps`/`fps` lists (`:=`, `=`, `append`, and the
 * path→content maps of ValidateWithPaths). Items that need gitleaks' random generator
 * (secrets.NewSecret) are skipped and counted; GenerateSampleSecret(s) with literal
 * arguments become one case each (the plural form's 25 syntaxes of one key are not
 * repeated).
 */
export function extractGitleaks(root) {
  const dir = path.join(root, 'cmd', 'generate', 'config', 'rules');
  const skipped = new Skips();
  const cases = [];
  const evaluatorOf = goPackage(dir);
  const counters = new Map();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .sort()) {
    const provider = file.replace(/\.go$/, '');
    const ev = evaluatorOf(file);
    ev.calls = {
      'utils.GenerateSampleSecret': ([id, secret]) => sampleSecret(id, secret),
      'utils.GenerateSampleSecrets': ([id, secret]) => [sampleSecret(id, secret)],
    };
    const tk = ev.tokens;
    for (let i = 0; i < tk.length; i++) {
      const t = tk[i];
      if (!(t.type === 'ident' && (t.value === 'tps' || t.value === 'fps'))) continue;
      const prev = tk[i - 1];
      const isDecl = prev?.value === 'var';
      if (!(tk[i + 1]?.value === ':=' || tk[i + 1]?.value === '=') || !(isDecl || prev?.value === ';' || prev?.value === '{')) continue;
      let end = i + 2;
      let depth = 0;
      for (; end < tk.length; end++) {
        const v = tk[end].value;
        if (tk[end].type !== 'punct') continue;
        if ('([{'.includes(v)) depth++;
        else if (')]}'.includes(v)) depth--;
        else if (depth === 0 && v === ';') break;
      }
      const ruleId = nearestRuleId(tk, i);
      for (const item of listItems(ev, i + 2, end, t.value)) {
        if (item.skip) {
          skipped.add(`${t.value}: ${item.skip}`);
          continue;
        }
        if (item.path !== undefined && item.value === '') {
          skipped.add(`${t.value}: path-only case`);
          continue;
        }
        const n = (counters.get(provider) ?? 0) + 1;
        counters.set(provider, n);
        const caseFile =
          item.path !== undefined
            ? `gitleaks/${safe(provider)}/${pad(n)}/${safe(path.posix.basename(item.path))}`
            : `gitleaks/${safe(provider)}/${pad(n)}.txt`;
        cases.push({
          source: 'gitleaks',
          provider,
          name: `${ruleId ?? provider} ${t.value}`,
          origin: `cmd/generate/config/rules/${file}:${t.line}`,
          file: caseFile,
          text: item.value,
          positive: t.value === 'tps',
        });
      }
      i = end;
    }
  }
  return { cases, skipped: skipped.counts };
}

/**
 * Negatives whose text is also a positive case, of any source: the same text labelled both
 * ways is no negative. gitleaks' rules list their siblings' tps among their fps (cloudflare's
 * three rules), trufflehog repeats one input under two wants (jwt) or lists another
 * detector's key as a "should not match" (openaiadmin: an OpenAI project key), and
 * detect-secrets' GitLab test has a GitHub token as a negative. Texts are compared with
 * runs of white space folded (trufflehog indents its inputs). A gitleaks path case stays:
 * its file name is what makes it negative. Returns the negatives dropped per source.
 */
export function dropNegativesThatArePositives(cases) {
  const fold = (text) => (typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : undefined);
  const positives = new Set(cases.filter((c) => c.positive && typeof c.text === 'string').map((c) => fold(c.text)));
  const dropped = {};
  const kept = cases.filter((c) => {
    if (
      c.positive ||
      (c.source === 'gitleaks' && c.file.split('/').length > 3) ||
      typeof c.text !== 'string' ||
      !positives.has(fold(c.text))
    )
      return true;
    dropped[c.source] = (dropped[c.source] ?? 0) + 1;
    return false;
  });
  return { kept, dropped };
}

function nearestRuleId(tk, at) {
  for (let i = at; i >= 0; i--) {
    if (tk[i].type === 'ident' && tk[i].value === 'RuleID' && tk[i + 1]?.value === ':' && tk[i + 2]?.type === 'string')
      return tk[i + 2].value;
  }
  return undefined;
}

/**
 * The items of a tps/fps expression, each { value, path? } or { skip }. `self` (the list
 * being appended to) contributes nothing: its items were counted where it was assigned.
 */
function listItems(ev, start, end, self) {
  const tk = ev.tokens;
  while (tk[end - 1]?.value === ';') end--;
  const one = (a, b) => {
    try {
      const v = ev.evalRange(a, b);
      if (typeof v === 'string') return [{ value: v }];
      if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? { value: x } : { skip: 'non-string item' }));
      return [{ skip: 'non-string item' }];
    } catch (error) {
      return [{ skip: why(error) }];
    }
  };
  if (end - start === 1 && tk[start].value === self) return [];
  // append(x, y, z...) — element by element, so one generated item does not hide the literal ones.
  if (tk[start].value === 'append' && tk[start + 1]?.value === '(' && matching(tk, start + 1) === end - 1) {
    const args = splitTop(tk, start + 2, end - 1);
    const out = [];
    args.forEach(([a, b], index) => {
      const spread = tk[b - 1]?.value === '...';
      if (index === 0 || spread) out.push(...listItems(ev, a, spread ? b - 1 : b, self));
      else out.push(...one(a, b));
    });
    return out;
  }
  // []string{…} and map[string]string{…}
  const isSlice = tk[start].value === '[' && tk[start + 1]?.value === ']';
  const isMap = tk[start].value === 'map' && tk[start + 1]?.value === '[';
  if (isSlice || isMap) {
    let brace = start + 1;
    while (brace < end && tk[brace].value !== '{') brace++;
    if (brace < end && matching(tk, brace) === end - 1) {
      const out = [];
      for (const [a, b] of splitTop(tk, brace + 1, end - 1)) {
        if (!isMap) {
          out.push(...one(a, b));
          continue;
        }
        const colon = splitTop(tk, a, b, ':');
        if (colon.length !== 2) {
          out.push({ skip: 'map entry' });
          continue;
        }
        try {
          const key = ev.evalRange(...colon[0]);
          for (const item of one(...colon[1])) out.push(item.skip ? item : { ...item, path: key });
        } catch (error) {
          out.push({ skip: why(error) });
        }
      }
      return out;
    }
  }
  return one(start, end);
}

// --- secretlint ---------------------------------------------------------------------

/** Presets: their snapshots repeat the rules' own. */
const SECRETLINT_PRESET = /^secretlint-rule-preset-/;
/**
 * Rules that are not about keys in text (secretlint's own test rules, user patterns, paths,
 * comment filters). After these, rules whose meta says `recommended: false` (no preset
 * enables them: secp256k1 private keys, no-k8s-kind-secret) are skipped as opt-in.
 */
const SECRETLINT_SKIP = /^secretlint-rule-(?:internal-|example$|pattern$|no-homedir$|no-dotenv$|filter-comments$)/;

/**
 * packages/@secretlint/secretlint-rule-*\/test/snapshots/<case>/: the input file (named by
 * options.ts' inputFilePath, else `input*`) and output.json; positive when it has messages.
 * A negative that is negative only through the case's options (allows, disabled checks)
 * is skipped: with default settings it would be a positive.
 */
export function extractSecretlint(root) {
  const base = path.join(root, 'packages', '@secretlint');
  const skipped = new Skips();
  const cases = [];
  for (const rule of readdirSync(base).sort()) {
    if (!rule.startsWith('secretlint-rule-')) continue;
    const snapshots = path.join(base, rule, 'test', 'snapshots');
    if (!existsSync(snapshots)) continue;
    const provider = rule.replace(/^secretlint-rule-/, '');
    // Off unless a user adds it: in no preset, and its meta says `recommended: false`.
    const source = path.join(base, rule, 'src', 'index.ts');
    const optIn = existsSync(source) && /\brecommended:\s*false\b/.test(readFileSync(source, 'utf8'));
    for (const name of readdirSync(snapshots).sort()) {
      const dir = path.join(snapshots, name);
      if (!statSync(dir).isDirectory()) continue;
      if (SECRETLINT_PRESET.test(rule)) {
        skipped.add("preset snapshot (repeats a rule's own)");
        continue;
      }
      if (SECRETLINT_SKIP.test(rule)) {
        skipped.add(`rule ${provider} (not about keys)`);
        continue;
      }
      if (optIn) {
        skipped.add(`rule ${provider} is opt-in (recommended: false)`);
        continue;
      }
      const outputFile = path.join(dir, 'output.json');
      if (!existsSync(outputFile)) {
        skipped.add('no output.json');
        continue;
      }
      const optionsFile = path.join(dir, 'options.ts');
      const options = existsSync(optionsFile) ? readFileSync(optionsFile, 'utf8') : '';
      const inputName =
        options.match(/inputFilePath:\s*["'`]([^"'`]+)["'`]/)?.[1] ??
        readdirSync(dir)
          .sort()
          .find((f) => /^input/.test(f));
      if (!inputName || !existsSync(path.join(dir, inputName))) {
        skipped.add('no input file');
        continue;
      }
      const output = JSON.parse(readFileSync(outputFile, 'utf8'));
      const positive = (output.messages ?? []).length > 0;
      const configured = existsSync(path.join(dir, '.secretlintrc.json')) || /\b(?:allows|enable\w*|disable\w*)\b/.test(options);
      if (!positive && configured) {
        skipped.add('negative only through its options');
        continue;
      }
      const data = readFileSync(path.join(dir, inputName));
      const binary = data.includes(0);
      const text = binary ? data : data.toString('utf8');
      const values = [];
      for (const m of output.messages ?? []) {
        for (const v of Object.values(m.data ?? {})) {
          if (typeof v === 'string' && v.length >= 8 && !binary && text.includes(v)) values.push(v);
        }
      }
      cases.push({
        source: 'secretlint',
        provider,
        name,
        origin: `packages/@secretlint/${rule}/test/snapshots/${name}`,
        file: `secretlint/${safe(provider)}/${safe(name)}/${safe(path.basename(inputName))}`,
        text,
        positive,
        values,
      });
    }
  }
  return { cases, skipped: skipped.counts };
}

// --- detect-secrets -----------------------------------------------------------------

/**
 * detect-secrets' test_data/ files, labelled by what its own tests expect of them
 * (tests/core, tests/pre_commit_hook_test.py, tests/audit): true = it reports a secret.
 */
const DETECT_SECRETS_DATA = {
  'config.env': true,
  'config.ini': true,
  'config.md': true,
  'config.yaml': true,
  'config2.yaml': true,
  'each_secret.py': true,
  'files/file_with_secrets.py': true,
  'files/tmp/file_with_secrets.py': true,
  'files/private_key': true,
  'sample.diff': true,
  'short_files/first_line.php': true,
  'short_files/middle_line.yml': true,
  'short_files/last_line.ini': true,
  'files/file_with_no_secrets.py': false,
  'files/tmp/file_with_no_secrets.py': false,
  'files/file_with_custom_secrets.py': false, // secrets only for a custom plugin
  'only_comments.yaml': false,
  'word_list.txt': false,
  'performance/best-songs.txt': false,
  'performance/long-file.test.json': false,
  'performance/long-lines.test.json': false,
};

/**
 * Why a parametrize table is not a table of (text, label) cases for the plugin, or
 * undefined. Its rows are then skipped and counted:
 * - it feeds a test of a helper, not of the detector (`test_find_account`,
 *   `test_find_username`, `test_find_access_key_id`: the expected values are account
 *   names, user names and key ids; `test_verify_*`: HTTP status codes);
 * - its first parameter is `format`: the rows are templates (`'{secret}'`) the test
 *   fills in with values of another table.
 */
export function helperTable(tokens, [namesStart, namesEnd], close) {
  const names =
    tokens[namesStart]?.type === 'string' && namesEnd === namesStart + 1 ? tokens[namesStart].value.split(',').map((n) => n.trim()) : [];
  if (names[0] === 'format') return 'templates the test fills in (format)';
  // The decorated function: the first `def` after the table (a `class` first: a class decorator).
  for (let i = close + 1; i < tokens.length; i++) {
    if (tokens[i].value === 'class') return undefined;
    if (tokens[i].value !== 'def') continue;
    const fn = tokens[i + 1]?.value ?? '';
    return /^test_(?:find|verify)_/.test(fn) ? `tests ${fn.replace(/^test_/, '')}, a helper (no labels)` : undefined;
  }
  return undefined;
}

/** detect-secrets plugins that are not about keys: public IP addresses. */
const DETECT_SECRETS_SKIP = new Set(['ip_public']);

/**
 * tests/plugins/*_test.py: `@pytest.mark.parametrize` tables whose rows are
 * (text, True|False); and keyword_test.py's `*_TEST_CASES` lists of (line, secret|None),
 * with the file extension parse_test_cases() gives each list. Plus test_data/.
 */
export function extractDetectSecrets(root) {
  const skipped = new Skips();
  const cases = [];
  const counters = new Map();
  const add = (provider, c) => {
    const n = (counters.get(provider) ?? 0) + 1;
    counters.set(provider, n);
    cases.push({ source: 'detect-secrets', provider, ...c, file: `detect-secrets/${safe(provider)}/${pad(n)}${c.ext ?? '.txt'}` });
  };
  const dir = path.join(root, 'tests', 'plugins');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('_test.py'))
    .sort()) {
    const provider = file.replace(/_test\.py$/, '');
    const tokens = tokenizePython(readFileSync(path.join(dir, file), 'utf8'));
    const ev = new PyEvaluator(tokens);
    const origin = (line) => `tests/plugins/${file}:${line}`;
    for (let i = 0; i + 5 < tokens.length; i++) {
      if (
        !(
          tokens[i].value === '@' &&
          tokens[i + 1].value === 'pytest' &&
          tokens[i + 3].value === 'mark' &&
          tokens[i + 5].value === 'parametrize'
        )
      )
        continue;
      const open = i + 6;
      const close = matchingPy(tokens, open);
      const args = splitTopPy(tokens, open + 1, close);
      i = close;
      if (args.length < 2) continue;
      // Row by row, so that one row that cannot be evaluated does not drop the table.
      const [a, b] = args[1];
      const rowRanges =
        ['(', '['].includes(tokens[a].value) && matchingPy(tokens, a) === b - 1 ? splitTopPy(tokens, a + 1, b - 1) : undefined;
      if (!rowRanges) {
        skipped.add('parametrize: table is not a literal');
        continue;
      }
      if (DETECT_SECRETS_SKIP.has(provider)) {
        skipped.add(`plugin ${provider} (not about keys)`, rowRanges.length);
        continue;
      }
      const notCases = helperTable(tokens, args[0], close);
      if (notCases) {
        skipped.add(`parametrize table: ${notCases}`, rowRanges.length);
        continue;
      }
      for (const [ra, rb] of rowRanges) {
        let row;
        try {
          row = ev.evalRange(ra, rb);
        } catch (error) {
          skipped.add(`parametrize row: ${why(error)}`);
          continue;
        }
        // (text, should_flag) or (text, [expected secrets…])
        const expected =
          Array.isArray(row) && row.length === 2 && typeof row[0] === 'string'
            ? typeof row[1] === 'boolean'
              ? { positive: row[1], values: [] }
              : Array.isArray(row[1]) && row[1].every((v) => typeof v === 'string')
                ? { positive: row[1].length > 0, values: row[1] }
                : undefined
            : undefined;
        if (!expected) {
          skipped.add('parametrize row: not (text, bool) or (text, [secrets])');
          continue;
        }
        add(provider, { name: `parametrize row ${tokens[ra].line}`, origin: origin(tokens[ra].line), text: row[0], ...expected });
      }
    }
    // parse_test_cases([('ext', LIST), …]) over module-level lists of (line, secret|None).
    const seen = new Set();
    for (let i = 0; i < tokens.length; i++) {
      if (!(tokens[i].value === 'parse_test_cases' && tokens[i + 1]?.value === '(' && tokens[i - 1]?.value !== 'def')) continue;
      const close = matchingPy(tokens, i + 1);
      const listNames = new Map();
      // Re-read the (ext, NAME) pairs by name: the evaluated lists lose their names.
      for (let j = i + 2; j < close; j++) {
        if (tokens[j].value === '(' && tokens[j + 2]?.value === ',' && tokens[j + 3]?.type === 'name' && tokens[j + 4]?.value === ')') {
          const ext = tokens[j + 1].type === 'string' ? tokens[j + 1].value : undefined;
          if (!listNames.has(tokens[j + 3].value)) listNames.set(tokens[j + 3].value, ext);
        }
      }
      for (const [listName, ext] of listNames) {
        const def = ev.defs.get(listName);
        if (!def) continue;
        const [a, b] = def;
        if (tokens[a].value !== '[' || matchingPy(tokens, a) !== b - 1) {
          skipped.add('test-case list is not a literal');
          continue;
        }
        for (const [ra, rb] of splitTopPy(tokens, a + 1, b - 1)) {
          let row;
          try {
            row = ev.evalRange(ra, rb);
          } catch (error) {
            skipped.add(`test-case row: ${why(error)}`);
            continue;
          }
          if (!Array.isArray(row) || row.length !== 2 || typeof row[0] !== 'string') {
            skipped.add('test-case row: not (line, secret)');
            continue;
          }
          const key = `${ext}\0${row[0]}`;
          if (seen.has(key)) continue;
          seen.add(key);
          add(provider, {
            name: `${listName} (.${ext ?? 'txt'})`,
            origin: origin(tokens[ra].line),
            text: row[0],
            positive: row[1] !== null,
            values: typeof row[1] === 'string' ? [row[1]] : [],
            ext: ext ? `.${ext}` : '.txt',
          });
        }
      }
    }
  }
  const data = path.join(root, 'test_data');
  for (const [rel, positive] of Object.entries(DETECT_SECRETS_DATA)) {
    const full = path.join(data, rel);
    if (!existsSync(full)) {
      skipped.add('test_data file missing');
      continue;
    }
    cases.push({
      source: 'detect-secrets',
      provider: 'test_data',
      name: rel,
      origin: `test_data/${rel}`,
      file: `detect-secrets/test_data/${rel}`,
      text: readFileSync(full, 'utf8'),
      positive,
    });
  }
  for (const c of cases) delete c.ext;
  return { cases, skipped: skipped.counts };
}

export const EXTRACTORS = {
  trufflehog: extractTrufflehog,
  gitleaks: extractGitleaks,
  secretlint: extractSecretlint,
  'detect-secrets': extractDetectSecrets,
};

export { collectDefinitions };
