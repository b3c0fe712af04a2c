// The plain model every importer maps into and the exporter reads from: foreign SLO specs (Sloth, OpenSLO)
// become services of catalog SLOs plus a report of what could not be carried. Nothing past the
// per-format modules sees a foreign spec type, as the catalog's own spec → model step works.
import type { Slo } from '../catalog/model';

export interface ImportedSlo extends Slo {
  /** Carried into the written catalog as a comment above the SLO. */
  description?: string;
}

export interface ImportedService {
  name: string;
  owner?: { team: string };
  description?: string;
  slos: ImportedSlo[];
  /** Where the service's SLOs came from, e.g. `sloth/checkout.yaml (document 1)`. */
  origins: string[];
}

/** A part of a foreign document SafeDeploy did not carry over, and why. */
export interface Dropped {
  /** Field path inside the document, e.g. slos[0].alerting; "" for the whole document. */
  path: string;
  reason: string;
}

export interface DocumentReport {
  file: string;
  /** 1-based position of the YAML document in its file. */
  document: number;
  /** e.g. `prometheus/v1`, `PrometheusServiceLevel`, `openslo/v1 SLO`. */
  kind: string;
  name: string;
  /** `service/slo` of each SLO this document produced. */
  converted: string[];
  dropped: Dropped[];
  /** Lossless changes worth knowing: renamed SLOs, rewritten queries, defaulted windows. */
  notes: string[];
}

export interface Conversion {
  services: ImportedService[];
  reports: DocumentReport[];
}

/** A parsed YAML document of an input file, before its format is known. */
export interface SourceDocument {
  file: string;
  document: number;
  value: unknown;
}

export function newReport(source: SourceDocument, kind: string, name: string): DocumentReport {
  return { file: source.file, document: source.document, kind, name, converted: [], dropped: [], notes: [] };
}

export function where(source: { file: string; document: number }): string {
  return `${source.file} (document ${source.document})`;
}
