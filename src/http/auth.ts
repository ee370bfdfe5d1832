import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Settings } from '../config/schema.js';

export type HttpAuthConfig = NonNullable<Settings['http']['auth']>;

const digest = (text: string) => createHash('sha256').update(text).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * Checks an Authorization header against `http.auth`. bcrypt is slow on purpose, so a credential that
 * verified once is remembered (by its SHA-256) instead of being hashed again on every scrape.
 */
export class HttpAuthorizer {
  private readonly verified = new Set<string>();

  constructor(private readonly config: HttpAuthConfig) {}

  /** The WWW-Authenticate challenge sent with a 401. */
  get challenge(): string {
    return 'bearer_token' in this.config ? 'Bearer realm="newswatch"' : 'Basic realm="newswatch", charset="UTF-8"';
  }

  async allows(header: string | undefined): Promise<boolean> {
    if (!header) return false;
    if ('bearer_token' in this.config) {
      const token = /^Bearer (.+)$/i.exec(header)?.[1];
      return token !== undefined && same(token.trim(), this.config.bearer_token);
    }
    const encoded = /^Basic (.+)$/i.exec(header)?.[1];
    if (!encoded) return false;
    const credential = Buffer.from(encoded.trim(), 'base64').toString('utf8');
    const colon = credential.indexOf(':');
    if (colon < 0 || !same(credential.slice(0, colon), this.config.basic.user)) return false;
    const key = digest(credential).toString('base64');
    if (this.verified.has(key)) return true;
    const ok = await bcrypt.compare(credential.slice(colon + 1), this.config.basic.password_hash);
    if (ok) this.verified.add(key);
    return ok;
  }
}
