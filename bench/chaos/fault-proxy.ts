// A reverse proxy in front of the fake GOV.UK Notify that fails in bursts. Modes:
//   pass          forward unchanged
//   status        answer with a status (429 or 5xx, Notify's error body) without forwarding
//   drop-before   destroy the connection without forwarding (the send never happened)
//   drop-after    forward, let the fake store the notification, then destroy the connection:
//                 the worker cannot know the outcome and must reconcile by reference (§9.3)
// Loopback only; every request is counted by mode.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ProxyMode = { kind: 'pass' } | { kind: 'status'; status: number } | { kind: 'drop-before' } | { kind: 'drop-after' };

export interface FaultProxy {
  url: string;
  /** Applies `mode` to every request for `ms`, then passes again. */
  burst(mode: ProxyMode, ms: number): void;
  clear(): void;
  counts(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let mode: ProxyMode = { kind: 'pass' };
  let until = 0;
  const counts: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const current = (): ProxyMode => (Date.now() < until ? mode : { kind: 'pass' });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const active = current();
      counts[active.kind] = (counts[active.kind] ?? 0) + 1;
      if (active.kind === 'drop-before') {
        req.socket.destroy();
        return;
      }
      if (active.kind === 'status') {
        res.writeHead(active.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status_code: active.status, errors: [{ error: active.status === 429 ? 'RateLimitError' : 'Exception', message: 'injected by the chaos proxy' }] }));
        return;
      }
      const forward = http.request({
        host: target.hostname, port: target.port, method: req.method, path: req.url,
        headers: { ...req.headers, host: target.host },
      }, (upstreamRes) => {
        const body: Buffer[] = [];
        upstreamRes.on('data', (c: Buffer) => body.push(c));
        upstreamRes.on('end', () => {
          if (active.kind === 'drop-after') {
            req.socket.destroy();
            return;
          }
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          res.end(Buffer.concat(body));
        });
      });
      forward.on('error', () => req.socket.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    burst(next, ms) {
      mode = next;
      until = Date.now() + ms;
    },
    clear() {
      until = 0;
    },
    counts: () => ({ ...counts }),
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
