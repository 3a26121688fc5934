import { describe, expect, it } from 'vitest';
import { allowlistEntryFor, createAddressPolicy } from './ssrf';

describe('createAddressPolicy without an allow-list', () => {
  const policy = createAddressPolicy('');

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
  ])('blocks %s (%s)', (ip, range) => {
    const check = policy.checkAddress(ip);
    expect(check).toMatchObject({ allowed: false, range });
  });

  it('judges IPv4-mapped IPv6 as the IPv4 address it carries', () => {
    expect(policy.checkAddress('::ffff:127.0.0.1')).toEqual({
      allowed: false,
      address: '127.0.0.1',
      range: 'loopback',
      description: 'a loopback address',
      reason: '127.0.0.1 is a loopback address',
    });
    expect(policy.checkAddress('::ffff:7f00:1')).toMatchObject({ allowed: false, address: '127.0.0.1' });
    expect(policy.checkAddress('::ffff:a9fe:a9fe')).toMatchObject({ allowed: false, range: 'linkLocal' });
    expect(policy.checkAddress('::ffff:8.8.8.8')).toEqual({ allowed: true });
  });

  it('blocks IPv4-compatible IPv6 (::/96), which can carry an internal IPv4 address', () => {
    for (const ip of ['::127.0.0.1', '::7f00:1', '[::a9fe:a9fe]', '::10.0.0.1', '::8.8.8.8']) {
      expect(policy.checkAddress(ip)).toMatchObject({ allowed: false, range: 'ipv4Compatible' });
    }
    expect(policy.checkAddress('::1')).toMatchObject({ allowed: false, range: 'loopback' });
    expect(policy.checkAddress('::')).toMatchObject({ allowed: false, range: 'unspecified' });
    // An operator can still open one on purpose.
    expect(createAddressPolicy('::a00:1/128').checkAddress('::10.0.0.1')).toEqual({ allowed: true });
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '[2a00:1450::1]',
  ])('allows public unicast %s', (ip) => {
    expect(policy.checkAddress(ip)).toEqual({ allowed: true });
  });

  it('refuses text that is not a canonical IP address instead of guessing', () => {
    for (const text of ['127.1', '2130706433', '0x7f000001', 'localhost', '', '1.2.3.4.5']) {
      expect(policy.checkAddress(text)).toMatchObject({ allowed: false, range: 'invalid' });
    }
  });

  it('allows no hostname', () => {
    expect(policy.isHostnameAllowed('localhost')).toBe(false);
    expect(policy.isHostnameAllowed('example.com')).toBe(false);
  });
});

describe('createAddressPolicy with SSRF_ALLOWLIST', () => {
  const policy = createAddressPolicy(
    ' 10.20.0.0/16, intranet.local ,127.0.0.1/32,fd12:3456::/32,192.168.5.7,*.corp.example,',
  );

  it('allows addresses inside allow-listed ranges and keeps blocking the rest', () => {
    expect(policy.checkAddress('10.20.0.1')).toEqual({ allowed: true });
    expect(policy.checkAddress('10.20.255.255')).toEqual({ allowed: true });
    expect(policy.checkAddress('10.21.0.1')).toMatchObject({ allowed: false, range: 'private' });
    expect(policy.checkAddress('127.0.0.1')).toEqual({ allowed: true });
    expect(policy.checkAddress('::ffff:127.0.0.1')).toEqual({ allowed: true });
    expect(policy.checkAddress('127.0.0.2')).toMatchObject({ allowed: false, range: 'loopback' });
    expect(policy.checkAddress('fd12:3456::1')).toEqual({ allowed: true });
    expect(policy.checkAddress('fd00:ec2::254')).toMatchObject({ allowed: false });
    expect(policy.checkAddress('192.168.5.7')).toEqual({ allowed: true });
    expect(policy.checkAddress('192.168.5.8')).toMatchObject({ allowed: false });
    expect(policy.checkAddress('169.254.169.254')).toMatchObject({ allowed: false });
  });

  it('matches hostnames case-insensitively, with an optional trailing dot and *. for subdomains', () => {
    expect(policy.isHostnameAllowed('intranet.local')).toBe(true);
    expect(policy.isHostnameAllowed('INTRANET.Local.')).toBe(true);
    expect(policy.isHostnameAllowed('api.intranet.local')).toBe(false);
    expect(policy.isHostnameAllowed('a.corp.example')).toBe(true);
    expect(policy.isHostnameAllowed('a.b.corp.example')).toBe(true);
    expect(policy.isHostnameAllowed('corp.example')).toBe(false);
    expect(policy.isHostnameAllowed('evilcorp.example')).toBe(false);
    expect(policy.isHostnameAllowed('10.20.0.1')).toBe(false);
  });

  it.each(['10.0.0.0/33', '10.0.0/8', 'http://intranet.local', 'two words', '1.2.3.4/x', '::1/129'])(
    'rejects the malformed entry %s with a message saying how to write it',
    (entry) => {
      expect(() => createAddressPolicy(entry)).toThrow(/SSRF_ALLOWLIST entry/);
    },
  );
});

describe('allowlistEntryFor', () => {
  it('suggests a single-address range', () => {
    expect(allowlistEntryFor('127.0.0.1')).toBe('127.0.0.1/32');
    expect(allowlistEntryFor('[::1]')).toBe('::1/128');
  });
});
