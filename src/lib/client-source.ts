/**
 * The client a request comes from, as rate limits and login throttling count it: an IPv4 address
 * as is, an IPv6 address as its /64 prefix (one subscriber line or host usually holds a whole /64,
 * so counting single addresses would let it multiply its quota), `unknown` without an address.
 */
export function clientSource(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip.slice(0, 64);
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+/, '') || '0')
    .join(':')}::/64`;
}
