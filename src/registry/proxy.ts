// Which proxy a request of the action goes through: HTTPS_PROXY, HTTP_PROXY and NO_PROXY read
// as docker reads them (Go's net/http ProxyFromEnvironment), so the action's own requests
// take the way the docker CLI and buildx take on a runner behind a proxy. Pure.

type Env = Record<string, string | undefined>;

/** The first of the variables that is set and not empty; upper case first, as Go does. */
function variable(env: Env, name: string): string {
  return env[name] || env[name.toLowerCase()] || '';
}

/**
 * The proxy URL for a request to `url`, or '' for a direct connection:
 * - `https:` requests use HTTPS_PROXY, `http:` ones HTTP_PROXY (a value without a scheme is
 *   `http://`);
 * - `localhost` and loopback addresses are never proxied;
 * - NO_PROXY is a comma-separated list of `*` (nothing is proxied), IP addresses, CIDR ranges
 *   (`10.0.0.0/8`), and host names with an optional `:port`: `example.com` matches it and its
 *   subdomains, `.example.com` and `*.example.com` only its subdomains.
 */
export function proxyFor(url: URL, env: Env): string {
  const proxy = variable(env, url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY').trim();
  if (!proxy) return '';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (host === 'localhost' || isLoopback(host)) return '';
  if (bypassed(host, port, variable(env, 'NO_PROXY'))) return '';
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function bypassed(host: string, port: string, noProxy: string): boolean {
  const ip = parseIp(host);
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (ip && inCidr(ip, entry)) return true;
      continue;
    }
    let name = entry;
    let entryPort = '';
    const colon = entry.lastIndexOf(':');
    // host:port, [v6]:port; a bare IPv6 address has more than one colon and no brackets.
    if (colon > 0 && (entry.startsWith('[') || entry.indexOf(':') === colon)) {
      name = entry.slice(0, colon);
      entryPort = entry.slice(colon + 1);
    }
    name = name.replace(/^\[|\]$/g, '');
    if (entryPort && entryPort !== port) continue;
    const entryIp = parseIp(name);
    if (entryIp) {
      if (ip && sameIp(ip, entryIp)) return true;
      continue;
    }
    if (ip) continue;
    if (name.startsWith('*.')) name = name.slice(1);
    if (name.startsWith('.')) {
      if (host.endsWith(name)) return true;
    } else if (host === name || host.endsWith(`.${name}`)) {
      return true;
    }
  }
  return false;
}

function isLoopback(host: string): boolean {
  const ip = parseIp(host);
  if (!ip) return false;
  if (ip.length === 4) return ip[0] === 127;
  return ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
}

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address; undefined for a host name. */
function parseIp(text: string): number[] | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? bytes : undefined;
  }
  if (!text.includes(':') || !/^[0-9a-f:.]+$/.test(text)) return undefined;
  const [head = '', tail, ...rest] = text.split('::');
  if (rest.length > 0) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (!part) return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
      const value = parseInt(group, 16);
      out.push(value >> 8, value & 255);
    }
    return out;
  };
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  if (!left || !right) return undefined;
  if (tail === undefined) return left.length === 16 ? left : undefined;
  const fill = 16 - left.length - right.length;
  return fill < 0 ? undefined : [...left, ...Array<number>(fill).fill(0), ...right];
}

function sameIp(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function inCidr(ip: number[], cidr: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/');
  const network = parseIp(base);
  const bits = Number(bitsText);
  if (!network || network.length !== ip.length || !/^\d+$/.test(bitsText)) return false;
  if (bits > network.length * 8) return false;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i % 8);
    if ((ip[i >> 3] & mask) !== (network[i >> 3] & mask)) return false;
  }
  return true;
}
