import { z } from 'zod';
import { parseDuration, parseSize } from './duration.js';
import { CONFIG_ID } from './ids.js';

/**
 * Field builders the config schema and the channel types share. A leaf: importing it does not pull
 * in the whole schema (or, through it, every channel type).
 */

export const id = (what: string) =>
  z.string().regex(CONFIG_ID, `${what} id must be letters, digits, '.', '_' or '-' (it becomes part of queue job ids)`);

export const duration = (min = 0) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration: use e.g. 10s, 5m, 1h, 30d` });
      return z.NEVER;
    }
    if (ms < min) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is below the minimum of ${min / 1000}s` });
      return z.NEVER;
    }
    return ms;
  });

export const size = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const bytes = parseSize(v);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a size: use e.g. 15MiB, 512KiB` });
    return z.NEVER;
  }
  return bytes;
});

export const throttle = z.strictObject({ max: z.number().int().positive(), per: duration(1_000) });

export const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown time zone: use an IANA name such as Europe/Berlin or UTC');
