import type { z } from 'zod';
import { closestName } from '../text/edit-distance.js';

/**
 * Validation issues in words a person writing YAML knows. zod's own messages ("Invalid discriminator
 * value", "expected record, received array") name its types; messages our schemas set themselves are
 * already written for users and are kept as they are.
 */

const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized)/;

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'keys with values (key: value lines)',
  record: 'keys with values (key: value lines)',
  date: 'a date',
};

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null || value === '') return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'keys with values';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the fraction ${value}`;
  return String(value);
}

const lastKey = (path: readonly PropertyKey[]) => String([...path].reverse().find((k) => typeof k === 'string') ?? 'the value');

const oneOf = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ');

function suggestion(value: unknown, options: readonly unknown[]): string {
  if (typeof value !== 'string') return '';
  const close = closestName(value, options.map(String));
  return close ? ` (did you mean "${close}"?)` : '';
}

/**
 * A user's words for one issue; `data` is what was validated (so the offending value can be quoted),
 * found at `at` in its file (so a channel's type can be called that).
 */
export function describeIssue(issue: z.core.$ZodIssue, data: unknown, at: readonly PropertyKey[] = []): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  const value = valueAt(data, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `${lastKey(issue.path)} is required`;
      return `expected ${KINDS[issue.expected] ?? issue.expected}, found ${describeValue(value)}`;
    case 'invalid_value':
      return `${describeValue(value)} is not allowed${suggestion(value, issue.values)}; use one of: ${oneOf(issue.values)}`;
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        const what = [...at, ...issue.path].includes('channels') ? `channel ${issue.discriminator}` : issue.discriminator;
        if (value === undefined) return `${issue.discriminator} is required; known ${what}s: ${oneOf(options)}`;
        return `unknown ${what} ${typeof value === 'string' ? `"${value}"` : describeValue(value)}${suggestion(value, options)}; known ${what}s: ${oneOf(options)}`;
      }
      // Not one of several shapes: the shape that came closest says best what is wrong.
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]?.[0];
      return closest
        ? describeIssue({ ...closest, path: [...issue.path, ...closest.path] } as z.core.$ZodIssue, data, at)
        : `${describeValue(value)} is not allowed here`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `takes at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
    case 'invalid_format':
      return `${describeValue(value)} is not a valid ${issue.format}`;
    default:
      return `${describeValue(value)} is not allowed here`;
  }
}
