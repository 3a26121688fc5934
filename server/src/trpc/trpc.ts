/**
 * The one place that sets tRPC up: context, error shape, and the builders routers may use.
 * `t` itself never leaves this file.
 */
import { apiInputTransformer, type PublicUser, type TokenScope } from '@automateos/shared';
import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { admitBearer, recordBearerFailure } from '../auth/throttle';
import { type TokenKeys, verifySession } from '../auth/tokens';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Keyring } from '../credentials/keys';
import type { Db } from '../db/client';
import { isDataError, UNSTORABLE_INPUT } from '../db/errors';
import type { LiveHub } from '../live/hub';
import type { OutboundHttp } from '../net/http-client';
import { InvalidInputError, ServiceError } from '../services/errors';
import type { ExecutionQueue } from '../services/executions';
import { authenticateToken } from '../services/tokens';
import { findUser, toPublicUser } from '../services/users';
import { answerTransformer } from './answer-transformer';

/** Long-lived things every request can use; built once per process. */
export interface AppDeps {
  db: Db;
  config: Config;
  keys: TokenKeys;
  /** Base of webhook URLs, e.g. https://automate.example.com */
  publicUrl: string;
  queue: ExecutionQueue;
  /** What arms schedules and "now" in previews; tests move it by hand. */
  clock: Clock;
  /** Live updates: this process's one LISTEN connection, fanned out to subscriptions. */
  live: LiveHub;
  /** Encrypts what users type into credentials (and decrypts for an edit or a test). */
  keyring: Keyring;
  /** The guarded outbound layer `credentials.test` calls services through. */
  http: OutboundHttp;
}

/** How a procedure talks to the browser session: the cookie in Express, a plain object in tests. */
export interface SessionChannel {
  token: string | undefined;
  /**
   * What an `Authorization` header carried (the token after `Bearer `, or the whole value for any
   * other scheme). Set, it is the only credential: the session cookie is not read at all, so a
   * bearer call can never ride on a browser's cookies.
   */
  bearer?: string | undefined;
  ip: string;
  setToken(token: string): void;
  clearToken(): void;
}

/** How the caller proved who they are: the browser's session cookie, or a personal access token. */
export type Authentication = { via: 'session' } | { via: 'token'; tokenId: string; scope: TokenScope };

export interface Context {
  deps: AppDeps;
  session: SessionChannel;
  user: (PublicUser & { sessionVersion: number }) | null;
  authentication: Authentication | null;
  /** Why a bearer token was refused; protected procedures answer with it. */
  refusal?: { code: 'UNAUTHORIZED' | 'TOO_MANY_REQUESTS'; message: string };
}

export const TOKEN_REFUSED =
  'This API token is unknown, revoked or expired. Create a new one on the API tokens page.';
export const BEARER_THROTTLED = 'Too many invalid API tokens from this address. Try again in 15 minutes.';

/** Resolves the signed-in user from the session token or the bearer token; also what tests call directly. */
export async function createContext(deps: AppDeps, session: SessionChannel): Promise<Context> {
  const anonymous = { deps, session, user: null, authentication: null };
  if (session.bearer !== undefined) return bearerContext(deps, session);
  const claims = session.token ? await verifySession(deps.keys, session.token) : null;
  if (!claims) return anonymous;
  const row = await findUser(deps.db, claims.userId);
  // A bumped session_version (logout, password change) revokes every older token.
  if (!row || row.sessionVersion !== claims.sessionVersion) return anonymous;
  return {
    ...anonymous,
    user: { ...toPublicUser(row), sessionVersion: row.sessionVersion },
    authentication: { via: 'session' },
  };
}

async function bearerContext(deps: AppDeps, session: SessionChannel): Promise<Context> {
  const anonymous = { deps, session, user: null, authentication: null };
  const now = deps.clock.now();
  if (!(await admitBearer(deps.db, session.ip, now)))
    return { ...anonymous, refusal: { code: 'TOO_MANY_REQUESTS', message: BEARER_THROTTLED } };
  const identity = await authenticateToken(deps.db, session.bearer ?? '', now);
  const row = identity && (await findUser(deps.db, identity.userId));
  if (!identity || !row) {
    await recordBearerFailure(deps.db, session.ip, now);
    return { ...anonymous, refusal: { code: 'UNAUTHORIZED', message: TOKEN_REFUSED } };
  }
  return {
    ...anonymous,
    user: { ...toPublicUser(row), sessionVersion: row.sessionVersion },
    authentication: { via: 'token', tokenId: identity.tokenId, scope: identity.scope },
  };
}

/** Messages by top-level field, as zod's flattenError gives them. */
function fieldErrorsOf(issues: { path: string[]; message: string }[]): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const { path, message } of issues) {
    const [field] = path;
    if (field !== undefined) byField[field] = [...(byField[field] ?? []), message];
  }
  return byField;
}

/** Most calls one batched request may carry; the client's batch link sends at most as many. */
export const MAX_BATCH_SIZE = 10;

/** Whether the session a long-lived call (a subscription) started with is still signed in. */
export async function isStillSignedIn(ctx: Context): Promise<boolean> {
  const now = await createContext(ctx.deps, ctx.session);
  return now.user !== null && now.user.id === ctx.user?.id;
}

// `meta` carries the REST API's paths (see rest/router.ts).
/**
 * What an error tells the caller beyond its code: field errors keyed by top-level field, every issue
 * with its full path, a service's details, and no internal message. `/trpc` and the REST API alike.
 */
export function describeError(error: TRPCError) {
  const cause = error.cause;
  const zodError = cause instanceof z.ZodError ? cause : undefined;
  // A service's field errors (InvalidInputError) come out like the input schema's.
  const issues =
    zodError?.issues.map((i) => ({ path: i.path.map(String), message: i.message })) ??
    (cause instanceof InvalidInputError
      ? cause.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
      : undefined);
  return {
    message:
      error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong on our side. Try again.' : undefined,
    fieldErrors: issues ? fieldErrorsOf(issues) : undefined,
    issues,
    details: cause instanceof ServiceError ? cause.details : undefined,
  };
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // Input is bounded plain JSON (see apiInputTransformer); output is superjson's format for
    // dates, written by a walk of our own where superjson's would cost more than the answer.
    transformer: { input: apiInputTransformer, output: answerTransformer },
    sse: {
      // Subscriptions stream over server-sent events. A ping every 15 s keeps proxies with a 30–60 s
      // idle timeout (nginx, load balancers) from closing a quiet stream, and lets the client notice a
      // dead one: without any message for 40 s it reconnects, resuming from its last event.
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 40_000 },
    },
    errorFormatter({ shape, error }) {
      const { message, ...details } = describeError(error);
      return {
        ...shape,
        message: message ?? shape.message,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, ...details },
      };
    },
  });

/**
 * Turns service errors into tRPC errors with the same code and message, and input the database
 * cannot store (a NUL character…) into BAD_REQUEST instead of a 500.
 */
const serviceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ServiceError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  if (!result.ok && isDataError(result.error.cause)) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: UNSTORABLE_INPUT });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(serviceErrors);

/** Signed in by either means; a read-only token may only query and subscribe. */
export const protectedProcedure = publicProcedure.use(({ ctx, type, next }) => {
  if (!ctx.user || !ctx.authentication)
    throw new TRPCError(ctx.refusal ?? { code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  const { authentication } = ctx;
  if (authentication.via === 'token' && authentication.scope === 'read' && type === 'mutation')
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'This API token is read-only. Create a read-write token to change data.',
    });
  return next({ ctx: { ...ctx, user: ctx.user, authentication } });
});

/** Signed in in the browser: what a token must not do by itself (manage tokens, sign out). */
export const sessionProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.authentication.via !== 'session')
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'API tokens cannot do this; sign in to AutomateOS in the browser instead.',
    });
  return next();
});
