import { describe, expect, it } from 'vitest';
import { formatListenAddress, isLoopback, parseListenAddress } from '../../../src/net/listen-address.js';

describe('http.listen addresses', () => {
  it('reads HOST:PORT, bracketed IPv6 and off', () => {
    expect(parseListenAddress('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress('localhost:8080')).toEqual({ host: 'localhost', port: 8080 });
    expect(parseListenAddress('off')).toBe('off');
  });

  it('says what to write for anything else', () => {
    for (const bad of ['9464', ':9464', '127.0.0.1', '127.0.0.1:70000', '::1:9464', '[nothost]:1', '']) {
      expect(parseListenAddress(bad), bad).toEqual({ error: expect.stringContaining('is not HOST:PORT: use e.g. 127.0.0.1:9464') });
    }
  });

  it('counts only loopback addresses as loopback', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.10', 'example.com', '127.example.com'].some(isLoopback)).toBe(false);
  });

  it('writes IPv6 hosts in brackets', () => {
    expect(formatListenAddress({ host: '::1', port: 9464 })).toBe('[::1]:9464');
    expect(formatListenAddress({ host: '0.0.0.0', port: 1 })).toBe('0.0.0.0:1');
  });
});
