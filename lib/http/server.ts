// Koa in the primary (operations.md §3.1): GET /health and GET /metrics on 0.0.0.0:HEALTH_PORT,
// a JSON 404 for anything else, no body parsing, no per-request logging (only start, stop and
// errors), and a 5 s request timeout.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import type Logger from 'bunyan';

export interface HttpRoutes {
  /** Synchronous by design: /health does no I/O. */
  health(): { httpStatus: number; body: unknown };
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  port: number;
  host?: string;
  routes: HttpRoutes;
  log: Logger;
}

export function createHttpApp(routes: HttpRoutes, log: Logger): Koa {
  const app = new Koa();
  // Koa would print errors to stderr on its own; we log them as ECS records instead.
  app.silent = true;
  app.on('error', (error: unknown) => log.error({ err: error }, 'HTTP handler error'));
  const router = new Router();
  router.get('/health', (ctx) => {
    const report = routes.health();
    ctx.status = report.httpStatus;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = report.body;
  });
  router.get('/metrics', async (ctx) => {
    try {
      const result = await routes.metrics();
      ctx.type = result.contentType;
      ctx.body = result.body;
    } catch (error) {
      log.error({ err: error }, 'metrics aggregation failed');
      ctx.status = 503;
      ctx.body = { status: 'metrics_unavailable' };
    }
  });
  app.use(router.routes());
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = { status: 'not_found' };
  });
  return app;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = createHttpApp(options.routes, options.log);
  const handler = app.callback();
  const server = http.createServer({ requestTimeout: 5_000, headersTimeout: 5_000 }, (req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => options.log.error({ err: error }, 'HTTP server error'));
  const port = (server.address() as AddressInfo).port;
  options.log.info({ http: { port } }, `health and metrics listening on ${options.host ?? '0.0.0.0'}:${port}`);
  let closing: Promise<void> | null = null;
  return {
    port,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Scrapers keep connections alive; do not let them hold the exit.
        server.closeAllConnections();
      }).then(() => options.log.info('HTTP server closed'));
      return closing;
    },
  };
}
