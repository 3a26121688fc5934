import { existsSync } from 'node:fs';
import path from 'node:path';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import compression from 'compression';
import * as cookie from 'cookie';
import express, { type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { SESSION_COOKIE, SESSION_TTL_SECONDS } from '../auth/tokens';
import type { Sql } from '../db/client';
import { expectedMigrationCount } from '../db/migrate';
import type { Logger } from '../log';
import { restApi } from '../rest/api';
import { appRouter } from '../trpc/root';
import { type AppDeps, createContext, MAX_BATCH_SIZE, type SessionChannel } from '../trpc/trpc';
import { bearerOf } from './bearer';
import { requireSameOriginJson } from './csrf';
import { webhookRouter } from './webhooks';

export interface AppOptions {
  deps: AppDeps;
  sql: Sql;
  /** Built client to serve (production and `npm start`); absent in `npm run dev`. */
  clientDir?: string | undefined;
  /** Request logging; tests leave it out. */
  logger?: Logger;
}

function sessionChannel(req: Request, res: Response, secure: boolean): SessionChannel {
  const bearer = bearerOf(req);
  // With a bearer token the cookie is not read: a token call cannot borrow a browser's session.
  const cookies = bearer === undefined ? cookie.parse(req.headers.cookie ?? '') : {};
  const base = { httpOnly: true, sameSite: 'lax', secure, path: '/' } as const;
  return {
    token: cookies[SESSION_COOKIE],
    bearer,
    ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    setToken(token) {
      res.appendHeader(
        'Set-Cookie',
        cookie.serialize(SESSION_COOKIE, token, { ...base, maxAge: SESSION_TTL_SECONDS }),
      );
    },
    clearToken() {
      res.appendHeader('Set-Cookie', cookie.serialize(SESSION_COOKIE, '', { ...base, maxAge: 0 }));
    },
  };
}

/** The path as requested: inside a mounted router (`/trpc`) Express shortens `url`, not `originalUrl`. */
const urlOf = (req: { url?: string | undefined; originalUrl?: string }) => req.originalUrl ?? req.url ?? '';

/** A webhook URL is a credential (anyone who has it can trigger the workflow): logs show its start. */
const loggedUrl = (url: string) => url.replace(/^\/hooks\/([^/?]{4})[^/?]*/, '/hooks/$1…');

/** Not logged: health checks, and the built client's files (anything with an extension outside the API). */
export function isQuietRequest(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (path === '/healthz' || path === '/readyz') return true;
  if (/^\/(trpc|hooks|api)(\/|$)/.test(path)) return false;
  return path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path);
}

export function createApp({ deps, sql, clientDir, logger }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  const secure = deps.config.NODE_ENV === 'production';

  if (logger) {
    app.use(
      pinoHttp({
        logger,
        genReqId: (req, res) => {
          const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || crypto.randomUUID();
          res.setHeader('x-request-id', id);
          return id;
        },
        // Health checks every few seconds, and the client's files, would drown everything else.
        autoLogging: { ignore: (req) => isQuietRequest(urlOf(req)) },
        // One readable line: "POST /trpc/workflows.update 200 12 ms".
        customSuccessMessage: (req, res, responseTime) =>
          `${req.method} ${loggedUrl(urlOf(req))} ${res.statusCode} ${Math.round(responseTime)} ms`,
        customErrorMessage: (req, res, error) =>
          `${req.method} ${loggedUrl(urlOf(req))} ${res.statusCode} ${error.message}`,
        // The execution a webhook created, to follow it from the request to the worker's log.
        customProps: (_req, res) => (res.locals?.executionId ? { executionId: res.locals.executionId } : {}),
        serializers: {
          req: (req: { method: string; url: string; id: unknown }) => ({
            id: req.id,
            method: req.method,
            url: loggedUrl(req.url),
          }),
        },
      }),
    );
  }
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Chakra (Emotion) injects its styles at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Only over HTTPS in production; local http://localhost must keep working.
      strictTransportSecurity: secure,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      frameguard: { action: 'deny' },
    }),
  );
  // Never an event stream: compression buffers output, so live updates would arrive late or never.
  app.use(
    compression({
      filter: (req, res) =>
        !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') &&
        compression.filter(req, res),
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  let migrationsExpected: Promise<number> | undefined;
  app.get('/readyz', async (_req, res) => {
    try {
      migrationsExpected ??= expectedMigrationCount();
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const expected = await migrationsExpected;
      if ((row?.n ?? 0) < expected) {
        res.status(503).json({ ok: false, reason: `migrations pending (${row?.n ?? 0}/${expected})` });
        return;
      }
      res.json({ ok: true });
    } catch {
      res.status(503).json({ ok: false, reason: 'database unreachable' });
    }
  });

  const publicOrigin = deps.config.PUBLIC_URL ? new URL(deps.config.PUBLIC_URL).origin : undefined;
  const sameOriginJson = requireSameOriginJson(() => (publicOrigin ? [publicOrigin] : []));
  app.use(
    '/trpc',
    // CSRF rides on cookies a browser adds by itself; a bearer call carries none (see sessionChannel),
    // and a browser cannot add an Authorization header cross-site without a CORS preflight we refuse.
    (req, res, next) => (bearerOf(req) === undefined ? sameOriginJson(req, res, next) : next()),
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) => createContext(deps, sessionChannel(req, res, secure)),
      maxBodySize: 2 * 1024 * 1024,
      // One request must not carry many guesses or much work: a longer batch is refused whole.
      maxBatchSize: MAX_BATCH_SIZE,
    }),
  );

  app.use(restApi(deps));

  app.use(
    webhookRouter({
      db: deps.db,
      queue: deps.queue,
      keyring: deps.keyring,
      live: deps.live,
      maxBodyBytes: deps.config.WEBHOOK_MAX_BODY,
    }),
  );

  if (clientDir && existsSync(path.join(clientDir, 'index.html'))) {
    app.use(
      express.static(clientDir, {
        index: false,
        setHeaders(res, file) {
          // Vite's hashed assets never change; index.html must always be revalidated.
          if (file.includes(`${path.sep}assets${path.sep}`))
            res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        },
      }),
    );
    app.get('/{*splat}', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(clientDir, 'index.html'));
    });
  }

  // Unknown API-ish routes and errors: JSON, never a stack trace.
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found' } });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) console.error(error);
    res.status(status).json({
      error: {
        code: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
        message: status >= 500 ? 'Internal error' : String((error as Error).message),
      },
    });
  });
  return app;
}
