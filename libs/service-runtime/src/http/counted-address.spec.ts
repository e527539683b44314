import { countedAddress } from './counted-address';

describe('countedAddress: the address a sign-in is counted and known under', () => {
  it('counts an IPv6 client by its /64, however it writes its address', () => {
    const network = countedAddress('2001:db8:1:2::1');
    expect(network).toBe('2001:db8:1:2::/64');
    for (const address of ['2001:db8:1:2::ffff', '2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:DB8:1:2:0:0:0:7', '2001:db8:1:2::5%eth0']) {
      expect(countedAddress(address)).toBe(network);
    }
    expect(countedAddress('2001:db8:1:3::1')).not.toBe(network);
    expect(countedAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(countedAddress('::1')).toBe('0:0:0:0::/64');
    expect(countedAddress('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64');
  });

  it('counts an IPv4 client, also as a dual-stack server sees it (IPv4-mapped), by its IPv4 address', () => {
    expect(countedAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(countedAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(countedAddress('::FFFF:cb00:7107')).toBe('203.0.113.7');
    expect(countedAddress('0:0:0:0:0:ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(countedAddress('203.0.113.8')).not.toBe(countedAddress('203.0.113.7'));
  });

  it('takes anything that is no address (none known) as it is', () => {
    expect(countedAddress('unknown')).toBe('unknown');
    expect(countedAddress('')).toBe('');
  });
});
