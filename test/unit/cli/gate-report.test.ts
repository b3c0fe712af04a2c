import { buildGateReport } from '../../../src/operator/gate-report';
import type { GateRecord } from '../../../src/operator/gate-record';
import { renderGateReportMarkdown, renderGateReportText } from '../../../src/cli/views/gate-report-render';

const NOW = new Date('2026-02-01T00:00:00Z');
const SINCE = new Date('2026-01-02T00:00:00Z');

function rec(
  at: string,
  service: string,
  mode: GateRecord['mode'],
  verdict: GateRecord['verdict'],
  wouldBe: GateRecord['wouldBe'],
  codes: string[] = [],
): GateRecord {
  return {
    eventId: `${at}:${service}`,
    at,
    answeredAt: at,
    source: 'cli',
    service,
    verdict,
    wouldBe,
    mode,
    reasons: codes.map((code) => ({ code, message: code }) as GateRecord['reasons'][number]),
    dataAgeSeconds: 0,
  };
}

describe('report --gate', () => {
  const records = [
    rec('2026-01-01T00:00:00Z', 'checkout', 'shadow', 'allow', 'deny', ['fast-burn']), // before the period
    rec('2026-01-10T00:00:00Z', 'checkout', 'shadow', 'allow', 'allow'),
    rec('2026-01-11T00:00:00Z', 'checkout', 'shadow', 'allow', 'hold', ['burning-unconfirmed']),
    rec('2026-01-12T00:00:00Z', 'checkout', 'shadow', 'allow', 'deny', [
      'fast-burn',
      'incident-active',
      'fast-burn',
    ]),
    rec('2026-01-20T00:00:00Z', 'checkout', 'enforce', 'deny', 'deny', ['fast-burn']),
    rec('2026-01-15T00:00:00Z', 'cart', 'advise', 'hold', 'deny', ['no-data']),
  ];

  it('counts answered and would-be verdicts per service and mode, with reasons, within the period', () => {
    const report = buildGateReport(records, SINCE, NOW);
    expect(report.answers).toBe(5);
    expect(report.services.map((s) => s.service)).toEqual(['cart', 'checkout']);
    const checkout = report.services[1]!;
    expect(checkout.modes.map((m) => [m.mode, m.answers, m.answered, m.wouldBe])).toEqual([
      ['shadow', 3, { allow: 3, hold: 0, deny: 0 }, { allow: 1, hold: 1, deny: 1 }],
      ['enforce', 1, { allow: 0, hold: 0, deny: 1 }, { allow: 0, hold: 0, deny: 1 }],
    ]);
    expect(checkout.modes[0]!.reasons).toEqual([
      { code: 'burning-unconfirmed', count: 1 },
      { code: 'fast-burn', count: 1 },
      { code: 'incident-active', count: 1 },
    ]);
  });

  it('renders a table and Markdown with the same rows', () => {
    const report = buildGateReport(records, SINCE, NOW);
    const text = renderGateReportText(report);
    expect(text).toMatch(
      /^SafeDeploy gate answers from 2026-01-02T00:00:00.000Z to 2026-02-01T00:00:00.000Z: 5 answers\n/,
    );
    expect(text).toMatch(
      /\ncheckout\s+shadow\s+3\s+3\s+0\s+0\s+1\s+1\s+1\s+burning-unconfirmed ×1, fast-burn ×1, incident-active ×1\n/,
    );
    expect(renderGateReportMarkdown(report)).toContain(
      '| cart | advise | 1 | 0 | 1 | 0 | 0 | 0 | 1 | no-data ×1 |',
    );
    expect(renderGateReportText(buildGateReport([], SINCE, NOW))).toContain('no gate answers recorded');
  });
});
