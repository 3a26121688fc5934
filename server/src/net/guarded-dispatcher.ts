/**
 * The undici dispatcher every outbound request of a step goes through: pooled keep-alive
 * connections, each of which passed the SSRF guard when it was opened.
 *
 * The address check has to happen on the address that is actually connected to, not on a DNS answer
 * obtained earlier (DNS rebinding). Every new connection therefore
 *   1. checks an IP-literal host before connecting (WHATWG URL has already normalised 2130706433,
 *      0x7f000001, 127.1 … to dotted form), since no lookup happens for those;
 *   2. resolves a name through a guarded `lookup` that fails if ANY resolved address is blocked;
 *   3. re-checks `socket.remoteAddress` on connect, before TLS starts and before a byte of any
 *      request is written.
 * A connection is only reused for the origin it was opened for, so reuse needs no new check. A
 * hostname on the allow-list is trusted whatever it resolves to, as SSRF_ALLOWLIST promises.
 *
 * Proxies: this dispatcher always connects directly. HTTP_PROXY, HTTPS_PROXY and NODE_USE_ENV_PROXY
 * are read by Node's global agents and undici's EnvHttpProxyAgent, never by this one; a proxy would
 * connect to the internal address on our behalf, after our checks, so it is not an option here.
 */
import dns from 'node:dns';
import net, { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { type AddressCheck, type AddressPolicy, normalizeHost } from './ssrf';

export type BlockedCheck = Extract<AddressCheck, { allowed: false }>;

/**
 * A connection the guard refused: which host, and which of its addresses broke the rule. The HTTP
 * layer turns it into the message the step log shows.
 */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  constructor(
    readonly host: string,
    readonly check: BlockedCheck,
  ) {
    super(`Blocked ${host}: ${check.reason}`);
  }
}

/** Longer than any step timeout, so the step's own timeout is what a slow connect runs into. */
const CONNECT_TIMEOUT_MS = 65_000;

export interface GuardedSocketTarget {
  hostname: string;
  port: number;
  localAddress?: string | null | undefined;
  /** How long connecting may take before it fails with ETIMEDOUT. */
  timeoutMs?: number;
}

/**
 * A TCP connection that passed the address policy: an IP literal before connecting, every address
 * a name resolves to, and the address actually connected before the callback gets the socket (so
 * before TLS starts or a byte is written). The HTTP pool opens its connections with it, and so
 * does anything else that reaches the network on a user's behalf (an SMTP check). Returns the
 * socket at once, so the caller can cancel the attempt by destroying it.
 */
export function openGuardedSocket(
  policy: AddressPolicy,
  target: GuardedSocketTarget,
  callback: (error: Error | null, socket: net.Socket | null) => void,
): net.Socket | undefined {
  const host = normalizeHost(target.hostname);
  const literal = isIP(host) !== 0;
  if (literal) {
    const check = policy.checkAddress(host);
    if (!check.allowed) {
      callback(new BlockedAddressError(host, check), null);
      return undefined;
    }
  }
  const trusted = !literal && policy.isHostnameAllowed(host);
  const socket = net.connect({
    host,
    port: target.port,
    ...(literal || trusted ? {} : { lookup: guardedLookup(policy) }),
    ...(target.localAddress ? { localAddress: target.localAddress } : {}),
  });
  let finished = false;
  const finish = () => {
    finished = true;
    clearTimeout(timer);
    socket.off('error', onError);
  };
  const onError = (error: Error) => {
    if (finished) return;
    finish();
    callback(error, null);
  };
  const timer = setTimeout(() => {
    const error: NodeJS.ErrnoException = new Error(`connect ETIMEDOUT ${host}:${target.port}`);
    error.code = 'ETIMEDOUT';
    socket.destroy(error);
  }, target.timeoutMs ?? CONNECT_TIMEOUT_MS);
  socket.once('error', onError);
  socket.once('connect', () => {
    finish();
    const remote = socket.remoteAddress;
    const check: AddressCheck | undefined = trusted
      ? undefined
      : remote
        ? policy.checkAddress(remote)
        : {
            allowed: false,
            address: '',
            range: 'invalid',
            description: 'an address that could not be verified',
            reason: `the address connected for ${host} could not be verified`,
          };
    if (check && !check.allowed) {
      socket.destroy();
      return callback(new BlockedAddressError(host, check), null);
    }
    socket.setNoDelay(true).setKeepAlive(true, 60_000);
    callback(null, socket);
  });
  return socket;
}

export function createGuardedAgent(policy: AddressPolicy): Agent {
  // TLS runs over the socket we connected and checked; HTTP/1.1 only, like the node:http client before.
  const tls = buildConnector({ allowH2: false, timeout: CONNECT_TIMEOUT_MS });
  const connect: buildConnector.connector = (options, callback) => {
    const https = options.protocol === 'https:';
    // Returned so undici can cancel an attempt whose requests were all aborted.
    return openGuardedSocket(
      policy,
      {
        hostname: options.hostname,
        port: Number(options.port) || (https ? 443 : 80),
        localAddress: options.localAddress,
      },
      (error, socket) => {
        if (error || !socket) return callback(error ?? new Error('no socket'), null);
        if (!https) return callback(null, socket);
        // The TLS socket takes over this one's handle, and with it its errors.
        tls({ ...options, httpSocket: socket }, callback);
      },
    );
  };
  return new Agent({ connect, allowH2: false });
}

function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, '');
        return;
      }
      const first = addresses[0];
      if (first === undefined) {
        const notFound: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        notFound.code = 'ENOTFOUND';
        callback(notFound, '');
        return;
      }
      // Refuse if ANY answer is internal: otherwise a name with one public and one private record
      // could land on the private one when the connection falls back to the next address.
      for (const { address } of addresses) {
        const check = policy.checkAddress(address);
        if (!check.allowed) {
          callback(new BlockedAddressError(normalizeHost(hostname), check), '');
          return;
        }
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
