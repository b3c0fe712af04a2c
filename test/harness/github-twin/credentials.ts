// Who may call the twin: a personal/installation token, or, for the token exchange, a GitHub App JWT
// (RS256) signed with the private key whose public half the test gave the twin.
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { GitHubHttpError } from './replies';

export interface TwinApp {
  appId: number | string;
  /** PEM or KeyObject of the App's public key. */
  publicKey: string | KeyObject;
  installationId: number;
}

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;
/** GitHub refuses App JWTs valid for more than ten minutes. */
const MAX_JWT_LIFETIME_S = 10 * 60;
const CLOCK_DRIFT_S = 60;

export class TwinCredentials {
  /** Installation tokens issued by the exchange, with their expiry. */
  readonly issued = new Map<string, number>();

  constructor(
    private readonly token: string | undefined,
    private readonly app: TwinApp | undefined,
  ) {}

  /** For every endpoint but the token exchange: a known token, unexpired. */
  requireToken(authorization: string | undefined): void {
    const presented = /^(?:token|bearer) (.+)$/i.exec(authorization ?? '')?.[1];
    if (presented !== undefined && presented === this.token) return;
    const expiry = presented === undefined ? undefined : this.issued.get(presented);
    if (expiry !== undefined && expiry > Date.now()) return;
    throw new GitHubHttpError(401, 'Bad credentials');
  }

  /** Verifies the App JWT and issues an installation token for `installationId`. */
  exchange(authorization: string | undefined, installationId: number): { token: string; expiresAt: Date } {
    if (this.app === undefined) throw new GitHubHttpError(404, 'Not Found');
    const problem = jwtProblem(/^bearer (.+)$/i.exec(authorization ?? '')?.[1], this.app);
    if (problem !== undefined)
      throw new GitHubHttpError(401, `A JSON web token could not be decoded (${problem})`);
    if (installationId !== this.app.installationId) throw new GitHubHttpError(404, 'Not Found');
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_MS);
    this.issued.set(token, expiresAt.getTime());
    return { token, expiresAt };
  }
}

function jwtProblem(jwt: string | undefined, app: TwinApp): string | undefined {
  const [header, payload, signature, ...extra] = (jwt ?? '').split('.');
  if (header === undefined || payload === undefined || signature === undefined || extra.length > 0)
    return 'not a JWT';
  const key = typeof app.publicKey === 'string' ? createPublicKey(app.publicKey) : app.publicKey;
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    key,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return 'bad signature';
  const { alg } = decode(header);
  const claims = decode(payload);
  const now = Math.floor(Date.now() / 1000);
  if (alg !== 'RS256') return `alg ${String(alg)}`;
  if (String(claims['iss']) !== String(app.appId)) return 'wrong issuer';
  const [iat, exp] = [Number(claims['iat']), Number(claims['exp'])];
  if (!(iat <= now + CLOCK_DRIFT_S && exp > now && exp - iat <= MAX_JWT_LIFETIME_S))
    return 'expired or too long-lived';
  return undefined;
}

function decode(part: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
