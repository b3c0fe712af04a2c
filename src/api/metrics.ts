// The API's Prometheus metrics, in a registry of its own (no global state, one per server). Burn
// rates and budgets are refreshed whenever the API evaluates (gate, services, periodic refresh); a
// value that has no data is removed rather than set to 0, so absent() alerts see it.
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';
import type { ServiceAssessment } from '../evaluation/assess-service';
import { isActive } from '../incident/lifecycle';
import type { GateAnswer } from '../operator/gate';
import type { IncidentRef } from '../operator/incidents';
import type { SloAssessment } from '../slo/assess';
import { ALERT_WINDOWS } from '../slo/windows';

export type EvaluationScope = 'gate' | 'fleet';

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly burnRate = this.gauge({
    name: 'safedeploy_burn_rate',
    help: 'Error budget burn rate per SLO and alert window (1 = spending the budget exactly over the SLO window)',
    labelNames: ['service', 'slo', 'window'] as const,
  });
  private readonly budgetRemaining = this.gauge({
    name: 'safedeploy_error_budget_remaining',
    help: 'Fraction of the error budget left over the SLO window (negative when overspent)',
    labelNames: ['service', 'slo'] as const,
  });
  private readonly openIncidents = this.gauge({
    name: 'safedeploy_open_incidents',
    help: 'Active (not yet resolved) incidents per catalog service',
    labelNames: ['service'] as const,
  });
  private readonly activeFreezes = this.gauge({
    name: 'safedeploy_active_freezes',
    help: 'Services currently frozen',
  });
  private readonly evaluationDuration = this.histogram({
    name: 'safedeploy_evaluation_duration_seconds',
    help: 'Time to evaluate: one service for the gate (Temporal and Prometheus), or the fleet (Prometheus)',
    labelNames: ['scope'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  private readonly dependencyUp = this.gauge({
    name: 'safedeploy_dependency_up',
    help: 'Whether the last periodic refresh could read the dependency (1) or not (0)',
    labelNames: ['dependency'] as const,
  });
  private readonly gateVerdicts = this.counter({
    name: 'safedeploy_gate_verdicts_total',
    help: 'Gate answers given, by service and verdict',
    labelNames: ['service', 'verdict'] as const,
  });

  private readonly gateRecordsDropped = this.counter({
    name: 'safedeploy_gate_records_dropped_total',
    help: 'Gate answers not recorded in the audit stream gate because its buffer was full',
  });
  private readonly gateRecordWriteFailures = this.counter({
    name: 'safedeploy_gate_record_write_failures_total',
    help: 'Failed appends to the audit stream gate (their records stay buffered and are retried)',
  });
  private pendingGateRecords: () => number = () => 0;
  private readonly gateRecordsPending: Gauge = this.gauge({
    name: 'safedeploy_gate_records_pending',
    help: 'Gate answers buffered, not yet appended to the audit stream gate',
    collect: (): void => this.gateRecordsPending.set(this.pendingGateRecords()),
  });

  // Every metric registers in this server's own registry, never the global one.
  private gauge<T extends string>(config: Omit<GaugeConfiguration<T>, 'registers'>): Gauge<T> {
    return new Gauge({ ...config, registers: [this.registry] });
  }

  private counter<T extends string>(config: Omit<CounterConfiguration<T>, 'registers'>): Counter<T> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  private histogram<T extends string>(config: Omit<HistogramConfiguration<T>, 'registers'>): Histogram<T> {
    return new Histogram({ ...config, registers: [this.registry] });
  }

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** The gate log's buffer: its pending count is read at every scrape. */
  watchGateLog(pending: () => number): void {
    this.pendingGateRecords = pending;
  }

  gateRecordDropped(): void {
    this.gateRecordsDropped.inc();
  }

  gateRecordWriteFailed(): void {
    this.gateRecordWriteFailures.inc();
  }

  /** Starts timing an evaluation; call the result when it ends, however it ends. */
  startEvaluation(scope: EvaluationScope): () => void {
    const end = this.evaluationDuration.startTimer({ scope });
    return () => void end();
  }

  /**
   * Counts the verdict. The SLO gauges are not set here: every evaluation a gate answer uses was
   * recorded by recordFleet when it was made (src/api/fleet.ts), and setting eight gauges per call
   * cost the hot path for nothing.
   */
  recordGate(answer: GateAnswer): void {
    this.gateVerdicts.inc({ service: answer.service, verdict: answer.verdict });
  }

  /** A whole-fleet evaluation replaces every SLO series, so removed services and SLOs disappear. */
  recordFleet(services: readonly ServiceAssessment[]): void {
    this.clearSlos();
    for (const s of services) for (const slo of s.slos) this.recordSlo(s.service, slo);
  }

  dependency(name: 'prometheus' | 'temporal', up: boolean): void {
    this.dependencyUp.set({ dependency: name }, up ? 1 : 0);
  }

  /** Prometheus could not be read: stale burn rates would look current, so they go. */
  clearSlos(): void {
    this.burnRate.reset();
    this.budgetRemaining.reset();
  }

  recordTemporalState(
    catalogServices: readonly string[],
    incidents: readonly IncidentRef[],
    freezes: number,
  ): void {
    this.openIncidents.reset();
    for (const service of catalogServices) this.openIncidents.set({ service }, 0);
    for (const { view } of incidents)
      if (isActive(view.state)) this.openIncidents.inc({ service: view.service });
    this.activeFreezes.set(freezes);
  }

  /** Temporal could not be read: unknown (absent, NaN), not zero, which would claim all is calm. */
  clearTemporalState(): void {
    this.openIncidents.reset();
    this.activeFreezes.set(Number.NaN);
  }

  private recordSlo(service: string, slo: SloAssessment): void {
    const remaining = slo.errorBudget.remaining;
    if (remaining === null) this.budgetRemaining.remove({ service, slo: slo.name });
    else this.budgetRemaining.set({ service, slo: slo.name }, remaining);
    for (const window of ALERT_WINDOWS) {
      const labels = { service, slo: slo.name, window };
      const rate = slo.burnRates[window];
      if (rate === null) this.burnRate.remove(labels);
      else this.burnRate.set(labels, rate);
    }
  }
}
