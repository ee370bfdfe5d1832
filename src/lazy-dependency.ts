import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A dependency loaded on its first use, synchronously: `check-config` and `test-rule` never send mail
 * or POST a webhook, so they should not pay for loading nodemailer, undici or liquidjs (issue 10: a
 * CLI command starts in 0.3 s). Types come from `typeof import(...)`, which costs nothing at run time.
 */
export function lazyDependency<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(name) as T;
    return loaded;
  };
}
