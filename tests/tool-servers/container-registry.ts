// Loopback container registry with ACR's token flow: /v2/ challenges with Docker token auth (Bearer realm
// /oauth2/token); /oauth2/exchange turns a valid ARM token into a refresh token; /oauth2/token turns that
// refresh token into a short access token; manifests are served only with such an access token. Refresh tokens are
// JWT-shaped with an `exp`, as ACR's are, and refused once that has passed.
import { createHash, randomBytes } from 'node:crypto';
import { startToolServer, type Exchange } from './tls-server';
import type { ToolRequestRecord, ToolServerTls } from './types';

export interface ContainerRegistryOptions {
  tls: ToolServerTls;
  /** Whether an Entra access token is a live ARM token for this registry's tenant. */
  acceptsArmToken(token: string): boolean;
  repository: string;
  tag: string;
  /** How long a refresh token is accepted (ACR's last three hours); default: for the life of the server. */
  refreshTokenLifetimeMs?: number;
}

export interface ContainerRegistry {
  /** '127.0.0.1:<port>', the login server name clients use. */
  readonly host: string;
  readonly requests: readonly ToolRequestRecord[];
  /** Refresh tokens the exchange issued, in order. */
  readonly refreshTokens: ReadonlySet<string>;
  /** The refresh tokens clients redeemed at /oauth2/token, in order (expired ones are refused, not listed). */
  readonly redeemed: readonly string[];
  close(): Promise<void>;
}

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

function readForm(exchange: Exchange): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let text = '';
    exchange.req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    exchange.req.on('end', () => {
      resolve(new URLSearchParams(text));
    });
    exchange.req.on('error', reject);
  });
}

export async function startContainerRegistry(options: ContainerRegistryOptions): Promise<ContainerRegistry> {
  const refreshTokens = new Set<string>();
  const expiries = new Map<string, number>();
  const redeemed: string[] = [];
  const accessTokens = new Set<string>();
  const lifetimeMs = options.refreshTokenLifetimeMs ?? 24 * 3_600_000;
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] } }));
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
    layers: [],
  });
  const manifestDigest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  let host = '';
  const json = (exchange: Exchange, status: number, body: unknown) => {
    exchange.send(status, { 'Content-Type': 'application/json' }, JSON.stringify(body));
  };

  async function handle(exchange: Exchange): Promise<void> {
    if (exchange.method === 'POST' && exchange.path === '/oauth2/exchange') {
      const form = await readForm(exchange);
      if (
        form.get('grant_type') !== 'access_token' ||
        form.get('service') !== host ||
        !options.acceptsArmToken(form.get('access_token') ?? '')
      ) {
        json(exchange, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid ARM access token' }] });
        return;
      }
      const expiresAt = Date.now() + lifetimeMs;
      const claims = {
        iss: 'Azure Container Registry',
        aud: host,
        exp: Math.floor(expiresAt / 1000),
        jti: randomBytes(12).toString('hex'),
      };
      const refreshToken = `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.${randomBytes(24).toString('base64url')}`;
      refreshTokens.add(refreshToken);
      expiries.set(refreshToken, expiresAt);
      json(exchange, 200, { refresh_token: refreshToken });
      return;
    }
    if (exchange.method === 'POST' && exchange.path === '/oauth2/token') {
      const form = await readForm(exchange);
      const presented = form.get('refresh_token') ?? '';
      if (form.get('grant_type') !== 'refresh_token' || form.get('service') !== host || !refreshTokens.has(presented)) {
        json(exchange, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid refresh token' }] });
        return;
      }
      if ((expiries.get(presented) ?? 0) <= Date.now()) {
        json(exchange, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'refresh token expired' }] });
        return;
      }
      redeemed.push(presented);
      const accessToken = randomBytes(24).toString('base64url');
      accessTokens.add(accessToken);
      json(exchange, 200, { access_token: accessToken, expires_in: 300 });
      return;
    }
    exchange.req.resume();
    const bearer = /^Bearer (.+)$/i.exec(exchange.req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !accessTokens.has(bearer)) {
      const scope = exchange.path.startsWith('/v2/') && exchange.path !== '/v2/' ? `,scope="repository:${options.repository}:pull"` : '';
      exchange.send(
        401,
        { 'WWW-Authenticate': `Bearer realm="https://${host}/oauth2/token",service="${host}"${scope}`, 'Content-Type': 'application/json' },
        '{"errors":[{"code":"UNAUTHORIZED"}]}',
      );
      return;
    }
    if (exchange.path === '/v2/') {
      json(exchange, 200, {});
    } else if (
      exchange.path === `/v2/${options.repository}/manifests/${options.tag}` ||
      exchange.path === `/v2/${options.repository}/manifests/${manifestDigest}`
    ) {
      exchange.send(200, { 'Content-Type': MANIFEST_TYPE, 'Docker-Content-Digest': manifestDigest }, manifest);
    } else if (exchange.path === `/v2/${options.repository}/tags/list`) {
      json(exchange, 200, { name: options.repository, tags: [options.tag] });
    } else if (exchange.path === `/v2/${options.repository}/blobs/${configDigest}`) {
      exchange.send(200, { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': configDigest }, config);
    } else {
      json(exchange, 404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    }
  }

  const server = await startToolServer({
    tls: options.tls,
    authorize: () => true,
    unauthorized: { contentType: 'text/plain', body: '' },
    handle,
  });
  host = server.url.replace(/^https:\/\//, '');
  return { host, requests: server.requests, refreshTokens, redeemed, close: () => server.close() };
}
