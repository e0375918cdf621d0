import type { Finding } from '../../detect/finding.js';
import { messages } from '../../messages.js';
import type { RuleSpec } from '../../rules/rule.js';
import { jsonText } from '../escape.js';
import type { Reporter } from '../report-context.js';

/**
 * SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps). Every rule that
 * ran is described once; each result points at its rule by index and carries a
 * `partialFingerprints` entry (the finding's fingerprint: rule + path + secret) so
 * that uploads of later runs de-duplicate. Findings arrive masked, so no raw
 * secret is written unless --show-secrets was given. Values are exact; DEL, C1
 * controls and bidi overrides are written as \u escapes (src/report/escape.ts).
 */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = 'https://www.npmjs.com/package/leakguard';
export const FINGERPRINT_KEY = 'leakguardFingerprint/v1';

/** Numeric severity GitHub shows as "critical" (>= 9.0): a live credential. */
const SECURITY_SEVERITY: Record<NonNullable<RuleSpec['confidence']>, string> = { high: '9.0', medium: '8.0', low: '7.0' };
const PRECISION: Record<NonNullable<RuleSpec['confidence']>, string> = { high: 'very-high', medium: 'high', low: 'medium' };

export const sarifReporter: Reporter = (findings, context) => {
  const rules = new Map<string, RuleSpec>();
  for (const rule of context.rules) rules.set(rule.id, rule);
  for (const f of findings) if (!rules.has(f.ruleId)) rules.set(f.ruleId, ruleFromFinding(f));
  const index = new Map([...rules.keys()].map((id, i) => [id, i]));

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'leakguard',
            version: context.toolVersion,
            semanticVersion: context.toolVersion,
            informationUri: INFORMATION_URI,
            rules: [...rules.values()].map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => result(f, index.get(f.ruleId)!)),
        properties: { source: context.source.kind, stats: { ...context.stats, baselined: context.baselined } },
      },
    ],
  };
  return `${jsonText(log)}\n`;
};

function ruleDescriptor(rule: RuleSpec) {
  const confidence = rule.confidence ?? 'high';
  const advice = [
    `${capitalize(rule.description)}. ${capitalize(messages.moveTo(rule.envVar))}: read it from the environment instead of the source.`,
  ];
  if (rule.revokeUrl) advice.push(`${capitalize(messages.revoke(rule.revokeUrl))}: a key that was committed must be treated as leaked.`);
  const markdown = [
    `**${rule.description}**`,
    '',
    `Move the key into \`.env\` as \`${rule.envVar}\` (\`npx leakguard fix\` does it for staged files) and read it from the environment.`,
  ];
  if (rule.revokeUrl)
    markdown.push('', `A key that was committed or pushed must be treated as leaked: revoke and re-create it at <${rule.revokeUrl}>.`);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: advice.join(' ') },
    ...(rule.revokeUrl ? { helpUri: rule.revokeUrl } : {}),
    help: { text: advice.join(' '), markdown: markdown.join('\n') },
    defaultConfiguration: { level: 'error' },
    properties: {
      tags: ['security', 'secret', rule.provider],
      precision: PRECISION[confidence],
      'security-severity': SECURITY_SEVERITY[confidence],
      envVar: rule.envVar,
    },
  };
}

function result(f: Finding, ruleIndex: number) {
  const where = f.commit ? ` (added in commit ${f.commit.slice(0, 12)} by ${f.author} on ${f.date})` : '';
  const verified = f.verification ? ` ${capitalize(messages.verification(f.verification))}.` : '';
  const text = `${f.description}: ${f.secret}${where}. ${capitalize(messages.moveTo(f.envVar))}${f.revokeUrl ? `; ${messages.revoke(f.revokeUrl)}` : ''}.${verified}`;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    kind: 'fail',
    level: levelOf(f),
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.commit || f.verification
      ? {
          properties: {
            ...(f.commit ? { commit: f.commit, author: f.author, date: f.date } : {}),
            ...(f.verification ? { verification: f.verification } : {}),
          },
        }
      : {}),
  };
}

/** `scan --verify`: a live key is an error, an unconfirmed one a warning, a revoked one a note. Unverified: error. */
function levelOf(f: Finding): 'error' | 'warning' | 'note' {
  const status = f.verification?.status;
  return status === 'unknown' ? 'warning' : status === 'revoked' ? 'note' : 'error';
}

/** A relative URI reference for a POSIX path: every segment percent-encoded (spaces, "#", "%", "?"). */
export function fileUri(file: string): string {
  return file
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function ruleFromFinding(f: Finding): RuleSpec {
  return {
    id: f.ruleId,
    provider: f.provider,
    description: f.description,
    regex: '',
    keywords: [],
    envVar: f.envVar,
    revokeUrl: f.revokeUrl,
    examples: { positive: [], negative: [] },
  };
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(capitalize)
    .join('');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
