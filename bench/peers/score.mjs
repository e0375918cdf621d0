// Scoring for the peer-suite benchmark. A case is one file: a positive is found when the
// scanner reports anything in it, a negative is flagged when it does. "By a provider
// rule": a leakguard finding from a rule whose id does not start with `generic-`. "Key
// matched": for cases whose peer test names the key, a finding's secret and the key
// share at least 8 characters (one contains the other).

const GENERIC = /^generic-/;

function overlaps(secret, value) {
  if (!secret || !value) return false;
  return (secret.length >= 8 && value.includes(secret)) || (value.length >= 8 && secret.includes(value));
}

/** Per-case results, in the order of the cases. */
export function scoreCases(cases, leakguard, gitleaks) {
  return cases.map((c) => {
    const findings = leakguard.get(c.file) ?? [];
    const result = {
      ...c,
      found: findings.length > 0,
      providerRule: findings.some((f) => !GENERIC.test(f.ruleId)),
      rules: [...new Set(findings.map((f) => f.ruleId))].sort(),
      valueMatched: c.values?.length ? findings.some((f) => c.values.some((v) => overlaps(f.secret, v))) : null,
      findings: findings.map((f) => ({ line: f.line, ruleId: f.ruleId, secret: f.secret })),
    };
    if (gitleaks) {
      const g = gitleaks.get(c.file) ?? [];
      result.gitleaks = { found: g.length > 0, rules: [...new Set(g.map((f) => f.ruleId))].sort() };
    }
    return result;
  });
}

function tally(rows) {
  const positives = rows.filter((r) => r.positive);
  const negatives = rows.filter((r) => !r.positive);
  const withValues = positives.filter((r) => r.valueMatched !== null);
  return {
    positives: positives.length,
    found: positives.filter((r) => r.found).length,
    providerRule: positives.filter((r) => r.providerRule).length,
    withValues: withValues.length,
    valueMatched: withValues.filter((r) => r.valueMatched).length,
    negatives: negatives.length,
    flagged: negatives.filter((r) => r.found).length,
    gitleaksFound: positives.filter((r) => r.gitleaks?.found).length,
    gitleaksFlagged: negatives.filter((r) => r.gitleaks?.found).length,
  };
}

/** Totals per source, overall, and per (source, provider), most positive cases first. */
export function summarize(results) {
  const sourceNames = [...new Set(results.map((r) => r.source))];
  const providerCount = (rows) => new Set(rows.filter((r) => r.positive).map((r) => `${r.source}/${r.provider}`)).size;
  const sources = sourceNames.map((source) => {
    const rows = results.filter((r) => r.source === source);
    return { source, providers: providerCount(rows), ...tally(rows) };
  });
  const total = { source: 'all', providers: providerCount(results), ...tally(results) };
  const groups = new Map();
  for (const r of results) {
    const key = `${r.source}\0${r.provider}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  const providers = [...groups.entries()]
    .map(([key, rows]) => {
      const [source, provider] = key.split('\0');
      const t = tally(rows);
      return { source, provider, ...t, recall: t.positives ? t.found / t.positives : null };
    })
    .sort(
      (a, b) =>
        b.positives - a.positives ||
        sourceNames.indexOf(a.source) - sourceNames.indexOf(b.source) ||
        (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0),
    );
  return { sources, total, providers };
}
