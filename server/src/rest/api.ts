/**
 * Serves the REST API v1 at /api/v1 (bearer tokens only), its OpenAPI 3.1 document at
 * /api/v1/openapi.json, and Swagger UI at /api/docs from the swagger-ui-dist package.
 *
 * trpc-to-openapi generates the document from the procedures' zod schemas. Requests are served here
 * rather than by its handler, which turns on zod coercion inside the input schemas themselves — the
 * very objects `/trpc` validates with — and reads cookies like any tRPC context would.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import express, { type Request, type Response } from 'express';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { z } from 'zod';
import { bearerOf } from '../http/bearer';
import { type AppDeps, createCallerFactory, createContext, describeError } from '../trpc/trpc';
import { restRouter } from './router';

export const API_BASE = '/api/v1';
export const DOCS_PATH = '/api/docs';

export function openApiDocument(publicUrl: string) {
  return generateOpenApiDocument(restRouter, {
    title: 'AutomateOS API',
    version: '1.0.0',
    description:
      'Workflows, executions and credentials of the account the token belongs to. Send a personal access token (made on the API tokens page, /settings/tokens) as `Authorization: Bearer aos_…`. Read tokens can only GET. Another account’s ids answer 404. Errors are `{ "error": { "code", "message", "fieldErrors"?, "issues"? } }`.',
    baseUrl: `${publicUrl}${API_BASE}`,
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'A token starting with aos_' },
    },
  });
}

const createCaller = createCallerFactory(restRouter);
/** The part of a procedure's OpenAPI meta that routes a request. */
const routeMeta = z.object({
  openapi: z.object({ method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']), path: z.string() }),
});
const httpMethods = { GET: 'get', POST: 'post', PATCH: 'patch', PUT: 'put', DELETE: 'delete' } as const;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
type ProcedureName = keyof typeof restRouter._def.procedures;

const send = (res: Response, status: number, code: string, message: string, more: object = {}) =>
  res.status(status).json({ error: { code, message, ...more } });

/** The schema inside `.optional()`, `.default()` and `.prefault()`. */
function unwrapped(schema: unknown): unknown {
  let inner = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault)
    inner = inner.unwrap();
  return inner;
}

/** Query strings are text: a field the schema wants as a whole number gets one (`?limit=5`). */
function queryInput(schema: unknown, query: Request['query']): Record<string, unknown> {
  const object = unwrapped(schema);
  const shape = object instanceof z.ZodObject ? object.shape : {};
  const input: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(query)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    const field = unwrapped(shape[key]);
    input[key] =
      field instanceof z.ZodNumber && typeof value === 'string' && /^-?\d{1,15}$/.test(value)
        ? Number(value)
        : value;
  }
  return input;
}

export function restApi(deps: AppDeps): express.Router {
  const api = express.Router();
  const document = openApiDocument(deps.publicUrl);
  api.get(`${API_BASE}/openapi.json`, (_req, res) => {
    res.json(document);
  });

  const docsDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  api.get([DOCS_PATH, `${DOCS_PATH}/`], (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  api.get(`${DOCS_PATH}/init.js`, (_req, res) => {
    res.type('js').send(DOCS_INIT);
  });
  api.use(DOCS_PATH, express.static(docsDir, { index: false, maxAge: '1h' }));

  // Bodies are JSON or nothing; a type that is not JSON is refused before anything is read.
  api.use(API_BASE, (req, res, next) => {
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json'))
      return send(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
    next();
  });
  api.use(API_BASE, express.json({ limit: '2mb', strict: false }));

  for (const [name, procedure] of Object.entries(restRouter._def.procedures)) {
    const meta = routeMeta.safeParse(procedure._def.meta);
    if (!meta.success) continue;
    const route = meta.data.openapi;
    const expressPath = `${API_BASE}${route.path.replace(/\{(\w+)\}/g, ':$1')}`;
    const method = httpMethods[route.method];
    api[method](expressPath, async (req, res) => {
      const bearer = bearerOf(req);
      if (bearer === undefined)
        return send(
          res,
          401,
          'UNAUTHORIZED',
          'Send an API token: Authorization: Bearer aos_… (make one on the API tokens page).',
        );
      const readsQuery = method === 'get' || method === 'delete';
      const body: unknown = req.body ?? {};
      if (!readsQuery && !isObject(body))
        return send(res, 400, 'BAD_REQUEST', 'The request body must be a JSON object.');
      const input = {
        ...(readsQuery || !isObject(body) ? queryInput(procedure._def.inputs[0], req.query) : body),
        ...req.params,
      };
      const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      // Cookies are never read here: the API is bearer-only, so a browser's session cannot be used cross-site.
      const channel = { token: undefined, bearer, ip, setToken() {}, clearToken() {} };
      const caller = createCaller(() => createContext(deps, channel));
      try {
        // One entry point per route; the input is checked by the procedure's own schema.
        const call = caller[name as ProcedureName] as (input: unknown) => Promise<unknown>;
        const data = await call(input);
        res.status(route.method === 'POST' && !route.path.includes('}/') ? 201 : 200).json(data);
      } catch (error) {
        const trpcError =
          error instanceof TRPCError ? error : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error });
        const status = getHTTPStatusCodeFromError(trpcError);
        if (status >= 500) console.error(error);
        const { message, ...details } = describeError(trpcError);
        send(res, status, trpcError.code, message ?? trpcError.message, details);
      }
    });
  }
  api.all(`${API_BASE}/{*rest}`, (_req, res) =>
    send(res, 404, 'NOT_FOUND', 'No such API route: see /api/docs.'),
  );
  return api;
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>AutomateOS API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

// A file of its own: the CSP allows scripts from this origin only, never inline ones.
const DOCS_INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(`${API_BASE}/openapi.json`)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
});
`;
