import type { z } from 'zod';
import { STEM_LANGUAGES } from '../rules/stemming.js';
import { parseDuration } from './fields/duration.js';
import { CONFIG_ID } from './fields/ids.js';
import { ruleSchema, type rulesFileSchema } from './schema.js';

type RulesFile = z.output<typeof rulesFileSchema>;
type Rule = z.output<typeof ruleSchema>;

/**
 * A rules file's validated value without zod for the usual rule: zod's rule schema is about a tenth of a
 * 100,000-rule load, most of it for rules that are fine. A rule this check is not sure of (a throttle, a
 * value of another type) goes through `ruleSchema` alone; undefined when the file's shape is unusual or
 * a rule is invalid, so that the caller validates the whole file with zod, and every message (its path,
 * its words) is the one zod's issues make. What this returns is what `rulesFileSchema` would: the same
 * keys in the same order, defaults filled in.
 */
export function wellFormedRulesFile(data: unknown): RulesFile | undefined {
  if (!isPlainObject(data)) return undefined;
  for (const key in data) if (key !== 'rules') return undefined;
  const list = data.rules;
  if (list === undefined) return 'rules' in data ? undefined : { rules: [] };
  if (!Array.isArray(list)) return undefined;
  const rules: Rule[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    let rule = wellFormedRule(list[i]);
    if (rule === undefined) {
      const checked = ruleSchema.safeParse(list[i]);
      if (!checked.success) return undefined;
      rule = checked.data;
    }
    rules[i] = rule;
  }
  return { rules };
}

const SEVERITIES = new Set(['info', 'low', 'medium', 'high', 'critical']);
const STEMS = new Set(STEM_LANGUAGES);
/** The rule keys this check reads; any other key (throttle, a typo) is left to zod. */
const KNOWN = new Set([
  'id',
  'name',
  'query',
  'exclude',
  'channels',
  'enabled',
  'feeds',
  'tags',
  'max_age',
  'follow_up',
  'severity',
  'labels',
  'stem',
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function isStringList(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** The rule as `ruleSchema` outputs it, or undefined when this check cannot vouch for it. */
function wellFormedRule(input: unknown): Rule | undefined {
  if (!isPlainObject(input)) return undefined;
  for (const key in input) if (!KNOWN.has(key)) return undefined;
  const { id, name, query, exclude, channels, enabled, feeds, tags, max_age, follow_up, severity, labels, stem } = input;
  if (typeof id !== 'string' || !CONFIG_ID.test(id) || !isNonEmptyString(name) || !isNonEmptyString(query)) return undefined;
  if (exclude !== undefined && typeof exclude !== 'string') return undefined;
  if (!isStringList(channels) || channels.length === 0) return undefined;
  if (enabled !== undefined && typeof enabled !== 'boolean') return undefined;
  if (feeds !== undefined && !isStringList(feeds)) return undefined;
  if (tags !== undefined && !isStringList(tags)) return undefined;
  let maxAgeMs: number | undefined;
  if (max_age !== undefined) {
    if (typeof max_age !== 'string' && typeof max_age !== 'number') return undefined;
    if (typeof max_age === 'number' && !Number.isFinite(max_age)) return undefined;
    maxAgeMs = parseDuration(max_age);
    if (maxAgeMs === undefined || !(maxAgeMs >= 0)) return undefined;
  }
  if (follow_up !== undefined && !(typeof follow_up === 'number' && Number.isSafeInteger(follow_up) && follow_up >= 2)) return undefined;
  if (severity !== undefined && !(typeof severity === 'string' && SEVERITIES.has(severity))) return undefined;
  if (labels !== undefined) {
    if (!isPlainObject(labels)) return undefined;
    for (const key in labels) if (key === '__proto__' || typeof labels[key] !== 'string') return undefined;
  }
  if (stem !== undefined && !(typeof stem === 'string' && STEMS.has(stem))) return undefined;
  // Built in the schema's key order, optional keys only when given, as zod's output is.
  const rule: Rule = { id, name, query } as Rule;
  if (exclude !== undefined) rule.exclude = exclude;
  // Lists and labels are the parsed file's own, and nothing else holds them: no copy per rule.
  rule.channels = channels;
  rule.enabled = enabled ?? true;
  if (feeds !== undefined) rule.feeds = feeds;
  if (tags !== undefined) rule.tags = tags;
  if (maxAgeMs !== undefined) rule.max_age = maxAgeMs;
  if (follow_up !== undefined) rule.follow_up = follow_up;
  rule.severity = (severity ?? 'medium') as Rule['severity'];
  rule.labels = labels === undefined ? {} : (labels as Record<string, string>);
  if (stem !== undefined) rule.stem = stem;
  return rule;
}
