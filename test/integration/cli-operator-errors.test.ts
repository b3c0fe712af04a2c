// Every error an operator can hit with the incident, proposal and freeze commands, through the real
// binary: one clear line on stderr and a documented exit code, never a stack trace. Needs only a
// Temporal namespace (no worker): unknown ids are unknown, usage errors never reach Temporal.
import { freePort } from '../../src/process/ports';
import { namespaceClient } from '../harness/namespaces';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import { expectOneLine, runCli } from '../support/cli';
import { signedArgs } from '../support/signing';

const NAMESPACE = uniqueId('safedeploy-cli-errors');
const env = { TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: NAMESPACE, SAFEDEPLOY_USER: 'carol' };

beforeAll(async () => {
  env.TEMPORAL_ADDRESS = testTemporalAddress();
  const client = await namespaceClient(NAMESPACE);
  await client.connection.close();
}, 60_000);

const cli = (...args: string[]) => runCli(signedArgs(args), { env });

describe('operator errors are one clear line', () => {
  it('names an unknown incident id and suggests the listing (exit 1)', async () => {
    expectOneLine(
      await cli('incident', 'show', 'checkout-20200101t000000z'),
      1,
      'safedeploy: no incident "checkout-20200101t000000z" (try: safedeploy incident list)',
    );
    expectOneLine(
      await cli('incident', 'ack', 'nosuch', '--reason', 'x', '--by', 'alice'),
      1,
      'safedeploy: no incident "nosuch" (try: safedeploy incident list)',
    );
    expectOneLine(
      await cli('proposal', 'approve', 'nosuch-20200101t000000z/rollback-rollout', '--reason', 'x'),
      1,
      /^safedeploy: no incident "nosuch-20200101t000000z" \(try: safedeploy proposal list\)$/,
    );
  });

  it.each([
    [
      'proposal approve without --reason',
      ['proposal', 'approve', 'checkout', '--by', 'alice'],
      /required option '--reason <text>' not specified/,
    ],
    [
      'incident ack with a blank --reason',
      ['incident', 'ack', 'checkout', '--reason', '  '],
      /^safedeploy: --reason must not be empty/,
    ],
    [
      'freeze lift without --reason',
      ['freeze', 'lift', 'payments'],
      /required option '--reason <text>' not specified/,
    ],
    [
      'a postmortem link that is not http(s)',
      ['incident', 'postmortem', 'checkout', '--url', 'docs/pm.md'],
      /^safedeploy: invalid --url "docs\/pm\.md"/,
    ],
    [
      'an unknown proposal type',
      ['proposal', 'reject', 'checkout', '--type', 'revert', '--reason', 'x'],
      /unknown proposal type "revert"/,
    ],
  ])('refuses %s as a usage error (exit 2) before sending anything', async (_name, args, message) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['incident', 'list']],
    [['incident', 'show', 'checkout', '--json']],
    [['proposal', 'approve', 'checkout', '--reason', 'x', '--by', 'alice']],
    [['freeze', 'lift', 'payments', '--reason', 'x', '--by', 'alice']],
  ])('gives up quickly on an unreachable Temporal with exit 3: %j', async (args) => {
    const address = `127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const run = await runCli([...args, '--address', address], { env });
    expectOneLine(
      run,
      3,
      new RegExp(`^safedeploy: cannot reach Temporal at ${address.replace(/\./g, '\\.')}: .+`),
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('names an unknown namespace as a usage error (exit 2)', async () => {
    const namespace = uniqueId('no-such-namespace');
    expectOneLine(
      await cli('incident', 'show', 'checkout', '--namespace', namespace),
      2,
      `safedeploy: Temporal namespace "${namespace}" does not exist at ${env.TEMPORAL_ADDRESS} (use --namespace or TEMPORAL_NAMESPACE)`,
    );
  });

  it('shows --help with exit codes on every operator command', async () => {
    const commands = [
      ['incident', 'list'],
      ['incident', 'show'],
      ['incident', 'ack'],
      ['incident', 'mitigate'],
      ['incident', 'resolve'],
      ['incident', 'postmortem'],
      ['proposal', 'list'],
      ['proposal', 'approve'],
      ['proposal', 'reject'],
      ['freeze', 'list'],
      ['freeze', 'lift'],
      ['gate'],
      ['report'],
      ['audit', 'verify'],
    ];
    const runs = await Promise.all(commands.map((command) => cli(...command, '--help')));
    for (const [i, run] of runs.entries()) {
      const command = commands[i]!;
      expect({ command, code: run.code }).toEqual({ command, code: 0 });
      expect(run.stdout).toContain(`Usage: safedeploy ${command.join(' ')}`);
      expect(run.stdout).toContain('Exit codes:');
    }
  }, 60_000);
});
