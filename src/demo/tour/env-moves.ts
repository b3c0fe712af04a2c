// What people other than SafeDeploy do to the environment repository during the tour: a release
// pipeline commits a new (bad) version, a reviewer looks at SafeDeploy's branch and merges it.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rolloutImages } from '../../gitops/manifest';
import { runGit } from '../../gitops/git/exec';
import { commit, commitEnv, withClone, type GitIdentity } from '../../stack/env-repo';
import type { DemoContext } from './context';
import type { Say } from './runner';

const RELEASE_PIPELINE: GitIdentity = { name: 'Release pipeline', email: 'ci@example.com' };
export const REVIEWER: GitIdentity = { name: 'Rita Reviewer', email: 'rita@example.com' };

export interface Release {
  from: string;
  to: string;
  sha: string;
}

/**
 * Commits the next minor version of every image in the service's Rollout to main, at its real time:
 * the incident attributes its burn to the last pod-template change before the errors began.
 */
export async function releaseNextVersion(ctx: DemoContext, say: Say): Promise<Release> {
  const rollout = ctx.service.deployment?.rollout;
  if (!rollout) throw new Error(`${ctx.service.name} has no deployment.rollout in the catalog`);
  return withClone(ctx.envRepoUrl, async (work) => {
    const file = path.join(work, ctx.manifest);
    let text = await readFile(file, 'utf8');
    const images = rolloutImages(text, rollout, ctx.manifest);
    const from = tagOf(images[images.length - 1]?.image ?? '');
    const to = nextMinor(from);
    for (const { image } of images)
      text = text.split(image).join(`${image.slice(0, image.lastIndexOf(':'))}:${to}`);
    await writeFile(file, text);
    await runGit(['add', '--', ctx.manifest], { cwd: work });
    await commit(work, RELEASE_PIPELINE, `${ctx.service.name} ${to}`, new Date().toISOString());
    await runGit(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: work });
    const sha = (await runGit(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
    say(
      `${RELEASE_PIPELINE.name} committed ${ctx.service.name} ${from} → ${to} to main (${sha.slice(0, 12)})`,
    );
    return { from, to, sha };
  });
}

/** Shows the commits and the manifest diff a reviewer would look at. */
export async function showBranch(ctx: DemoContext, branch: string, say: Say): Promise<void> {
  await withClone(ctx.envRepoUrl, async (work) => {
    const log = await runGit(['log', '--format=%h %an: %s', '--end-of-options', `main..origin/${branch}`], {
      cwd: work,
    });
    say(`$ git log main..${branch}`);
    say(log.stdout.trimEnd().replace(/^/gm, '  '));
    const diff = await runGit(['diff', '--unified=1', 'main', `origin/${branch}`, '--', ctx.manifest], {
      cwd: work,
    });
    say(`$ git diff main ${branch} -- ${ctx.manifest}`);
    say(diff.stdout.trimEnd().replace(/^/gm, '  '));
  });
}

/** What a reviewer does with the pull request: merge --no-ff into main and push; returns the merge commit. */
export async function mergeAsReviewer(ctx: DemoContext, branch: string, say: Say): Promise<string> {
  return withClone(ctx.envRepoUrl, async (work) => {
    say(`$ git clone ${ctx.envRepoUrl} && git merge --no-ff origin/${branch} && git push origin main`);
    const merge = [
      'merge',
      '--quiet',
      '--no-ff',
      '--no-verify',
      '-m',
      `Merge ${branch} (reviewed)`,
      '--end-of-options',
      `origin/${branch}`,
    ];
    await runGit(['-c', 'commit.gpgsign=false', ...merge], { cwd: work, env: commitEnv(REVIEWER) });
    await runGit(['push', '--quiet', 'origin', 'main'], { cwd: work });
    const sha = (await runGit(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
    say(`${REVIEWER.name} merged ${branch} into main (${sha.slice(0, 12)})`);
    return sha;
  });
}

function tagOf(image: string): string {
  const colon = image.lastIndexOf(':');
  if (colon < 0 || image.slice(colon).includes('/'))
    throw new Error(`image "${image}" has no tag to release from`);
  return image.slice(colon + 1);
}

/** 1.8.2 → 1.9.0; anything that is not x.y.z gets a suffix. */
export function nextMinor(tag: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  return match ? `${match[1]}.${Number(match[2]) + 1}.0` : `${tag}-next`;
}
