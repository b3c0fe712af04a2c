import { renderReportMarkdown, renderReportText, markdownTable } from '../../../src/cli/views/report-render';
import { buildReport, openProposals, summarizeIncident } from '../../../src/operator/report';
import type { FreezeView } from '../../../workflows/messages';
import { healthyFleet, INCIDENT_ID, incidentView, proposal } from './fixtures';

const NOW = new Date('2026-01-01T01:00:00Z');

const frozen: FreezeView = {
  service: 'checkout',
  state: 'frozen',
  since: '2026-01-01T00:10:00.000Z',
  until: null,
  exhausted: true,
  refusals: [],
};

describe('the fleet report', () => {
  it('allows a healthy service when Temporal shows no incident or freeze', () => {
    const { catalog, evaluation } = healthyFleet(NOW);
    const report = buildReport(catalog, evaluation, { reachable: true, incidents: [], freezes: [] }, NOW);
    expect(report.services).toEqual([
      expect.objectContaining({
        service: 'checkout',
        owner: { team: 'payments', contact: 'payments-oncall@example.com' },
        approvers: ['alice', 'bob'],
        severity: 'normal',
        gate: { verdict: 'allow', wouldBe: 'allow', mode: 'enforce', reasons: [] },
      }),
    ]);
    expect(report.services[0]!.slos[0]!.errorBudget.remaining).toBe(1);
  });

  it('adds Temporal state to the gate: an active incident and a freeze both deny', () => {
    const { catalog, evaluation } = healthyFleet(NOW);
    const incident = incidentView({
      state: 'investigating',
      proposals: [proposal('rollback-rollout', 'pending')],
    });
    const report = buildReport(
      catalog,
      evaluation,
      { reachable: true, incidents: [incident], freezes: [frozen] },
      NOW,
    );
    expect(report.services[0]!.gate.verdict).toBe('deny');
    expect(report.services[0]!.gate.reasons.map((r) => r.code)).toEqual(['freeze-active', 'incident-active']);
    expect(report.incidents).toEqual([
      expect.objectContaining({ incidentId: INCIDENT_ID, state: 'investigating', ageSeconds: 3600 }),
    ]);
    expect(report.proposals.map((p) => p.id)).toEqual([`${INCIDENT_ID}/rollback-rollout`]);
  });

  it('does not let a resolved incident awaiting its postmortem block promotion', () => {
    const { catalog, evaluation } = healthyFleet(NOW);
    const report = buildReport(
      catalog,
      evaluation,
      { reachable: true, incidents: [incidentView({ state: 'resolved' })], freezes: [] },
      NOW,
    );
    expect(report.services[0]!.gate.verdict).toBe('allow');
    expect(report.incidents).toHaveLength(1);
  });

  it('fails closed when Temporal is unreachable, and says so in every rendering', () => {
    const { catalog, evaluation } = healthyFleet(NOW);
    const report = buildReport(
      catalog,
      evaluation,
      { reachable: false, error: 'cannot reach Temporal at 127.0.0.1:1: refused' },
      NOW,
    );
    expect(report.temporal).toEqual({
      reachable: false,
      error: 'cannot reach Temporal at 127.0.0.1:1: refused',
    });
    expect(report.services[0]!.gate).toMatchObject({
      verdict: 'deny',
      reasons: [{ code: 'temporal-unavailable' }],
    });
    expect(renderReportText(report)).toContain(
      'Temporal unreachable (cannot reach Temporal at 127.0.0.1:1: refused)',
    );
    expect(renderReportText(report)).toMatch(/Incidents\nunknown: Temporal unreachable/);
    expect(renderReportMarkdown(report)).toContain('> **Temporal unreachable');
  });

  it('renders Markdown sections with tables', () => {
    const { catalog, evaluation } = healthyFleet(NOW);
    const markdown = renderReportMarkdown(
      buildReport(catalog, evaluation, { reachable: true, incidents: [], freezes: [] }, NOW),
    );
    expect(markdown).toMatch(/^# SafeDeploy report at 2026-01-01T01:00:00.000Z: 1 service\n/);
    for (const title of ['Services', 'SLOs', 'Freezes', 'Incidents', 'Open proposals', 'Gate'])
      expect(markdown).toContain(`\n## ${title}\n`);
    expect(markdown).toContain(
      '| checkout | payments <payments-oncall@example.com> | alice, bob | normal | allow |',
    );
  });
});

describe('report building blocks', () => {
  it('escapes pipes and newlines in Markdown cells', () => {
    expect(markdownTable(['A'], [['x | y\nz']])).toBe('| A |\n| --- |\n| x \\| y z |\n');
  });

  it('lists only proposals still waiting for a human or a merge', () => {
    const view = incidentView({
      proposals: [
        proposal('rollback-rollout', 'opened'),
        proposal('block-promotion', 'rejected'),
        proposal('promote-canary', 'pending'),
      ],
    });
    expect(openProposals([view]).map((p) => [p.type, p.state, p.change?.url])).toEqual([
      ['rollback-rollout', 'opened', 'file:///env.git#b'],
      ['promote-canary', 'pending', undefined],
    ]);
  });

  it('never reports a negative age for an incident detected by a clock slightly ahead', () => {
    expect(summarizeIncident(incidentView({ detectedAt: '2026-01-01T01:00:02.000Z' }), NOW).ageSeconds).toBe(
      0,
    );
  });
});
