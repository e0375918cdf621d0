/**
 * A validator for the part of JSON Schema (draft-07) that rules/schema.json uses:
 * type, required, properties, additionalProperties, pattern, enum, minLength,
 * minimum, maximum, items, minItems, uniqueItems, allOf, oneOf, boolean schemas and $ref
 * to the schema's own definitions. ajv is a build-time tool and too large for the
 * hook; this reads the same schema at run time, for built-in and custom rules alike
 * (test/unit/rule-schema.test.ts checks that ajv agrees with it).
 *
 * A keyword it does not know throws: a schema it would read only in part is a bug,
 * not a pass. Messages never quote the value checked (it may be a secret).
 */
import { closestMatch } from '../text/did-you-mean.js';

export type Schema = boolean | { readonly [keyword: string]: unknown };
/** Where a problem is: property names and array indexes from the value checked. */
export type SchemaPath = ReadonlyArray<string | number>;

export interface SchemaProblem {
  path: SchemaPath;
  reason: string;
}

/** The reason given where the schema is `false`. */
export const NOT_ALLOWED = 'is not allowed here';

/** Keywords that describe and do not constrain. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'definitions', 'default', 'examples']);

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

/** The first problem of `value` against `schema` (a part of `root`), or undefined when it is valid. */
export function schemaProblem(root: Schema, schema: Schema, value: unknown, path: SchemaPath = []): SchemaProblem | undefined {
  if (schema === true) return undefined;
  if (schema === false) return { path, reason: NOT_ALLOWED };
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !(keyword in CHECKS))
      throw new Error(`rules schema: keyword "${keyword}" is not supported by src/rules/json-schema.ts`);
  }
  for (const [keyword, check] of Object.entries(CHECKS)) {
    if (!(keyword in schema)) continue;
    const problem = check(schema[keyword] as never, { root, schema, value, path });
    if (problem) return problem;
  }
  return undefined;
}

/** A path as messages show it: `rules[3].keywords[0]`; `name` shows a property name (one the user wrote may be a pasted value). */
export function formatPath(path: SchemaPath, name: (key: string) => string = (key) => key): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${name(part)}`;
  return out;
}

interface Context {
  root: Schema;
  schema: { readonly [keyword: string]: unknown };
  value: unknown;
  path: SchemaPath;
}

type Check = (argument: never, context: Context) => SchemaProblem | undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`rules schema: only local $refs are supported, not "${ref}"`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  }
  if (node === undefined) throw new Error(`rules schema: $ref "${ref}" points nowhere`);
  return node as Schema;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** In this order: a value of the wrong type is reported as that, not as what its parts lack. */
const CHECKS: Record<string, Check> = {
  $ref: (ref: string, { root, value, path }) => schemaProblem(root, resolve(root, ref), value, path),
  allOf: (schemas: Schema[], { root, value, path }) => {
    for (const schema of schemas) {
      const problem = schemaProblem(root, schema, value, path);
      if (problem) return problem;
    }
    return undefined;
  },
  oneOf: (schemas: Schema[], { root, value, path }) => {
    const problems = schemas.map((schema) => schemaProblem(root, schema, value, path));
    const passed = problems.filter((p) => p === undefined).length;
    if (passed === 1) return undefined;
    if (passed > 1) return { path, reason: `fits more than one of its ${schemas.length} forms` };
    // The form whose required fields the value has is the one meant: its problem is the one to show.
    const required = schemas.map((schema) =>
      typeof schema === 'object' && Array.isArray(schema.required) ? (schema.required as string[]) : [],
    );
    const meant = problems.filter(
      (_, i) => isObject(value) && required[i]!.length > 0 && required[i]!.every((name) => Object.hasOwn(value, name)),
    );
    if (meant.length === 1) return meant[0];
    const forms = required.every((names) => names.length > 0) ? ` (${required.map((names) => names.join(', ')).join('; or ')})` : '';
    return { path, reason: `fits none of its ${schemas.length} forms${forms}` };
  },
  type: (type: string | string[], { value, path }) => {
    const types = Array.isArray(type) ? type : [type];
    const actual = typeOf(value);
    const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    return ok ? undefined : { path, reason: `must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}` };
  },
  enum: (values: unknown[], { value, path }) =>
    values.some((v) => sameJson(v, value))
      ? undefined
      : { path, reason: `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}` },
  required: (names: string[], { value, path }) => {
    if (!isObject(value)) return undefined;
    const missing = names.find((name) => !Object.hasOwn(value, name));
    return missing === undefined ? undefined : { path: [...path, missing], reason: 'is required' };
  },
  properties: (properties: Record<string, Schema>, { root, value, path }) => {
    if (!isObject(value)) return undefined;
    for (const [key, item] of Object.entries(value)) {
      if (!Object.hasOwn(properties, key)) continue;
      const problem = schemaProblem(root, properties[key]!, item, [...path, key]);
      if (problem) return problem;
    }
    return undefined;
  },
  additionalProperties: (additional: Schema, { root, schema, value, path }) => {
    if (!isObject(value)) return undefined;
    const known = isObject(schema.properties) ? schema.properties : {};
    for (const [key, item] of Object.entries(value)) {
      if (Object.hasOwn(known, key)) continue;
      if (additional === false) {
        // A field the schema names with `false` (left out of this kind) is not suggested.
        const near = closestMatch(
          key,
          Object.keys(known).filter((name) => known[name] !== false),
        );
        return { path: [...path, key], reason: near ? `unknown field; did you mean "${near}"?` : 'unknown field' };
      }
      const problem = schemaProblem(root, additional, item, [...path, key]);
      if (problem) return problem;
    }
    return undefined;
  },
  minLength: (min: number, { value, path }) => {
    if (typeof value !== 'string' || [...value].length >= min) return undefined;
    return { path, reason: min === 1 ? 'must not be empty' : `must be at least ${min} characters long` };
  },
  pattern: (pattern: string, { value, path }) =>
    typeof value !== 'string' || new RegExp(pattern, 'u').test(value) ? undefined : { path, reason: `must match ${pattern}` },
  minimum: (min: number, { value, path }) =>
    typeof value !== 'number' || value >= min ? undefined : { path, reason: `must be at least ${min}` },
  maximum: (max: number, { value, path }) =>
    typeof value !== 'number' || value <= max ? undefined : { path, reason: `must be at most ${max}` },
  minItems: (min: number, { value, path }) => {
    if (!Array.isArray(value) || value.length >= min) return undefined;
    return { path, reason: min === 1 ? 'must not be empty' : `must have at least ${min} items` };
  },
  uniqueItems: (unique: boolean, { value, path }) => {
    if (!unique || !Array.isArray(value)) return undefined;
    const at = value.findIndex((item, i) => value.slice(0, i).some((earlier) => sameJson(earlier, item)));
    return at === -1 ? undefined : { path: [...path, at], reason: 'repeats an earlier item' };
  },
  items: (items: Schema, { root, value, path }) => {
    if (!Array.isArray(value)) return undefined;
    for (const [i, item] of value.entries()) {
      const problem = schemaProblem(root, items, item, [...path, i]);
      if (problem) return problem;
    }
    return undefined;
  },
};
