// A service's change freeze after its error budget is exhausted: frozen while exhausted, then for
// freezeDuration after the last exhausted evaluation (a durable timer, extended, never shortened).
// An approver may lift it early with a reason (break-glass, audited).
import { condition, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { ServiceContext } from '../src/evaluation/observation';
import { SafeDeployIncidentState } from '../src/temporal/search-attributes';
import { notifyAudited } from './notify';
import { recording } from './proxies';
import { answer, onAction, proofFields, refuse, type ActionBook, type ActionRules } from './human-actions';
import type { AuditRecord, EvidenceFile } from './incident-record';
import {
  exhaustionSignal,
  freezeQuery,
  liftFreezeSignal,
  outcomeQuery,
  type ActionOutcome,
  type ExhaustionUpdate,
  type FreezeInput,
  type FreezeView,
} from './messages';

export async function freezeWorkflow(input: FreezeInput): Promise<FreezeView> {
  const now = () => new Date().toISOString();
  const view: FreezeView = {
    service: input.service,
    state: 'frozen',
    since: now(),
    until: null,
    exhausted: true,
    refusals: [],
  };
  const outcomes = new Map<string, ActionOutcome>();
  let context: ServiceContext = input.context;
  let durationMs = input.freezeDurationMs;
  let lastUpdateAt = '';
  let audit: AuditRecord[] = [];
  let evidence: EvidenceFile[] = [];
  let seq = 0;
  let notifier: string | undefined;
  const queueAudit = (record: Record<string, unknown>) =>
    audit.push({
      stream: 'governance',
      eventId: `freeze:${input.service}:${view.since}:${++seq}`,
      record: { at: now(), service: input.service, ...record },
    });

  setHandler(exhaustionSignal, (u: ExhaustionUpdate) => {
    // Retried or overlapping dispatches may deliver an older update after a newer one.
    if (view.state !== 'frozen' || u.at < lastUpdateAt) return;
    lastUpdateAt = u.at;
    if (u.context) context = u.context;
    durationMs = u.freezeDurationMs ?? durationMs;
    view.exhausted = u.exhausted;
    // Open-ended while exhausted; when exhaustion ends the timer runs from then. Never shortened.
    if (u.exhausted) view.until = null;
    else {
      const end = new Date(Date.parse(u.at) + durationMs).toISOString();
      view.until = view.until !== null && view.until > end ? view.until : end;
    }
    queueAudit({ type: u.exhausted ? 'freeze-extended' : 'freeze-timer-started', until: view.until });
    publish(view);
  });
  const book: ActionBook = {
    outcomes,
    service: input.service,
    now,
    context: () => context,
    // A freeze has no timeline: its view lists refusals, its audit stream is governance.
    note: () => undefined,
    audit: (r) => queueAudit(r.type === 'refused' ? { ...r, type: 'lift-refused' } : r),
    evidence: (name, content) => evidence.push({ name, content }),
    refused: (request, refusal) =>
      view.refusals.push({ by: request.by, reason: request.reason, at: now(), refusal }),
  };
  onAction(
    liftFreezeSignal,
    () => book,
    (): ActionRules => ({
      action: 'lift-freeze',
      target: { kind: 'freeze', service: input.service },
      approversOnly: true,
      blankReason: 'a reason is required to lift a freeze',
    }),
    (request, proven) => {
      if (view.state !== 'frozen') return refuse(book, request, 'lift-freeze', `the freeze is ${view.state}`);
      view.state = 'lifted';
      view.liftedBy = { by: request.by, reason: request.reason, at: now() };
      queueAudit({ type: 'freeze-lifted', by: request.by, reason: request.reason, ...proofFields(proven) });
      answer(book, request.requestId, true, `freeze of ${input.service} lifted`);
      publish(view);
    },
  );
  setHandler(freezeQuery, () => view);
  setHandler(outcomeQuery, (requestId) => outcomes.get(requestId));

  queueAudit({ type: 'frozen', freezeDurationMs: durationMs });
  publish(view);
  while (view.state === 'frozen') {
    const flushed = audit;
    const files = evidence;
    audit = [];
    evidence = [];
    if (flushed.length > 0) {
      await recording.recordIncidentEvents({
        incidentId: `freeze-${input.service}`,
        evidence: files,
        audit: flushed,
      });
      notifier = await notifyAudited(input.service, flushed, notifier);
    }
    const until = view.until;
    const remaining = until === null ? 24 * 3_600_000 : Math.max(0, Date.parse(until) - Date.parse(now()));
    const changed = await condition(
      () => view.state !== 'frozen' || view.until !== until || audit.length > 0,
      remaining,
      {
        summary: until === null ? 'frozen while the error budget is exhausted' : `frozen until ${until}`,
      },
    );
    if (!changed && until !== null && view.state === 'frozen') {
      view.state = 'expired';
      queueAudit({ type: 'freeze-expired', until });
      publish(view);
    }
  }
  if (audit.length > 0) {
    await recording.recordIncidentEvents({ incidentId: `freeze-${input.service}`, evidence, audit });
    await notifyAudited(input.service, audit, notifier);
  }
  return view;
}

function publish(view: FreezeView): void {
  upsertSearchAttributes([{ key: SafeDeployIncidentState, value: view.state }]);
  setCurrentDetails(
    `**${view.service}** freeze: **${view.state}**${view.until ? ` until ${view.until}` : view.state === 'frozen' ? ' while the budget is exhausted' : ''}` +
      (view.liftedBy ? `\n\nLifted by ${view.liftedBy.by}: ${view.liftedBy.reason}` : ''),
  );
}
