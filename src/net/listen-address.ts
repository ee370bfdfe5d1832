import { isIP } from 'node:net';

/** Where the HTTP listener binds: `HOST:PORT` (`[::1]:9464` for IPv6); port 0 picks a free one. */
export interface ListenAddress {
  host: string;
  port: number;
}

export const DEFAULT_LISTEN = '127.0.0.1:9464';

/** `HOST:PORT` -> the address; `off` -> 'off'; anything else -> a message saying what to write. */
export function parseListenAddress(text: string): ListenAddress | 'off' | { error: string } {
  const value = text.trim();
  if (value === 'off') return 'off';
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (!match || !host || port > 65_535 || (match[1] !== undefined && isIP(match[1]) !== 6)) {
    return { error: `"${text}" is not HOST:PORT: use e.g. 127.0.0.1:9464, 0.0.0.0:9464, [::1]:9464, or off` };
  }
  return { host, port };
}

/** Only these stay on the machine; anything else (0.0.0.0, ::, a LAN address, a name) needs http.auth. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export function formatListenAddress({ host, port }: ListenAddress): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
