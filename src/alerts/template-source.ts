import type { Liquid } from 'liquidjs';
import { z } from 'zod';
import { lazyDependency } from '../lazy-dependency.js';
import { escapeMarkdown } from './markdown.js';

/**
 * Channel templates (Liquid): a channel may replace the title, the body and (email) the subject of
 * what it sends. This leaf holds the engines and the `template:` config schema, which parses every
 * template when the config loads: validating a config needs it, but none of the rendering
 * (`templates.ts`: view model, facts, payloads).
 */

export type TemplateField = 'title' | 'body' | 'subject';
export type TemplateSpec = Partial<Record<TemplateField, string>>;
/**
 * How every `{{ output }}` is escaped; literal template text is kept as written. `html`: email HTML part,
 * Telegram. `markdown`: Discord and Teams, so feed text cannot plant links or formatting.
 */
export type TemplateEscaping = 'none' | 'html' | 'markdown';

const engineOptions = {
  // A typo in a filter name is a config error at load, not an empty string in production.
  strictFilters: true,
  ownPropertyOnly: true,
  // No file system: `include`/`render` of files on the host is not something a channel template needs.
  templates: {},
  parseLimit: 100_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
};
const liquidjs = lazyDependency<typeof import('liquidjs')>('liquidjs');
let builtEngines: Record<TemplateEscaping, Liquid> | undefined;
/** Built when a channel first has a template: most configs have none. */
export function engines(): Record<TemplateEscaping, Liquid> {
  const { Liquid } = liquidjs();
  builtEngines ??= {
    none: new Liquid(engineOptions),
    html: new Liquid({ ...engineOptions, outputEscape: 'escape' }),
    markdown: new Liquid({ ...engineOptions, outputEscape: (value: unknown) => escapeMarkdown(String(value ?? '')) }),
  };
  return builtEngines;
}

/** The syntax error of a template source, or undefined when it parses. */
export function templateSyntaxError(source: string): string | undefined {
  try {
    engines().none.parse(source);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

const templateSource = z.string().superRefine((source, ctx) => {
  const error = templateSyntaxError(source);
  if (error) ctx.addIssue({ code: 'custom', message: `template does not parse: ${error}` });
});

/** The `template:` key of a channel's config, accepting the fields that channel renders. */
export function templateSchema<const F extends TemplateField>(fields: readonly F[]) {
  const shape = Object.fromEntries(fields.map((f) => [f, templateSource.optional()])) as { [K in F]: z.ZodOptional<typeof templateSource> };
  return z.strictObject(shape);
}
