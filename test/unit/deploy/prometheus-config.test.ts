// deploy/prometheus/prometheus.yml: parses, is what compose mounts, scrapes services that exist on ports they
// listen on, and promtool accepts it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensurePrometheus } from '../../../src/tools/prometheus-bin';
import { containerPorts, hostPort, mounts, service, services } from './compose';
import { list, record, repoPath, yamlDocument } from './support';

const CONFIG_FILE = 'deploy/prometheus/prometheus.yml';

interface ScrapeTarget {
  job: string;
  host: string;
  port: number;
}

function scrapeTargets(): ScrapeTarget[] {
  const config = record(yamlDocument(CONFIG_FILE), CONFIG_FILE);
  return list(config.scrape_configs, 'scrape_configs').flatMap((entry) => {
    const job = record(entry, 'scrape_configs[]');
    return list(job.static_configs, `${String(job.job_name)}.static_configs`).flatMap((group) =>
      list(record(group, 'static_configs[]').targets, 'targets').map((target) => ({
        job: String(job.job_name),
        ...hostPort(String(target)),
      })),
    );
  });
}

describe('the Prometheus configuration', () => {
  test('scrapes itself, the SafeDeploy API and the demo service', () => {
    expect(scrapeTargets().map((t) => t.job)).toEqual(['prometheus', 'safedeploy-api', 'demo']);
  });

  test('every scrape target is a compose service on a port it listens on', () => {
    const names = Object.keys(services());
    for (const target of scrapeTargets()) {
      // Prometheus scrapes itself on localhost, inside its own container.
      const serviceName = target.host === 'localhost' ? 'prometheus' : target.host;
      expect({ target, isService: names.includes(serviceName) }).toEqual({ target, isService: true });
      expect({ target, listens: containerPorts(serviceName).includes(target.port) }).toEqual({
        target,
        listens: true,
      });
    }
  });

  test('is the file compose mounts where --config.file points', () => {
    const flag = (service('prometheus').command as string[]).find((arg) => arg.startsWith('--config.file='));
    expect(mounts('prometheus')).toContainEqual({
      source: `./${CONFIG_FILE}`,
      target: flag?.slice('--config.file='.length),
      readOnly: true,
    });
  });

  test('promtool accepts it', async () => {
    const { promtool } = await ensurePrometheus();
    const { stdout } = await promisify(execFile)(promtool, ['check', 'config', repoPath(CONFIG_FILE)]);
    expect(stdout).toMatch(/SUCCESS/);
  });
});
