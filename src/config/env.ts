// Configuration from the environment; command-line flags override. The embedded default (the local
// stack started by `npm start`) needs none of these.
export const DEFAULTS = {
  temporalAddress: 'localhost:7233',
  temporalNamespace: 'default',
  prometheusUrl: 'http://localhost:9090',
  catalogDir: 'catalog',
  dataDir: '.data',
} as const;

export function envOr(name: string, fallback: string): string {
  const value = process.env[name];
  return value !== undefined && value !== '' ? value : fallback;
}

export const catalogDirDefault = (): string => envOr('SAFEDEPLOY_CATALOG', DEFAULTS.catalogDir);
export const prometheusUrlDefault = (): string => envOr('PROMETHEUS_URL', DEFAULTS.prometheusUrl);
export const dataDirDefault = (): string => envOr('SAFEDEPLOY_DATA_DIR', DEFAULTS.dataDir);
/** PostgreSQL for evidence and audit; unset keeps them in files under the data directory. */
export const databaseUrlDefault = (): string | undefined => {
  const value = process.env.SAFEDEPLOY_DATABASE_URL;
  return value !== undefined && value !== '' ? value : undefined;
};
