// A real Alertmanager (Debian's prometheus-alertmanager, fetched by the tools installer) for tests: one
// webhook receiver, short grouping times, no clustering, so two instances act as an HA pair that does
// not gossip (each then delivers every notification, as an HA pair may).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensureAlertmanager } from '../../src/tools/alertmanager-bin';
import { outputSection, startManagedProcess } from '../../src/process/managed-process';
import { pollUntil } from '../../src/process/poll';
import { freePort } from '../../src/process/ports';

export interface TestAlertmanager {
  /** host:port, as Prometheus's alerting target. */
  target: string;
  url: string;
  stop(): Promise<void>;
}

export async function startTestAlertmanager(webhook: {
  url: string;
  token: string;
}): Promise<TestAlertmanager> {
  const binary = await ensureAlertmanager();
  const dir = await mkdtemp(join(tmpdir(), 'safedeploy-test-alertmanager-'));
  const config = {
    route: {
      receiver: 'safedeploy',
      group_by: ['alertname', 'service'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
    },
    receivers: [
      {
        name: 'safedeploy',
        webhook_configs: [
          {
            url: webhook.url,
            send_resolved: true,
            http_config: { authorization: { type: 'Bearer', credentials: webhook.token } },
          },
        ],
      },
    ],
  };
  await writeFile(join(dir, 'alertmanager.yml'), stringify(config));
  const port = await freePort();
  const target = `127.0.0.1:${port}`;
  const child = startManagedProcess(binary, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=${target}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  const stop = async () => {
    await child.stop(5_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await pollUntil(
      async () => (await fetch(`http://${target}/-/ready`, { signal: AbortSignal.timeout(2_000) })).ok,
      {
        timeoutMs: 30_000,
        intervalMs: 200,
        what: `Alertmanager at ${target}`,
        abortReason: () => child.exitReason(),
      },
    );
  } catch (err) {
    const output = child.output();
    await stop();
    throw new Error(`${(err as Error).message}${outputSection('alertmanager', output)}`, { cause: err });
  }
  return { target, url: `http://${target}`, stop };
}
