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
