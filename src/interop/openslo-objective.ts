// The parts of an OpenSLO SLO that map one field to one field: its window, its objectives' targets and
// the names its objectives become in the catalog.
import type { DocumentReport } from './model';
import { catalogName } from './names';
import { fromShorthand } from './durations';
import type { Objective, SloDocument } from './openslo-spec';

export function sloWindow(
  slo: SloDocument,
  defaultWindow: string,
  report: DocumentReport,
): { window: string } | { problem: string } {
  const windows = slo.spec.timeWindow ?? [];
  if (windows.length === 0) {
    report.notes.push(`no timeWindow: the ${defaultWindow} default window applies`);
    return { window: defaultWindow };
  }
  if (windows.length > 1) return { problem: 'timeWindow must hold exactly one window' };
  const [first] = windows as [NonNullable<SloDocument['spec']['timeWindow']>[number]];
  const converted = fromShorthand(first.duration);
  if ('problem' in converted) return converted;
  if (first.calendar !== undefined || first.isRolling === false) {
    report.dropped.push({
      path: 'spec.timeWindow[0].calendar',
      reason: `calendar-aligned windows are not supported; imported as a rolling ${converted.window} window`,
    });
  }
  return converted;
}

/** OpenSLO names SLOs uniquely per repository, often `<service>-<slo>`; the catalog scopes them by service. */
export function baseName(sloName: string, service: string): string {
  const prefix = `${service}-`;
  return sloName.startsWith(prefix) && sloName.length > prefix.length
    ? sloName.slice(prefix.length)
    : sloName;
}

export function objectiveName(
  base: string,
  objective: Objective,
  i: number,
  count: number,
): string | undefined {
  if (count === 1) return catalogName(base, 'SLO').name;
  const suffix = objective.displayName ? catalogName(objective.displayName, 'objective').name : undefined;
  return catalogName(`${base}-${suffix ?? String(i + 1)}`, 'SLO').name;
}

/** `target: 0.999` or `targetPercent: 99.9` → 99.9, rounded so 0.999 × 100 is not 99.90000000000001. */
export function objectivePercent(objective: Objective): { percent: number } | { problem: string } {
  if (objective.target !== undefined && objective.targetPercent !== undefined)
    return { problem: 'both target and targetPercent are set' };
  const percent =
    objective.target !== undefined ? roundPercent(objective.target * 100) : objective.targetPercent;
  if (percent === undefined) return { problem: 'it has neither target nor targetPercent' };
  if (!(percent > 0 && percent < 100))
    return {
      problem: `target ${percent} % leaves no error budget or no objective; SafeDeploy needs 0 < objective < 100`,
    };
  return { percent };
}

export function roundPercent(value: number): number {
  return Number(value.toPrecision(12));
}
