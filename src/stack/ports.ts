// The stack's ports: the well-known defaults when they are free, so bookmarks and the docs work; a
// free port (announced) when a default is taken; and an error when a port asked for is taken.
import { createServer } from 'node:net';
import { freePort } from '../process/ports';

export const DEFAULT_PORTS = {
  temporal: 7233,
  webUi: 8233,
  prometheus: 9090,
  api: 8080,
  demo: 8081,
} as const;
export type PortName = keyof typeof DEFAULT_PORTS;

export const PORT_FLAGS: Record<PortName, string> = {
  temporal: '--temporal-port',
  webUi: '--ui-port',
  prometheus: '--prometheus-port',
  api: '--api-port',
  demo: '--demo-port',
};

export const PORT_LABELS: Record<PortName, string> = {
  temporal: 'Temporal frontend (gRPC)',
  webUi: 'Temporal Web UI',
  prometheus: 'Prometheus',
  api: 'SafeDeploy API',
  demo: 'demo service',
};

export type RequestedPorts = Partial<Record<PortName, number>>;

export async function choosePorts(
  requested: RequestedPorts,
  names: readonly PortName[],
  log: (line: string) => void,
): Promise<Record<PortName, number>> {
  const chosen = { ...DEFAULT_PORTS } as Record<PortName, number>;
  for (const name of names) chosen[name] = await choosePort(name, requested[name], log);
  return chosen;
}

async function choosePort(name: PortName, requested: number | undefined, log: (line: string) => void) {
  if (requested !== undefined) {
    if (await isFree(requested)) return requested;
    throw new Error(
      `port ${requested} (${PORT_FLAGS[name]}) is in use on 127.0.0.1: free it or pick another`,
    );
  }
  const wanted = DEFAULT_PORTS[name];
  if (await isFree(wanted)) return wanted;
  const port = await freePort();
  log(
    `port ${wanted} is in use; the ${PORT_LABELS[name]} gets ${port} instead (choose with ${PORT_FLAGS[name]})`,
  );
  return port;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
