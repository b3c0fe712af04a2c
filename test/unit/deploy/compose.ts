// docker-compose.yml read into plain values: services, their environment, ports and mounts.
import { list, record, yamlDocument } from './support';

export const COMPOSE_FILE = 'docker-compose.yml';

export interface PortMapping {
  host: number;
  container: number;
}

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

let parsed: Record<string, unknown> | undefined;

/** The parsed file, read once per test file (tests only read it). */
export function composeFile(): Record<string, unknown> {
  parsed ??= record(yamlDocument(COMPOSE_FILE), COMPOSE_FILE);
  return parsed;
}

export function services(): Record<string, Record<string, unknown>> {
  const all = record(composeFile().services, 'services');
  return Object.fromEntries(
    Object.entries(all).map(([name, value]) => [name, record(value, `services.${name}`)]),
  );
}

export function service(name: string): Record<string, unknown> {
  const found = services()[name];
  if (found === undefined) throw new Error(`${COMPOSE_FILE} has no service "${name}"`);
  return found;
}

/** The environment as a map, from either the mapping or the `KEY=value` list form. */
export function environment(name: string): Record<string, string> {
  const env = service(name).environment;
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry);
        const at = text.indexOf('=');
        return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(record(env, `services.${name}.environment`)).map(([k, v]) => [k, scalar(v)]),
  );
}

/** Published ports, short (`"8233:8080"`) or long (`{published, target}`) syntax. */
export function ports(name: string): PortMapping[] {
  const declared = service(name).ports;
  if (declared === undefined) return [];
  return list(declared, `services.${name}.ports`).map((entry) => {
    if (typeof entry === 'object' && entry !== null) {
      const long = record(entry, `services.${name}.ports`);
      return { host: Number(long.published), container: Number(long.target) };
    }
    const parts = String(entry).split(':');
    const container = Number(parts.at(-1));
    return { host: parts.length > 1 ? Number(parts.at(-2)) : container, container };
  });
}

export function mounts(name: string): Mount[] {
  const declared = service(name).volumes;
  if (declared === undefined) return [];
  return list(declared, `services.${name}.volumes`).map((entry) => {
    const [source = '', target = '', mode = ''] = String(entry).split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  });
}

/** depends_on as service → condition (the list form means service_started). */
export function dependsOn(name: string): Record<string, string> {
  const declared = service(name).depends_on;
  if (declared === undefined) return {};
  if (Array.isArray(declared)) return Object.fromEntries(declared.map((d) => [String(d), 'service_started']));
  return Object.fromEntries(
    Object.entries(record(declared, `services.${name}.depends_on`)).map(([dep, spec]) => [
      dep,
      scalar(record(spec, `services.${name}.depends_on.${dep}`).condition ?? 'service_started'),
    ]),
  );
}

/** A YAML scalar as compose sees it (numbers and booleans as text, null as empty). */
export function scalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`expected a scalar, got ${JSON.stringify(value)}`);
}

/** `host:port` split; the port as a number. */
export function hostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/** The ports a service listens on inside the compose network: the container side of its mappings. */
export function containerPorts(name: string): number[] {
  return ports(name).map((p) => p.container);
}
