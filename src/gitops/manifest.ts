// Pure edits of an Argo Rollouts Rollout manifest, for the proposals SafeDeploy opens: pause or unpause
// promotion, and restore the pod template's images from an earlier revision. Only the intended
// scalars change; manifest-source.ts explains how the rest of the file stays byte-identical.
export {
  ManifestError,
  ROLLOUT_API_VERSION,
  type ManifestErrorCode,
  type RolloutSelector,
} from './manifest-source';
export { setPaused } from './rollout-pause';
export { restorePodTemplate, rolloutImages, rolloutPodTemplate, type ContainerImage } from './rollout-images';
