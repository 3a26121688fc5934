/**
 * The one LISTEN connection of a web process. A dedicated session (LISTEN needs one, and must not hold
 * a pool connection) that reconnects by itself with capped backoff after the database restarts or the
 * network drops, and says so through `onConnected`, so the caller can read what it missed meanwhile.
 * A heartbeat on the same session finds connections that died silently (no FIN from a dead host).
 */
import pg from 'pg';
import type { Logger } from '../log';

export interface ListenerOptions {
  databaseUrl: string;
  channel: string;
  onNotification(payload: string): void;
  /** After every (re)connection, once LISTEN is active; `reconnected` is false the first time. */
  onConnected(reconnected: boolean): void;
  /** When the connection is lost (notifications stop until onConnected is called again). */
  onDisconnected?(): void;
  log?: Pick<Logger, 'info' | 'warn'>;
  /** First wait before reconnecting; doubles per failed attempt up to 2 s (or this, if longer). */
  reconnectDelayMs?: number;
  heartbeatMs?: number;
}

export interface Listener {
  readonly connected: boolean;
  close(): Promise<void>;
}

const HEARTBEAT_TIMEOUT_MS = 5_000;
/** A database that comes back is noticed within this. */
const MAX_RECONNECT_DELAY_MS = 2_000;

export function startListener(options: ListenerOptions): Listener {
  const baseDelay = options.reconnectDelayMs ?? 250;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let everConnected = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;

  const drop = (target: pg.Client, error?: Error) => {
    if (client !== target) return;
    client = null;
    clearTimeout(heartbeatTimer);
    target.removeAllListeners();
    target.on('error', () => {}); // late socket errors of a client we have given up on
    void target.end().catch(() => {});
    if (connected) {
      connected = false;
      options.log?.warn({ err: error?.message }, 'live updates: lost the LISTEN connection; reconnecting');
      options.onDisconnected?.();
    }
    scheduleReconnect();
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    const delay = Math.min(
      Math.max(MAX_RECONNECT_DELAY_MS, baseDelay),
      baseDelay * 2 ** Math.min(attempt, 10),
    );
    attempt++;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, delay);
  };

  const heartbeat = (target: pg.Client) => {
    heartbeatTimer = setTimeout(async () => {
      const timeout = setTimeout(() => drop(target, new Error('heartbeat timed out')), HEARTBEAT_TIMEOUT_MS);
      try {
        await target.query('select 1');
        clearTimeout(timeout);
        if (client === target) heartbeat(target);
      } catch (error) {
        clearTimeout(timeout);
        drop(target, error instanceof Error ? error : undefined);
      }
    }, heartbeatMs);
  };

  const connect = async () => {
    const target = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: 'automateos-live',
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client = target;
    target.on('error', (error) => drop(target, error));
    target.on('end', () => drop(target));
    target.on('notification', (message) => {
      if (message.channel === options.channel && message.payload !== undefined)
        options.onNotification(message.payload);
    });
    try {
      await target.connect();
      await target.query(`LISTEN "${options.channel}"`);
    } catch (error) {
      drop(target, error instanceof Error ? error : undefined);
      return;
    }
    if (client !== target || closed) return;
    connected = true;
    attempt = 0;
    if (everConnected) options.log?.info('live updates: LISTEN connection re-established');
    options.onConnected(everConnected);
    everConnected = true;
    heartbeat(target);
  };

  void connect();
  return {
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      clearTimeout(heartbeatTimer);
      const target = client;
      client = null;
      connected = false;
      if (target) {
        target.removeAllListeners();
        target.on('error', () => {});
        await target.end().catch(() => {});
      }
    },
  };
}
