// The proxy decision for outbound HTTP (operations.md §5.4). Every client has one fixed
// destination, so the decision is made once per client at start-up and logged. undici's
// ProxyAgent and axios ignore NO_PROXY on their own; that is why the decision lives here.

import type { ProxyConfig } from '../config.js';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

interface NoProxyEntry {
  host: string;
  port: string | null;
  /** `.suffix` entries match subdomains only; bare hosts match themselves and subdomains. */
  suffixOnly: boolean;
}

function parseNoProxy(noProxy: string | null): NoProxyEntry[] | 'all' {
  if (!noProxy) return [];
  const entries: NoProxyEntry[] = [];
  for (const raw of noProxy.split(/[\s,]+/)) {
    const item = raw.trim().toLowerCase();
    if (item === '') continue;
    if (item === '*') return 'all';
    // IPv6 literals come bracketed when they carry a port: [::1]:8080.
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(item);
    if (bracketed) {
      entries.push({ host: bracketed[1] ?? '', port: bracketed[2] ?? null, suffixOnly: false });
      continue;
    }
    const portMatch = /^(.*?):(\d+)$/.exec(item);
    const hostPart = portMatch && !(portMatch[1] ?? '').includes(':') ? (portMatch[1] ?? '') : item;
    const port = portMatch && hostPart !== item ? (portMatch[2] ?? null) : null;
    const suffixOnly = hostPart.startsWith('.');
    entries.push({ host: suffixOnly ? hostPart.slice(1) : hostPart.replace(/^\*\./, ''), port, suffixOnly });
  }
  return entries;
}

/** True when `url` should go through the proxy, i.e. NO_PROXY does not exclude it. */
export function shouldProxy(url: string | URL, noProxy: string | null): boolean {
  const target = typeof url === 'string' ? new URL(url) : url;
  const entries = parseNoProxy(noProxy);
  if (entries === 'all') return false;
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || DEFAULT_PORTS[target.protocol] || '';
  for (const entry of entries) {
    if (entry.port !== null && entry.port !== port) continue;
    const exact = host === entry.host;
    const subdomain = host.endsWith(`.${entry.host}`);
    if (entry.suffixOnly ? subdomain || exact : exact || subdomain) return false;
  }
  return true;
}

/** The proxy URL for a destination, or null when it goes direct. HTTPS_PROXY wins for https. */
export function proxyUrlFor(url: string | URL, proxy: ProxyConfig): string | null {
  const target = typeof url === 'string' ? new URL(url) : url;
  const candidate = target.protocol === 'https:' ? (proxy.httpsProxy ?? proxy.httpProxy) : proxy.httpProxy;
  if (!candidate) return null;
  return shouldProxy(target, proxy.noProxy) ? candidate : null;
}

/** A proxy URL reduced to scheme and host (never credentials or path), for logs; null stays null. */
export function maskProxyUrl(proxyUrl: string): string;
export function maskProxyUrl(proxyUrl: string | null): string | null;
export function maskProxyUrl(proxyUrl: string | null): string | null {
  if (proxyUrl === null) return null;
  try {
    const u = new URL(proxyUrl);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '***';
  }
}

/** Per client: its destination origin and `direct` or the masked proxy, for the start-up log. */
export function describeProxyDecisions(destinations: Record<string, string>, proxy: ProxyConfig): Record<string, { destination: string; via: string }> {
  const out: Record<string, { destination: string; via: string }> = {};
  for (const [client, url] of Object.entries(destinations)) {
    let via = 'direct';
    let destination = url;
    try {
      const target = new URL(url);
      destination = target.origin;
      const chosen = proxyUrlFor(target, proxy);
      if (chosen) via = maskProxyUrl(chosen);
    } catch {
      via = 'invalid destination';
    }
    out[client] = { destination, via };
  }
  return out;
}
