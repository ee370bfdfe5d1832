import { describe, expect, it } from 'vitest';
import { isPrivateAddress, nonPublicRange } from '../../../src/net/address-guard.js';

describe('isPrivateAddress', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.255.255.255', 'unspecified'],
    ['10.0.0.0', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.0', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
  ])('IPv4 %s is %s', (ip, kind) => {
    expect(isPrivateAddress(ip)).toBe(true);
    expect(nonPublicRange(ip)?.kind).toBe(kind);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '223.255.255.255',
  ])('IPv4 %s just outside the ranges is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));

  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fdff:ffff::1', 'unique-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['::7f00:1', 'reserved'],
  ])('IPv6 %s is %s', (ip, kind) => {
    expect(nonPublicRange(ip)?.kind).toBe(kind);
  });

  it.each(['2606:4700:4700::1111', '2001:4860:4860::8888', 'fbff:ffff::1', 'fe7f::1', 'ff::1'])('IPv6 %s is public', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );

  it.each([
    ['::ffff:127.0.0.1', 'loopback', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'loopback', 'IPv4-mapped'],
    ['::FFFF:10.1.2.3', 'private', 'IPv4-mapped'],
    ['::ffff:169.254.169.254', 'link-local', 'IPv4-mapped'],
    ['::ffff:100.64.0.1', 'carrier-grade NAT', 'IPv4-mapped'],
    ['::ffff:0.0.0.0', 'unspecified', 'IPv4-mapped'],
    ['::ffff:0:192.168.0.1', 'private', 'IPv4-translated'],
    ['64:ff9b::127.0.0.1', 'loopback', 'NAT64'],
    ['64:ff9b::a00:1', 'private', 'NAT64'],
    ['2002:7f00:1::', 'loopback', '6to4'],
    ['2002:c0a8:101::1', 'private', '6to4'],
  ])('IPv6 form %s of a private IPv4 address is %s (%s)', (ip, kind, form) => {
    const range = nonPublicRange(ip);
    expect(range?.kind).toBe(kind);
    expect(range?.range).toContain(form);
  });

  it.each(['::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])('IPv6 form %s of a public IPv4 address is public', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );

  it('names the range that matched', () => {
    expect(nonPublicRange('172.20.0.1')).toEqual({ kind: 'private', range: '172.16.0.0/12' });
  });

  it.each(['localhost', 'example.com', '', '127.1', '1.2.3.4.5', '::g'])('rejects %j: host names must be resolved first', (input) => {
    expect(() => isPrivateAddress(input)).toThrow(TypeError);
  });
});
