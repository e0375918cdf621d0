/**
 * The template fields of a verification request: `{{secret}}` and `{{companion}}`.
 * Nothing else is expanded; an unknown field is a rule error found at build time.
 */
export const TEMPLATE_FIELDS = ['secret', 'companion'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type TemplateValues = Partial<Record<TemplateField, string>>;

const FIELD = /\{\{\s*([A-Za-z0-9_.-]*)\s*\}\}/g;

/** The field names used in `text`, in order (unknown ones included, for the checks). */
export function templateFields(text: string): string[] {
  return [...text.matchAll(FIELD)].map((m) => m[1]!);
}

/** `text` with each field replaced by its value passed through `encode`. */
export function renderTemplate(text: string, values: TemplateValues, encode: (value: string) => string = (v) => v): string {
  return text.replace(FIELD, (_match, name: string) => {
    const value = values[name as TemplateField];
    if (value === undefined) throw new Error(`template field {{${name}}} has no value`);
    return encode(value);
  });
}

/** A value may go into a header, a URL or a body only when it is printable ASCII without spaces. */
export function isSafeValue(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}
