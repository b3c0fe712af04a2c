// docker-compose.yml against the code it runs: environment names the code reads, addresses that point at
// services that exist, ports, volumes and start order.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  COMPOSE_FILE,
  composeFile,
  containerPorts,
  dependsOn,
  environment,
  hostPort,
  mounts,
  ports,
  service,
  services,
} from './compose';
import { cliCommands } from './commands';
import { AWAITED_COMMANDS, codeReadsEnv, readRepoFile, record, repoPath } from './support';

const SAFEDEPLOY = ['worker', 'api'];

describe('docker-compose.yml', () => {
  test('every service sets an image or a build', () => {
    for (const [name, spec] of Object.entries(services())) {
      expect({ name, hasImageOrBuild: spec.image !== undefined || spec.build !== undefined }).toEqual({
        name,
        hasImageOrBuild: true,
      });
    }
  });

  test('the SafeDeploy services and the demo are built from the Dockerfile into one image', () => {
    const built = Object.entries(services()).filter(([, spec]) => spec.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(['api', 'demo', 'seed-env', 'worker']);
    for (const [, spec] of built) {
      const context = typeof spec.build === 'string' ? spec.build : record(spec.build, 'build').context;
      expect(context).toBe('.');
    }
    expect(new Set(built.map(([, spec]) => spec.image)).size).toBe(1);
    expect(existsSync(repoPath('Dockerfile'))).toBe(true);
  });

  test.each(SAFEDEPLOY)('the %s sets only environment variables the code reads', (name) => {
    const names = Object.keys(environment(name));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((env) => !codeReadsEnv(env))).toEqual([]);
  });

  test.each(SAFEDEPLOY)(
    'the %s reaches Temporal at the temporal service, on the port it listens on',
    (name) => {
      const { host, port } = hostPort(environment(name).TEMPORAL_ADDRESS ?? '');
      expect(host).toBe('temporal');
      expect(containerPorts(host)).toContain(port);
      expect(environment(name).TEMPORAL_NAMESPACE).toBe(
        environment('register-search-attributes').TEMPORAL_NAMESPACE,
      );
    },
  );

  test.each(SAFEDEPLOY)('the %s queries the prometheus service on the port it listens on', (name) => {
    const url = new URL(environment(name).PROMETHEUS_URL ?? '');
    expect(url.hostname).toBe('prometheus');
    expect(containerPorts(url.hostname)).toContain(Number(url.port));
  });

  test.each(SAFEDEPLOY)(
    'the %s reads the catalog seed-env writes, from the volume holding the seeded environment repository',
    (name) => {
      const [, , seedDir] = service('seed-env').command as string[];
      const seedMount = mounts('seed-env').find((m) => m.target === seedDir);
      expect(seedMount).toMatchObject({ source: 'safedeploy-env', readOnly: false });
      const mount = mounts(name).find((m) => m.source === 'safedeploy-env');
      expect(environment(name).SAFEDEPLOY_CATALOG).toBe(`${mount?.target}/catalog`);
      expect(mount?.target).toBe(seedDir);
      expect(dependsOn(name)['seed-env']).toBe('service_completed_successfully');
    },
  );

  test('the local catalog the worker runs sends rollbacks to the seeded local repository, not GitHub', () => {
    const catalog = readRepoFile('examples/local/checkout.yaml');
    expect(catalog).toMatch(/repo: \{ provider: git, url: 'file:\/\/[^']+\/env\.git'/);
    const [command, flag] = service('seed-env').command as string[];
    expect([command, flag]).toEqual(['seed-env', '--dir']);
  });

  test('two worker replicas keep evidence and audit in PostgreSQL, in a database of their own beside Temporal’s', () => {
    expect(record(service('worker').deploy, 'deploy').replicas).toBe(2);
    const url = new URL(environment('worker').SAFEDEPLOY_DATABASE_URL ?? '');
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgresql');
    expect(url.pathname).toBe('/safedeploy');
    expect(`${url.username}:${url.password}`).toBe(
      `${environment('postgresql').POSTGRES_USER}:${environment('postgresql').POSTGRES_PASSWORD}`,
    );
    const createdb = (service('safedeploy-database').entrypoint as string[]).join(' ');
    expect(createdb).toContain('createdb safedeploy');
    expect(dependsOn('worker')['safedeploy-database']).toBe('service_completed_successfully');
    expect(dependsOn('safedeploy-database')).toEqual({ postgresql: 'service_healthy' });
  });

  test('the worker keeps only its git mirror cache in SAFEDEPLOY_DATA_DIR, on a named volume', () => {
    const dataDir = environment('worker').SAFEDEPLOY_DATA_DIR;
    const mount = mounts('worker').find((m) => m.target === dataDir);
    expect(mount).toMatchObject({ source: 'safedeploy-git-cache', readOnly: false });
  });

  test('the API refuses to start without a token from the environment', () => {
    const value = environment('api').SAFEDEPLOY_API_TOKEN ?? '';
    expect(value).toMatch(/^\$\{SAFEDEPLOY_API_TOKEN:\?[^}]+\}$/);
  });

  test('temporalio/auto-setup is marked for local use and leaves search attributes to the registration job', () => {
    expect(environment('temporal').SKIP_ADD_CUSTOM_SEARCH_ATTRIBUTES).toBe('true');
    expect(readRepoFile(COMPOSE_FILE)).toMatch(/temporalio\/auto-setup is for local use only/);
  });

  test('every published port is bound to 127.0.0.1 only', () => {
    for (const name of Object.keys(services()))
      for (const entry of (service(name).ports as string[] | undefined) ?? [])
        expect({ name, entry, loopback: String(entry).startsWith('127.0.0.1:') }).toEqual({
          name,
          entry,
          loopback: true,
        });
  });

  test('GitHub credentials are passed through from the environment, never written here', () => {
    for (const name of [
      'GITHUB_TOKEN',
      'GITHUB_APP_ID',
      'GITHUB_APP_INSTALLATION_ID',
      'GITHUB_APP_PRIVATE_KEY',
    ])
      expect(environment('worker')[name]).toBe(`\${${name}:-}`);
    const written = Object.keys(services()).flatMap((name) =>
      Object.entries(environment(name))
        .filter(([key, value]) => /TOKEN|API_KEY|PRIVATE_KEY/.test(key) && !value.startsWith('${'))
        .map(([key]) => `${name}.${key}`),
    );
    expect(written).toEqual([]);
  });

  test('published host ports are unique and the documented ones', () => {
    const published = Object.keys(services()).flatMap((name) => ports(name).map((p) => ({ name, ...p })));
    expect(new Set(published.map((p) => p.host)).size).toBe(published.length);
    expect(published.sort((a, b) => a.host - b.host)).toEqual([
      { name: 'temporal', host: 7233, container: 7233 },
      { name: 'api', host: 8080, container: 8080 },
      { name: 'demo', host: 8081, container: 8081 },
      { name: 'temporal-ui', host: 8233, container: 8080 },
      { name: 'prometheus', host: 9090, container: 9090 },
    ]);
  });

  test('named volumes are declared and used, bind mounts exist in the repository', () => {
    const declared = Object.keys(record(composeFile().volumes, 'volumes'));
    const used = new Set<string>();
    for (const name of Object.keys(services())) {
      for (const mount of mounts(name)) {
        if (mount.source.startsWith('./'))
          expect({ mount: mount.source, exists: existsSync(repoPath(mount.source)) }).toEqual({
            mount: mount.source,
            exists: true,
          });
        else {
          expect(declared).toContain(mount.source);
          used.add(mount.source);
        }
      }
    }
    expect([...used].sort()).toEqual([...declared].sort());
  });

  test('depends_on names existing services, with conditions those services can meet', () => {
    const all = services();
    for (const name of Object.keys(all)) {
      for (const [dependency, condition] of Object.entries(dependsOn(name))) {
        const target = all[dependency];
        expect({ name, dependency, exists: target !== undefined }).toEqual({
          name,
          dependency,
          exists: true,
        });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect(target?.healthcheck).toBeDefined();
        if (condition === 'service_completed_successfully') expect(target?.restart).toBe('no');
      }
    }
  });

  test.each(SAFEDEPLOY)(
    'the %s starts once the search attributes are registered, the repository seeded and Prometheus ready',
    (name) => {
      expect(dependsOn(name)).toMatchObject({
        'register-search-attributes': 'service_completed_successfully',
        'seed-env': 'service_completed_successfully',
        prometheus: 'service_healthy',
      });
    },
  );

  test('the search-attribute job runs the registration script against the temporal service', () => {
    const script = mounts('register-search-attributes').find(
      (m) => m.source === './deploy/temporal/register-search-attributes.sh',
    );
    expect(script?.readOnly).toBe(true);
    expect(service('register-search-attributes').entrypoint).toEqual(['/bin/sh', script?.target]);
    expect(String(service('register-search-attributes').image)).toMatch(/^temporalio\/admin-tools:/);
    expect(environment('register-search-attributes').TEMPORAL_ADDRESS).toBe(
      environment('worker').TEMPORAL_ADDRESS,
    );
    expect(dependsOn('register-search-attributes')).toHaveProperty('temporal');
  });

  test('the Temporal server keeps its data in the postgresql service and loads the dynamic config we ship', () => {
    const temporal = environment('temporal');
    const postgres = environment('postgresql');
    expect(String(service('temporal').image)).toMatch(/^temporalio\/auto-setup:/);
    expect(temporal).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgresql',
      POSTGRES_USER: postgres.POSTGRES_USER,
      POSTGRES_PWD: postgres.POSTGRES_PASSWORD,
    });
    expect(dependsOn('temporal')).toEqual({ postgresql: 'service_healthy' });
    // auto-setup resolves DYNAMIC_CONFIG_FILE_PATH against /etc/temporal.
    const configFile = path.posix.join('/etc/temporal', temporal.DYNAMIC_CONFIG_FILE_PATH ?? '');
    const mount = mounts('temporal').find((m) => configFile.startsWith(`${m.target}/`));
    expect(mount).toBeDefined();
    const shipped = path.join(mount?.source ?? '', path.posix.relative(mount?.target ?? '', configFile));
    expect(parse(readRepoFile(shipped))).toHaveProperty(['system.forceSearchAttributesCacheRefreshOnRead']);
  });

  test('the Temporal UI talks to the temporal service', () => {
    expect(environment('temporal-ui').TEMPORAL_ADDRESS).toBe(environment('worker').TEMPORAL_ADDRESS);
  });

  test('the services built from the Dockerfile run safedeploy commands', () => {
    const commands = cliCommands();
    for (const name of ['worker', 'api', 'demo', 'seed-env']) {
      const [command] = service(name).command as string[];
      expect({
        name,
        known: commands.includes(command ?? '') || AWAITED_COMMANDS.includes(command ?? ''),
      }).toEqual({
        name,
        known: true,
      });
    }
  });

  test('the commands the deployment files await are still missing (delete them from AWAITED_COMMANDS when they land)', () => {
    const commands = cliCommands();
    expect(AWAITED_COMMANDS.filter((name) => commands.includes(name))).toEqual([]);
  });
});
