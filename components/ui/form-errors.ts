import type { z } from 'zod';
import { RequestError } from '@/components/ui/api-fetch';

/** Field → message, every problem of a form at once (client-side, with the schema the server uses). */
export type FieldErrors = Record<string, string>;

/**
 * Every field error of `input` under `schema`, in plain words: `labels` names each field as the
 * form shows it ("Enter a name", not "must be a string").
 */
export function fieldErrors(schema: z.ZodType, input: unknown, labels: Record<string, string>): FieldErrors {
  const result = schema.safeParse(input);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!field || errors[field]) continue;
    const value = input && typeof input === 'object' ? (input as Record<string, unknown>)[field] : undefined;
    const missing = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    errors[field] = plain(issue.message, labels[field] ?? field, missing);
  }
  return errors;
}

/** "Enter a name." for a missing value; otherwise the schema's reason under the field's label. */
function plain(message: string, label: string, missing: boolean): string {
  if (missing) return `Enter ${article(label)}${label.toLowerCase()}.`;
  if (message.startsWith('Enter ')) return message;
  return `${label}: ${message}.`.replace(/\.\.$/, '.');
}

const article = (label: string) => (/^[aeiou]/i.test(label) ? 'an ' : 'a ');

/** A server refusal shown at its field when it names one the form has, else on top. */
export function serverFieldError(error: unknown, fields: readonly string[]): { field: string | null; message: string } | null {
  if (!error) return null;
  if (!(error instanceof RequestError)) return { field: null, message: error instanceof Error ? error.message : String(error) };
  const field = error.field?.split('.')[0] ?? null;
  const message = error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
  return { field: field && fields.includes(field) ? field : null, message: capitalize(message) };
}

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
