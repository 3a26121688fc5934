import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * How development logs read (`npm start`, `npm run dev`): one line each, the request's own fields left
 * out (its message says method, path, status and time), coloured on a terminal.
 */
export const prettyLogOptions = (colorize: boolean) => ({
  ignore: 'pid,hostname,req,res,responseTime',
  singleLine: true,
  translateTime: 'HH:MM:ss',
  colorize,
});

/**
 * Structured JSON logs for both processes (pretty single lines in development, unless LOG_JSON is
 * set). Credentials are redacted wherever they may appear: request headers, webhook trigger headers,
 * and any `password` field.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>, name: 'web' | 'worker'): Logger {
  const pretty = config.NODE_ENV === 'development' && !process.env.LOG_JSON;
  return pino({
    name,
    level: config.NODE_ENV === 'test' && !process.env.LOG_LEVEL ? 'warn' : config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["proxy-authorization"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.passwordHash',
        '*.headers.authorization',
        '*.headers.cookie',
        'err.config.headers',
      ],
      censor: '[redacted]',
    },
    ...(pretty
      ? {
          transport: { target: 'pino-pretty', options: prettyLogOptions(process.stdout.isTTY === true) },
        }
      : {}),
  });
}
