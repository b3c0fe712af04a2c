// Which revision of the manifest to roll back to: the newest one on the base branch at or before the
// moment the service was last seen healthy.
import { ManifestError, rolloutImages, type ContainerImage, type RolloutSelector } from './manifest';
import type { FileRevision, GitProvider } from './provider';

export type RollbackTarget =
  | {
      status: 'found';
      revision: FileRevision;
      /** The manifest at `revision`. */
      content: string;
      /** The manifest on the base branch now. */
      current: string;
      /** Images now, and the images the rollback restores. */
      images: { current: ContainerImage[]; target: ContainerImage[] };
    }
  | { status: 'nothing-to-roll-back'; revision: FileRevision; message: string };

/**
 * The newest base-branch revision of `manifestPath` at or before `lastHealthy`, or
 * 'nothing-to-roll-back' when the base already runs that revision's images. Throws a ManifestError
 * (a GitOpsInputError) when there is no such revision or a manifest is missing or unusable.
 */
export async function findRollbackTarget(
  provider: GitProvider,
  manifestPath: string,
  lastHealthy: Date,
  rollout: RolloutSelector,
): Promise<RollbackTarget> {
  const [revision] = await provider.fileHistory(manifestPath, lastHealthy);
  if (!revision) {
    throw new ManifestError(
      'no-healthy-revision',
      `${manifestPath}: no revision on the base branch at or before ${lastHealthy.toISOString()} (last healthy); ` +
        'there is no known-healthy version to restore, roll back by hand',
    );
  }
  const [current, content] = await Promise.all([
    provider.readFile(manifestPath),
    provider.readFile(manifestPath, revision.sha),
  ]);
  if (current === null)
    throw new ManifestError('manifest-missing', `${manifestPath}: not found on the base branch`);
  if (content === null)
    throw new ManifestError('manifest-missing', `${manifestPath}: deleted in revision ${revision.sha}`);
  const images = {
    current: rolloutImages(current, rollout, manifestPath),
    target: rolloutImages(content, rollout, `${manifestPath}@${revision.sha.slice(0, 12)}`),
  };
  if (sameImages(images.current, images.target)) {
    const message = `${manifestPath}: the base branch already runs the images of ${revision.sha.slice(0, 12)} (${revision.date})`;
    return { status: 'nothing-to-roll-back', revision, message };
  }
  return { status: 'found', revision, content, current, images };
}

function sameImages(a: readonly ContainerImage[], b: readonly ContainerImage[]): boolean {
  return (
    a.length === b.length &&
    a.every((image, i) => image.container === b[i]?.container && image.image === b[i]?.image)
  );
}
