import { describe, expect, it } from 'vitest';
import { clientNetwork } from '../../src/auth/network.js';

describe('clientNetwork', () => {
  it('keeps an IPv4 address, and takes an IPv4-mapped IPv6 address as its IPv4', () => {
    expect(clientNetwork('192.0.2.7')).toBe('192.0.2.7');
    expect(clientNetwork('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientNetwork('::FFFF:192.0.2.7')).toBe('192.0.2.7');
  });

  it('counts any IPv6 address as its /64, however it is written', () => {
    const network = '2001:db8:0:a::/64';
    for (const address of ['2001:db8:0:a::1', '2001:0DB8:0000:000A:ffff:1:2:3', '2001:db8::a:0:0:0:9', '2001:db8:0:a:1::1.2.3.4', 'fe80::1%eth0'.replace('fe80::1', '2001:db8:0:a::2')]) {
      expect(clientNetwork(address), address).toBe(network);
    }
    expect(clientNetwork('2001:db8:0:b::1')).toBe('2001:db8:0:b::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('1::2:3:4:5:1.2.3.4')).toBe('1:0:2:3::/64');
  });

  it('names a request without an address', () => {
    expect(clientNetwork(undefined)).toBe('unknown');
  });
});
