import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule from 'ajv';
import { PROJECT_ROOT } from './repo.js';

/**
 * A validator for the official SARIF 2.1.0 schema (test/fixtures, vendored verbatim).
 * The schema is draft-04; its only draft-04-only keyword is the top-level "id",
 * which draft-07 spells "$id". Formats are checked with small regexes.
 */
export function sarifValidator() {
  const {
    id,
    $schema: _meta,
    ...schema
  } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/sarif-schema-2.1.0.json'), 'utf8'));
  const ajv = new AjvModule.default({
    strict: false,
    allErrors: true,
    formats: {
      uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
      'uri-reference': /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$/,
      'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/,
    },
  });
  return ajv.compile({ ...schema, $id: id });
}
