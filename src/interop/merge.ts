// Several documents may declare SLOs of one service (Sloth's multi-file layouts, OpenSLO repositories):
// the catalog holds one Service per name, so they are merged, and a repeated SLO name is reported on
// the document that repeated it.
import type { Conversion, DocumentReport, ImportedService } from './model';
import { where } from './model';

export function mergeServices(conversion: Conversion): Conversion {
  const byName = new Map<string, ImportedService>();
  const reportOf = (origin: string) => conversion.reports.find((r) => where(r) === origin);
  for (const service of conversion.services) {
    const first = byName.get(service.name);
    if (!first) {
      byName.set(service.name, { ...service, slos: [...service.slos], origins: [...service.origins] });
      continue;
    }
    first.origins.push(...service.origins.filter((o) => !first.origins.includes(o)));
    first.owner ??= service.owner;
    first.description ??= service.description;
    for (const slo of service.slos) {
      if (!first.slos.some((s) => s.name === slo.name)) {
        first.slos.push(slo);
        continue;
      }
      const report = reportOf(service.origins[0] ?? '');
      if (report) dropDuplicate(report, service.name, slo.name);
    }
  }
  return { services: [...byName.values()], reports: conversion.reports };
}

function dropDuplicate(report: DocumentReport, service: string, slo: string): void {
  const key = `${service}/${slo}`;
  report.converted = report.converted.filter((c) => c !== key);
  report.dropped.push({
    path: '',
    reason: `SLO "${slo}" not imported: service ${service} already has an SLO of that name from another document`,
  });
}
