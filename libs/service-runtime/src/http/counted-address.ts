import { isIPv4, isIPv6 } from 'node:net';

/** The address a request came from, as the limits per address count it (Express's `ip`, which honours TRUST_PROXY). */
export const clientAddressOf = (request: { ip?: string; socket: { remoteAddress?: string } }): string => request.ip ?? request.socket.remoteAddress ?? 'unknown';

/**
 * The address a client is counted under by the limits per address (sign-ins, wrong holder names): an IPv4
 * address as it is; an IPv6 address by its /64 (`2001:db8:1:2::/64`), as a client (a home line, a phone) is handed a whole /64 and may take any address
 * in it, each of which would otherwise count afresh; an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`,
 * how a dual-stack server sees an IPv4 client) as its IPv4 address. Anything else (no address known) as it is.
 */
export function countedAddress(address: string): string {
  if (isIPv4(address)) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (its zone, `%eth0`, left out); undefined for anything else. */
function ipv6Groups(address: string): number[] | undefined {
  const bare = address.replace(/%.*$/, '');
  if (!isIPv6(bare)) return undefined;
  // A dotted IPv4 tail (`::ffff:1.2.3.4`) is the last two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(bare);
  const tail = dotted ? [(Number(dotted[1]) << 8) | Number(dotted[2]), (Number(dotted[3]) << 8) | Number(dotted[4])] : [];
  const hex = dotted ? bare.slice(0, dotted.index).replace(/([^:]):$/, '$1') : bare;
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head, rest] = hex.split('::');
  if (rest === undefined) return [...groupsOf(head), ...tail];
  const left = groupsOf(head);
  const right = [...groupsOf(rest), ...tail];
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
