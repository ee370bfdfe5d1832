import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { lazyDependency } from '../lazy-dependency.js';
import { nonPublicRange, type NonPublicRange } from './address-guard.js';

const undici = lazyDependency<typeof import('undici')>('undici');

/** Resolves a host name to every address it has (dns.lookup with `all: true` by default). */
export type HostResolver = (hostname: string, options: LookupOptions) => Promise<LookupAddress[]>;

export interface DispatcherOptions {
  /** `network.deny_private`: refuse to connect to anything but public unicast addresses. */
  denyPrivate: boolean;
  /** Where host names are resolved; tests swap in a fixed answer. */
  resolve?: HostResolver;
}

/** A connection refused because its address is not public while `network.deny_private` is on. */
export class PrivateAddressError extends Error {
  readonly code = 'ERR_PRIVATE_ADDRESS';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: NonPublicRange,
  ) {
    const what = host === address ? address : `${host} resolves to ${address}, which`;
    super(`${what} is a private address (${range.kind}, ${range.range}); refused because network.deny_private is on`);
    this.name = 'PrivateAddressError';
  }
}

const resolveAll: HostResolver = (hostname, options) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * The one HTTP client setup for feeds and webhooks. With `denyPrivate`, every address is checked
 * where the socket is opened, after DNS resolution: a name that resolves (or later rebinds) to a
 * private address is refused, and so is a literal private IP, which never goes through a lookup.
 */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const { Agent, buildConnector } = undici();
  if (!opts.denyPrivate) return new Agent();
  const connector = buildConnector({ lookup: guardedLookup(opts.resolve ?? resolveAll) });
  return new Agent({
    connect: (options, callback) => {
      if (isIP(options.hostname)) {
        const range = nonPublicRange(options.hostname);
        if (range) {
          process.nextTick(() => callback(new PrivateAddressError(options.hostname, options.hostname, range), null));
          return;
        }
      }
      connector(options, callback);
    },
  });
}

function guardedLookup(resolve: HostResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options).then(
      (addresses) => {
        // Every address is checked, not just the first: the socket may try any of them.
        for (const { address } of addresses) {
          const range = nonPublicRange(address);
          if (range) return callback(new PrivateAddressError(hostname, address, range), '');
        }
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }), '');
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
