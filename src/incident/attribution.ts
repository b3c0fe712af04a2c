// What an incident knows about its cause: when the burn began (onset), which release preceded it
// (suspect), what the rollback restores (target), and what the release cost each SLO's budget. Plain
// data carried by the incident workflow, written to attribution.json and shown by the CLI and report.

export interface OnsetQuery {
  slo: string;
  expr: string;
  start: string;
  end: string;
  stepSeconds: number;
  /** Where this SLO's burn began, or null when the query showed no elevated sample. */
  onset: string | null;
}

export interface BurnOnset {
  /** ISO 8601: the first sample at which the burn showed. */
  at: string;
  /** 'prometheus': found by the range queries; 'detection': they found nothing, the detection time stands in. */
  source: 'prometheus' | 'detection';
  /** The SLO whose burn began first. */
  slo: string | null;
  /** The window's first sample was already elevated: the burn may have begun earlier. */
  atWindowStart: boolean;
  /** Errors / total over this window, above 1 − objective (burn rate 1) counts as elevated. */
  ratioWindow: string;
  queries: OnsetQuery[];
  /** Why the detection time stands in, when it does. */
  note?: string;
}

export interface ImageRef {
  container: string;
  image: string;
}

export interface AttributedRevision {
  sha: string;
  date: string;
  author: string | null;
  subject: string | null;
  images: ImageRef[];
}

export interface ReleaseSpend {
  slo: string;
  objective: number;
  window: string;
  from: string;
  until: string;
  /** Errors / total between onset and mitigation; null without data. */
  errorRatio: number | null;
  /** Share of the SLO window's error budget (0.022 = 2.2 %); null without data. */
  budgetShare: number | null;
  expr: string;
}

export interface Attribution {
  service: string;
  onset: BurnOnset;
  lookback: string;
  outcome: 'rollback' | 'none' | 'pending';
  /** Why nothing is rolled back (outcome 'none'). */
  reason?: string;
  suspect?: AttributedRevision;
  target?: AttributedRevision;
  /** The newest manifest revision on the base branch when attributed: what runs now. */
  current?: AttributedRevision;
  /** Pod-template changes committed after the onset: not suspects, reverted with the suspect. */
  afterOnset?: { sha: string; date: string; subject: string | null }[];
  /** Budget the suspect release spent, per SLO, from onset to mitigation. */
  spent?: ReleaseSpend[];
}

/** A release's name for people: the tag of its last container image (e.g. 1.9.0), else a short sha. */
export function releaseLabel(revision: AttributedRevision): string {
  const image = revision.images[revision.images.length - 1]?.image ?? '';
  const colon = image.lastIndexOf(':');
  return colon > 0 && !image.slice(colon).includes('/') ? image.slice(colon + 1) : revision.sha.slice(0, 12);
}

/** "1.9.0 spent 2.2 % of checkout's 30-day budget" (per SLO when a service has several). */
export function spendSentence(attribution: Attribution, spend: ReleaseSpend): string {
  const who = attribution.suspect ? releaseLabel(attribution.suspect) : 'the burn';
  const budget = `${attribution.service}'s ${windowName(spend.window)} budget (${spend.slo})`;
  if (spend.budgetShare === null) return `${who}: no data for ${budget} between onset and mitigation`;
  const percent = spend.budgetShare * 100;
  return `${who} spent ${percent < 1 ? percent.toPrecision(2) : percent.toFixed(1)} % of ${budget}`;
}

function windowName(window: string): string {
  const days = /^(\d+)d$/.exec(window);
  return days ? `${days[1]}-day` : window;
}

/** One line for the timeline and the Web UI: suspect, target, images. */
export function attributionSummary(a: Attribution): string {
  if (a.outcome === 'none') return `no rollback: ${a.reason ?? 'no release to roll back'}`;
  if (!a.suspect || !a.target) return `burn began at ${a.onset.at}; attributing the release`;
  const images = (r: AttributedRevision) => r.images.map((i) => i.image).join(', ');
  return (
    `burn began at ${a.onset.at}; suspect release ${releaseLabel(a.suspect)} (${a.suspect.sha.slice(0, 12)}, ` +
    `committed ${a.suspect.date}${a.suspect.author ? ` by ${a.suspect.author}` : ''}); ` +
    `rollback restores ${a.target.sha.slice(0, 12)} (${images(a.target)})`
  );
}
