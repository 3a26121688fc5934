import type { NextFunction, Request, Response } from 'express';

/**
 * Cookie sessions need CSRF protection on mutations. A cross-site form can only send
 * `text/plain`, form or multipart bodies without a preflight, so requiring JSON closes that door;
 * the Origin / Sec-Fetch-Site checks refuse anything a browser marks as coming from another site.
 */
export function requireSameOriginJson(allowedOrigins: () => string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const refuse = (message: string) => res.status(403).json({ error: { code: 'FORBIDDEN', message } });
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json')
      return refuse('Requests that change data must be sent as application/json.');
    const site = req.headers['sec-fetch-site'];
    if (site && site !== 'same-origin' && site !== 'none')
      return refuse('Cross-site requests are not allowed.');
    const origin = req.headers.origin;
    if (origin) {
      const own = `${req.protocol}://${req.headers.host}`;
      if (origin !== own && !allowedOrigins().includes(origin))
        return refuse('Cross-site requests are not allowed.');
    }
    next();
  };
}
