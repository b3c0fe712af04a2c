import { ApiMetrics } from '../../../src/api/metrics';
import type { ServiceAssessment } from '../../../src/evaluation/assess-service';
import type { GateAnswer } from '../../../src/operator/gate';
import type { SloAssessment } from '../../../src/slo/assess';
import type { IncidentView } from '../../../workflows/messages';

function slo(rate: number | null, remaining: number | null): SloAssessment {
  const burnRates = { '5m': rate, '30m': rate, '1h': rate, '2h': rate, '6h': rate, '1d': rate, '3d': rate };
  return {
    name: 'availability',
    objective: 99.9,
    window: '30d',
    severity: 'normal',
    errorBudget: { remaining },
    burnRates,
    errorRatios: {},
  };
}

function answer(verdict: GateAnswer['verdict'], slos?: SloAssessment[]): GateAnswer {
  return {
    service: 'checkout',
    verdict,
    wouldBe: verdict,
    mode: 'enforce',
    reasons: [],
    evaluatedAt: '2026-01-01T00:00:00.000Z',
    ...(slos ? { slos } : {}),
  };
}

const assessed = (slos: SloAssessment[]): ServiceAssessment => ({
  service: 'checkout',
  severity: 'normal',
  gate: { verdict: 'allow', reasons: [] } as unknown as ServiceAssessment['gate'],
  slos,
});

const incident = (service: string, state: IncidentView['state']) => ({
  workflowId: `incident-${service}`,
  view: { service, state } as IncidentView,
});

async function exposition(metrics: ApiMetrics): Promise<string> {
  return metrics.registry.metrics();
}

describe('API metrics', () => {
  it('records the fleet evaluation’s burn rates and budget, and counts each gate verdict', async () => {
    const metrics = new ApiMetrics();
    metrics.recordFleet([assessed([slo(0.5, 0.9)])]);
    metrics.recordGate(answer('allow', [slo(0.5, 0.9)]));
    metrics.recordGate(answer('allow', [slo(0.5, 0.9)]));
    const text = await exposition(metrics);
    expect(text).toContain('safedeploy_burn_rate{service="checkout",slo="availability",window="1h"} 0.5\n');
    expect(text).toContain('safedeploy_error_budget_remaining{service="checkout",slo="availability"} 0.9\n');
    expect(text).toContain('safedeploy_gate_verdicts_total{service="checkout",verdict="allow"} 2\n');
  });

  it('removes a series that has no data instead of reporting 0', async () => {
    const metrics = new ApiMetrics();
    metrics.recordFleet([assessed([slo(0.5, 0.9)])]);
    metrics.recordFleet([assessed([slo(null, null)])]);
    const text = await exposition(metrics);
    expect(text).not.toContain('safedeploy_burn_rate{');
    expect(text).not.toContain('safedeploy_error_budget_remaining{');
  });

  it('leaves the SLO series to the fleet evaluation: a gate answer, even a fail-closed one, does not move them', async () => {
    const metrics = new ApiMetrics();
    metrics.recordFleet([assessed([slo(0.5, 0.9)])]);
    metrics.recordGate(answer('allow', [slo(7, 0.1)]));
    metrics.recordGate(answer('deny'));
    const text = await exposition(metrics);
    expect(text).toContain('safedeploy_burn_rate{service="checkout",slo="availability",window="5m"} 0.5\n');
    expect(text).toContain('safedeploy_gate_verdicts_total{service="checkout",verdict="deny"} 1\n');
  });

  it('counts active incidents per catalog service, zero for the calm ones, and not those awaiting a postmortem', async () => {
    const metrics = new ApiMetrics();
    metrics.recordTemporalState(
      ['checkout', 'payments', 'search'],
      [incident('checkout', 'investigating'), incident('payments', 'resolved')],
      2,
    );
    const text = await exposition(metrics);
    expect(text).toContain('safedeploy_open_incidents{service="checkout"} 1\n');
    expect(text).toContain('safedeploy_open_incidents{service="payments"} 0\n');
    expect(text).toContain('safedeploy_open_incidents{service="search"} 0\n');
    expect(text).toContain('safedeploy_active_freezes 2\n');
  });

  it('reports incidents and freezes as unknown, not zero, when Temporal cannot be read', async () => {
    const metrics = new ApiMetrics();
    metrics.recordTemporalState(['checkout'], [], 0);
    metrics.clearTemporalState();
    const text = await exposition(metrics);
    expect(text).not.toContain('safedeploy_open_incidents{');
    // prom-client writes NaN as "Nan"; Prometheus parses either, case-insensitively.
    expect(text).toMatch(/^safedeploy_active_freezes nan$/im);
  });

  it('times evaluations by scope', async () => {
    const metrics = new ApiMetrics();
    metrics.startEvaluation('fleet')();
    expect(await exposition(metrics)).toContain(
      'safedeploy_evaluation_duration_seconds_count{scope="fleet"} 1\n',
    );
  });
});
