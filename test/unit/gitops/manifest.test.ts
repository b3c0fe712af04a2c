import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestError, restorePodTemplate, rolloutImages, setPaused } from '../../../src/gitops/manifest';
import { GitOpsInputError } from '../../../src/gitops/provider';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const current = fixture('checkout.current.fixture');
const earlier = fixture('checkout.earlier.fixture');
const checkout = { name: 'checkout', namespace: 'shop' };
const FILE = 'apps/checkout/rollout.yaml';

/** Lines of `after` that differ from `before` (same line count assumed). */
function changedLines(before: string, after: string): string[] {
  const old = before.split('\n');
  return after.split('\n').filter((line, i) => line !== old[i]);
}

function minimalRollout(specLines: string[], lineBreak = '\n'): string {
  return [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Rollout',
    'metadata:',
    '  name: web',
    'spec:',
    ...specLines,
    '',
  ].join(lineBreak);
}

describe('setPaused', () => {
  it('matches the golden file when pausing: one line added, comments and quoting intact', () => {
    expect(setPaused(current, checkout, true, FILE)).toBe(fixture('checkout.paused.golden'));
  });

  it.each([
    [
      'flips an existing false to true',
      ['  paused: false', '  replicas: 1'],
      true,
      ['  paused: true', '  replicas: 1'],
    ],
    [
      'flips an existing true to false, keeping its comment',
      ['  paused: true # hold', '  replicas: 1'],
      false,
      ['  paused: false # hold', '  replicas: 1'],
    ],
    [
      'inserts paused with the indentation of the spec keys',
      ['    replicas: 1'],
      true,
      ['    paused: true', '    replicas: 1'],
    ],
    [
      'fills a key that has no value',
      ['  paused:', '  replicas: 1'],
      true,
      ['  paused: true', '  replicas: 1'],
    ],
    [
      'replaces a quoted non-boolean by a boolean',
      ['  paused: "yes"', '  replicas: 1'],
      false,
      ['  paused: false', '  replicas: 1'],
    ],
  ])('%s', (_case, spec, paused, expected) => {
    expect(setPaused(minimalRollout(spec), { name: 'web' }, paused)).toBe(minimalRollout(expected));
  });

  it.each([
    ['unpausing a Rollout without spec.paused', ['  replicas: 1'], false],
    ['pausing a Rollout already paused', ['  paused: true', '  replicas: 1'], true],
    ['unpausing an explicit null', ['  paused: null', '  replicas: 1'], false],
  ])('returns the text unchanged when %s', (_case, spec, paused) => {
    const text = minimalRollout(spec);
    expect(setPaused(text, { name: 'web' }, paused)).toBe(text);
  });

  it('keeps CRLF line endings when inserting', () => {
    const text = minimalRollout(['  replicas: 1'], '\r\n');
    expect(setPaused(text, { name: 'web' }, true)).toBe(
      minimalRollout(['  paused: true', '  replicas: 1'], '\r\n'),
    );
  });

  it('refuses a flow-style spec instead of rewriting it', () => {
    const text =
      'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web}\nspec: {replicas: 1}\n';
    expect(() => setPaused(text, { name: 'web' }, true, FILE)).toThrow(
      /apps\/checkout\/rollout.yaml: Rollout web has no block-style spec/,
    );
  });
});

describe('finding the Rollout', () => {
  it.each([
    [
      'a different name',
      { name: 'payments', namespace: 'shop' },
      'rollout-not-found',
      /no Rollout shop\/payments/,
    ],
    [
      'a different namespace',
      { name: 'checkout', namespace: 'other' },
      'rollout-not-found',
      /found Service checkout, Rollout checkout, ConfigMap checkout-flags/,
    ],
  ])('fails with the file and Rollout named for %s', (_case, ref, code, message) => {
    const error = captureError(() => setPaused(current, ref, true, FILE));
    expect(error).toBeInstanceOf(GitOpsInputError);
    expect(error).toMatchObject({ code });
    expect(error.message).toMatch(message);
    expect(error.message).toContain(FILE);
  });

  it('matches by name alone when the manifest has no namespace', () => {
    expect(setPaused(minimalRollout(['  replicas: 1']), { name: 'web', namespace: 'shop' }, true)).toContain(
      'paused: true',
    );
  });

  it('ignores a Deployment of the same name', () => {
    const text = minimalRollout(['  replicas: 1']).replace('kind: Rollout', 'kind: Deployment');
    expect(captureError(() => setPaused(text, { name: 'web' }, true))).toMatchObject({
      code: 'rollout-not-found',
    });
  });

  it('rejects a Rollout defined twice', () => {
    const text = `${minimalRollout(['  replicas: 1'])}---\n${minimalRollout(['  replicas: 2'])}`;
    expect(captureError(() => setPaused(text, { name: 'web' }, true))).toMatchObject({
      code: 'ambiguous-rollout',
    });
  });

  it.each([
    ['an unclosed flow sequence', 'apiVersion: [\n'],
    ['a duplicate key', 'kind: Rollout\nkind: Rollout\n'],
  ])('reports an unparsable file (%s) with file and document number', (_case, text) => {
    const error = captureError(() => setPaused(text, { name: 'web' }, true, FILE));
    expect(error).toMatchObject({ code: 'unparsable' });
    expect(error.message).toMatch(/^apps\/checkout\/rollout.yaml: document 1 is not valid YAML/);
  });

  it('reports an empty file', () => {
    expect(captureError(() => setPaused('# nothing\n', { name: 'web' }, true))).toMatchObject({
      code: 'rollout-not-found',
    });
  });
});

describe('restorePodTemplate', () => {
  it('matches the golden file: only the three image scalars change, in their own quoting style', () => {
    const restored = restorePodTemplate(current, earlier, checkout, FILE);
    expect(restored).toBe(fixture('checkout.rolled-back.golden'));
    expect(changedLines(current, restored)).toEqual([
      "          image: 'registry.example.com/shop/checkout-migrate:1.8.2'   # single-quoted image",
      '          image: "registry.example.com/shop/checkout:1.8.2" # double-quoted image',
      '          image: registry.example.com/shop/envoy:1.29.0',
    ]);
  });

  it('keeps the current comments, not the earlier revision ones', () => {
    expect(restorePodTemplate(current, earlier, checkout)).toContain('# The canary Rollout\n');
  });

  it('returns the text unchanged when the images already match', () => {
    expect(restorePodTemplate(current, current, checkout)).toBe(current);
  });

  it('ignores changes outside spec.template (replicas, steps)', () => {
    const older = earlier.replace('replicas: 6', 'replicas: 3').replace('setWeight: 20', 'setWeight: 10');
    expect(restorePodTemplate(current, older, checkout)).toBe(fixture('checkout.rolled-back.golden'));
  });

  it('quotes a restored image when plain style would change its meaning', () => {
    const older = earlier.replace('"registry.example.com/shop/envoy:1.29.0"', '"1.29"');
    expect(restorePodTemplate(current, older, checkout)).toContain('          image: "1.29"\n');
  });

  it.each([
    [
      'an env value changed',
      (t: string) => t.replace('value: "canary"', 'value: "stable"'),
      /spec\.template\.spec\.containers\[0\]\.env\[0\]\.value/,
    ],
    [
      'a container was removed since',
      (t: string) =>
        t.replace(
          '        - name: sidecar',
          '        - name: extra\n          image: x\n        - name: sidecar',
        ),
      /spec\.template\.spec\.containers \(length 3 → 2\)/,
    ],
    [
      'a label changed',
      (t: string) => t.replace('tier: "web"', 'tier: "api"'),
      /spec\.template\.metadata\.labels\.tier/,
    ],
  ])('refuses when %s, naming what differs', (_case, edit, where) => {
    const error = captureError(() => restorePodTemplate(current, edit(earlier), checkout, FILE));
    expect(error).toBeInstanceOf(ManifestError);
    expect(error).toMatchObject({ code: 'not-image-only' });
    expect(error.message).toMatch(where);
    expect(error.message).toMatch(/only rolls back images automatically/);
  });

  it('explains a Rollout that references its workload instead of a template', () => {
    const text = minimalRollout(['  workloadRef:', '    kind: Deployment', '    name: web']);
    expect(() => restorePodTemplate(text, text, { name: 'web' })).toThrow(
      /has no spec.template \(it uses spec.workloadRef/,
    );
  });

  it('names the earlier revision when that one lacks the Rollout', () => {
    expect(() => restorePodTemplate(current, 'kind: ConfigMap\n', checkout, FILE)).toThrow(
      /apps\/checkout\/rollout.yaml \(earlier revision\): no Rollout shop\/checkout/,
    );
  });
});

describe('rolloutImages', () => {
  it('lists init containers then containers with their images', () => {
    expect(rolloutImages(current, checkout)).toEqual([
      {
        list: 'initContainers',
        container: 'migrate',
        image: 'registry.example.com/shop/checkout-migrate:1.9.0',
      },
      { list: 'containers', container: 'checkout', image: 'registry.example.com/shop/checkout:1.9.0' },
      { list: 'containers', container: 'sidecar', image: 'registry.example.com/shop/envoy:1.30.1' },
    ]);
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}
