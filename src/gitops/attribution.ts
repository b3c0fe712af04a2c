// Which release started a burn, and what to restore. The suspect is the newest change to the Rollout's
// pod template (spec.template) on the base branch committed at or before the burn's onset and within
// the catalog's look-back; the target is the revision just before it. Commits that leave the pod
// template alone (replicas, analysis, comments) are never suspects, and a release committed after the
// onset cannot have caused it. Because the onset is where the burn began, the target's pod template is
// the last one that ran without this burn, also when two bad releases came in a row.
import { isDeepStrictEqual } from 'node:util';
import { ManifestError, rolloutImages, rolloutPodTemplate, type ContainerImage } from './manifest';
import type { RolloutSelector } from './manifest';
import type { FileRevision, GitProvider } from './provider';

/** How many revisions at or before the onset are read at most (a day of busy history). */
export const MAX_REVISIONS_READ = 200;

export interface TemplateRevision {
  /** Epoch milliseconds of the commit on the base branch. */
  date: number;
  /** spec.template as JSON, or null when the revision has no such manifest. */
  template: unknown;
}

export type SuspectChoice =
  | { kind: 'suspect'; suspect: number; target: number }
  | {
      kind: 'none';
      /** Index of the revision whose pod template was running at the onset, when known. */
      since: number | null;
      why: 'outside-look-back' | 'first-revision' | 'no-revision';
    };

/**
 * Chooses the suspect among `revisions` (newest first, all committed at or before `onset`): the newest
 * one whose pod template differs from the revision before it, when committed within `lookbackMs` of
 * the onset. `complete` says whether `revisions` reaches the manifest's first revision.
 */
export function chooseSuspect(
  revisions: readonly TemplateRevision[],
  onset: number,
  lookbackMs: number,
  complete: boolean,
): SuspectChoice {
  if (revisions.length === 0) return { kind: 'none', since: null, why: 'no-revision' };
  for (let i = 0; i + 1 < revisions.length; i++) {
    if (isDeepStrictEqual(revisions[i]!.template, revisions[i + 1]!.template)) continue;
    if (revisions[i]!.date >= onset - lookbackMs) return { kind: 'suspect', suspect: i, target: i + 1 };
    return { kind: 'none', since: i, why: 'outside-look-back' };
  }
  const oldest = revisions.length - 1;
  const withinLookBack = revisions[oldest]!.date >= onset - lookbackMs;
  return {
    kind: 'none',
    since: complete ? oldest : null,
    why: complete && withinLookBack ? 'first-revision' : 'outside-look-back',
  };
}

export interface ReleaseRevision {
  sha: string;
  date: string;
  author: string | null;
  subject: string | null;
  images: ContainerImage[];
}

export type ReleaseAttribution =
  | {
      kind: 'rollback';
      suspect: ReleaseRevision;
      /** The revision just before the suspect: its pod template is restored. */
      target: ReleaseRevision;
      /** The newest revision of the manifest on the base branch when attributed. */
      base: ReleaseRevision;
      /** Pod-template changes committed after the onset: not suspects, reverted with the suspect. */
      afterOnset: { sha: string; date: string; subject: string | null }[];
    }
  | { kind: 'none'; reason: string; runningSince?: ReleaseRevision };

export interface AttributionInput {
  provider: GitProvider;
  manifestPath: string;
  rollout: RolloutSelector;
  service: string;
  onset: Date;
  lookbackSeconds: number;
}

/** Reads the manifest's history and attributes the burn beginning at `onset`. */
export async function attributeRelease(input: AttributionInput): Promise<ReleaseAttribution> {
  const { provider, manifestPath, rollout, onset } = input;
  const history = await provider.fileHistory(manifestPath);
  if (history.length === 0)
    throw new ManifestError('manifest-missing', `${manifestPath}: no revision on the base branch`);
  const reader = new TemplateReader(provider, manifestPath, rollout);
  const before = history.filter((r) => Date.parse(r.date) <= onset.getTime());
  const read: TemplateRevision[] = [];
  for (const revision of before.slice(0, MAX_REVISIONS_READ)) {
    read.push({ date: Date.parse(revision.date), template: await reader.template(revision.sha) });
    const n = read.length;
    if (n > 1 && !isDeepStrictEqual(read[n - 1]!.template, read[n - 2]!.template)) break;
  }
  const complete = read.length === before.length;
  const choice = chooseSuspect(read, onset.getTime(), input.lookbackSeconds * 1000, complete);
  if (choice.kind === 'none') return nothingToRollBack(input, choice, before, reader);
  const [suspect, target, base] = await Promise.all([
    reader.release(before[choice.suspect]!),
    reader.release(before[choice.target]!),
    reader.release(history[0]!),
  ]);
  const targetTemplate = read[choice.target]!.template;
  if (isDeepStrictEqual(await reader.template(history[0]!.sha), targetTemplate)) {
    return {
      kind: 'none',
      reason:
        `the base branch already runs the pod template of ${short(target.sha)} (${target.date}), ` +
        `the revision before the suspect ${short(suspect.sha)}: nothing left to roll back`,
    };
  }
  return {
    kind: 'rollback',
    suspect,
    target,
    base,
    afterOnset: await changesAfter(history, onset, reader),
  };
}

/**
 * Why a planned rollback no longer holds: the base branch's pod template is not the one the proposal
 * was made against (`plannedBase`). Null when only other parts of the manifest changed, or nothing did.
 */
export async function podTemplateMoved(
  provider: GitProvider,
  manifestPath: string,
  rollout: RolloutSelector,
  plannedBase: string,
): Promise<string | null> {
  const [head] = await provider.fileHistory(manifestPath);
  if (!head || head.sha === plannedBase) return null;
  const reader = new TemplateReader(provider, manifestPath, rollout);
  const [then, now] = await Promise.all([reader.template(plannedBase), reader.template(head.sha)]);
  if (isDeepStrictEqual(then, now)) return null;
  const images = (await reader.release(head)).images.map((i) => i.image).join(', ');
  return (
    `the base branch moved: ${short(head.sha)}${head.subject ? ` "${head.subject}"` : ''} (${head.date}) ` +
    `changed the pod template since the proposal was made (images now ${images || 'none'})`
  );
}

async function nothingToRollBack(
  input: AttributionInput,
  choice: Extract<SuspectChoice, { kind: 'none' }>,
  before: FileRevision[],
  reader: TemplateReader,
): Promise<ReleaseAttribution> {
  const lookback = humanDuration(input.lookbackSeconds);
  if (choice.since === null && choice.why === 'no-revision') {
    return {
      kind: 'none',
      reason: `${input.manifestPath} has no revision on the base branch before the burn began; no release to roll back`,
    };
  }
  if (choice.since === null) {
    return {
      kind: 'none',
      reason: `${input.service}'s pod template did not change within the ${lookback} look-back before the burn began; no release to roll back`,
    };
  }
  const since = await reader.release(before[choice.since]!);
  const images = since.images.map((i) => i.image).join(', ');
  const ago = humanDuration((input.onset.getTime() - Date.parse(since.date)) / 1000);
  const reason =
    choice.why === 'first-revision'
      ? `${input.service} has run ${images} since ${since.date}, when ${input.manifestPath} was created (${ago} before the burn began); no earlier release to roll back to`
      : `${input.service} has run ${images} since ${since.date}, ${ago} before the burn began (look-back ${lookback}); no release to roll back`;
  return { kind: 'none', reason, runningSince: since };
}

async function changesAfter(
  history: FileRevision[],
  onset: Date,
  reader: TemplateReader,
): Promise<{ sha: string; date: string; subject: string | null }[]> {
  const after = history.filter((r) => Date.parse(r.date) > onset.getTime()).reverse();
  const first = history.find((r) => Date.parse(r.date) <= onset.getTime());
  const changed: { sha: string; date: string; subject: string | null }[] = [];
  let previous = first ? await reader.template(first.sha) : null;
  for (const revision of after.slice(0, MAX_REVISIONS_READ)) {
    const template = await reader.template(revision.sha);
    if (!isDeepStrictEqual(template, previous))
      changed.push({ sha: revision.sha, date: revision.date, subject: revision.subject ?? null });
    previous = template;
  }
  return changed.reverse();
}

/** Reads each revision of the manifest at most once. */
class TemplateReader {
  private readonly texts = new Map<string, Promise<string | null>>();

  constructor(
    private readonly provider: GitProvider,
    private readonly manifestPath: string,
    private readonly rollout: RolloutSelector,
  ) {}

  private text(sha: string): Promise<string | null> {
    let text = this.texts.get(sha);
    if (!text) {
      text = this.provider.readFile(this.manifestPath, sha);
      this.texts.set(sha, text);
    }
    return text;
  }

  async template(sha: string): Promise<unknown> {
    const text = await this.text(sha);
    return text === null
      ? null
      : rolloutPodTemplate(text, this.rollout, `${this.manifestPath}@${short(sha)}`);
  }

  async release(revision: FileRevision): Promise<ReleaseRevision> {
    const text = await this.text(revision.sha);
    return {
      sha: revision.sha,
      date: revision.date,
      author: revision.author ?? null,
      subject: revision.subject ?? null,
      images:
        text === null ? [] : rolloutImages(text, this.rollout, `${this.manifestPath}@${short(revision.sha)}`),
    };
  }
}

export function short(sha: string): string {
  return sha.slice(0, 12);
}

/** 45 s, 12 min, 5 h, 3 d: the unit a person would say. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86_400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}
