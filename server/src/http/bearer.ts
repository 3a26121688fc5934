import type { Request } from 'express';

/**
 * What the `Authorization` header carries: the token after `Bearer ` (any case), the whole value
 * for another scheme (refused like an unknown token), or undefined when there is no header.
 */
export function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? header;
}
