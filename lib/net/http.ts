// Outbound HTTP agents for the backend callback (undici) and GOV.UK Notify (axios), per
// operations.md §5.4. The proxy decision is taken once per destination by proxy.ts; every agent
// pins TLS ≥ 1.2. Nothing here touches a global dispatcher or global agent.

import http from 'node:http';
import https from 'node:https';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { ProxyConfig } from '../config.js';
import { maskProxyUrl, proxyUrlFor } from './proxy.js';

const TLS_MIN = 'TLSv1.2' as const;

/** What was decided for a destination, for the start-up log line. */
export interface ProxyDecision {
  destination: string;
  proxied: boolean;
  /** Masked proxy URL (scheme and host only), or null when direct. */
  proxy: string | null;
}

export interface FetchDispatcher extends ProxyDecision {
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

function destinationOf(target: URL): string {
  return `${target.protocol}//${target.host}`;
}

/** An undici dispatcher for undici's own `fetch`: `Agent` when direct, `ProxyAgent` otherwise. */
export function createFetchDispatcher(targetUrl: string, proxy: ProxyConfig): FetchDispatcher {
  const target = new URL(targetUrl);
  const proxyUrl = proxyUrlFor(target, proxy);
  const dispatcher: Dispatcher = proxyUrl
    ? new ProxyAgent({ uri: proxyUrl, requestTls: { minVersion: TLS_MIN }, proxyTls: { minVersion: TLS_MIN } })
    : new Agent({ connect: { minVersion: TLS_MIN } });
  return {
    dispatcher,
    destination: destinationOf(target),
    proxied: proxyUrl !== null,
    proxy: proxyUrl ? maskProxyUrl(proxyUrl) : null,
    close: () => dispatcher.close(),
  };
}

export interface NodeAgents extends ProxyDecision {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  destroy(): void;
}

/**
 * Node agents for axios (`proxy: false` plus these agents): plain keep-alive agents when direct,
 * an HttpsProxyAgent (CONNECT tunnel, also fine for http targets) when proxied.
 */
export function createNodeAgents(targetUrl: string, proxy: ProxyConfig): NodeAgents {
  const target = new URL(targetUrl);
  const proxyUrl = proxyUrlFor(target, proxy);
  if (proxyUrl) {
    const tunnel = new HttpsProxyAgent(proxyUrl, { minVersion: TLS_MIN, keepAlive: true });
    return {
      httpAgent: tunnel, httpsAgent: tunnel,
      destination: destinationOf(target), proxied: true, proxy: maskProxyUrl(proxyUrl),
      destroy: () => tunnel.destroy(),
    };
  }
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true, minVersion: TLS_MIN });
  return {
    httpAgent, httpsAgent,
    destination: destinationOf(target), proxied: false, proxy: null,
    destroy: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
