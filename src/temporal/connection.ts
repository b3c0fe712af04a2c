// Connecting to Temporal: the local dev server by default; TLS (mTLS files) or an API key for a
// remote cluster such as Temporal Cloud. Flags override the environment.
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DEFAULTS, envOr } from '../config/env';

export interface TemporalOptions {
  address: string;
  namespace: string;
  /** true: TLS with the system roots; certificate and key paths for mTLS. */
  tls?: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
  tlsServerName?: string;
  /** Never logged. */
  apiKey?: string;
}

export function temporalOptionsFromEnv(
  overrides: Partial<TemporalOptions> = {},
  env = process.env,
): TemporalOptions {
  const options: TemporalOptions = {
    address: overrides.address ?? envOr('TEMPORAL_ADDRESS', DEFAULTS.temporalAddress),
    namespace: overrides.namespace ?? envOr('TEMPORAL_NAMESPACE', DEFAULTS.temporalNamespace),
  };
  const certPath = env.TEMPORAL_TLS_CERT;
  const keyPath = env.TEMPORAL_TLS_KEY;
  if (certPath) options.tlsCertPath = certPath;
  if (keyPath) options.tlsKeyPath = keyPath;
  if (env.TEMPORAL_TLS_CA) options.tlsCaPath = env.TEMPORAL_TLS_CA;
  if (env.TEMPORAL_TLS_SERVER_NAME) options.tlsServerName = env.TEMPORAL_TLS_SERVER_NAME;
  if (env.TEMPORAL_API_KEY) options.apiKey = env.TEMPORAL_API_KEY;
  options.tls = env.TEMPORAL_TLS === 'true' || Boolean(certPath) || Boolean(options.apiKey);
  return { ...options, ...overrides };
}

/** The TLS part shared by client and worker connections. */
export function tlsConfig(o: TemporalOptions): { tls?: object | boolean; apiKey?: string } {
  const mtls =
    o.tlsCertPath && o.tlsKeyPath
      ? { clientCertPair: { crt: readFileSync(o.tlsCertPath), key: readFileSync(o.tlsKeyPath) } }
      : {};
  const ca = o.tlsCaPath ? { serverRootCACertificate: readFileSync(o.tlsCaPath) } : {};
  const name = o.tlsServerName ? { serverNameOverride: o.tlsServerName } : {};
  const tls = o.tls ? { ...mtls, ...ca, ...name } : undefined;
  return { ...(tls ? { tls } : {}), ...(o.apiKey ? { apiKey: o.apiKey } : {}) };
}

export async function connectClient(o: TemporalOptions, connectTimeoutMs = 10_000): Promise<Client> {
  const connection = await Connection.connect({
    address: o.address,
    connectTimeout: connectTimeoutMs,
    ...tlsConfig(o),
  });
  return new Client({ connection, namespace: o.namespace });
}
