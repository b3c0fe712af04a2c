// The file store shared by several processes (workers on one data directory): one lock per stream,
// each event once, `audit verify` alongside; a line torn by a writer killed mid-write is dropped by the
// next append, and ignored by verify while an append is in flight.
import { appendFileSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { appendAudit, readStreamLines, streamPath, verifyStream } from '../../../src/evidence/audit';
import { fileStore } from '../../../src/store/file-store';
import { tempDir } from '../../harness/git';
import { finished, overlappingPlans, startWriter } from '../../support/store-writers';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir('file-store')));
afterEach(() => dir.cleanup());

describe('the file store', () => {
  it('records every event once when three processes append to one stream, verify running alongside', async () => {
    const done = Promise.all(overlappingPlans(dir.path, 'incidents', 60, 3).map(startWriter).map(finished));
    let running = true;
    void done.finally(() => (running = false));
    while (running) expect((await verifyStream(dir.path, 'incidents')).broken).toBeUndefined();
    await done;
    const lines = await readStreamLines(dir.path, 'incidents');
    expect(new Set(lines.map((l) => l.eventId)).size).toBe(60);
    expect(await fileStore(dir.path).verifyStream('incidents')).toEqual({ stream: 'incidents', lines: 60 });
  }, 60_000);

  it('drops a torn last line before the next append, and verify does not count it meanwhile', async () => {
    await appendAudit(dir.path, 'approvals', [{ eventId: 'a' }, { eventId: 'b' }]);
    const file = streamPath(dir.path, 'approvals');
    appendFileSync(file, '{"eventId":"c","seq":3,"prevHash":"ab'); // killed mid-write
    expect(await verifyStream(dir.path, 'approvals')).toEqual({ stream: 'approvals', lines: 2 });
    await appendAudit(dir.path, 'approvals', [{ eventId: 'c' }]);
    expect(await verifyStream(dir.path, 'approvals')).toEqual({ stream: 'approvals', lines: 3 });
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    expect(path.basename(file)).toBe('approvals.jsonl');
  });

  it('says which event ids a stream holds, including those another process appended', async () => {
    const store = fileStore(dir.path);
    expect(await store.recordedEventIds('notifications', ['a'])).toEqual(new Set());
    await store.appendAudit('notifications', [{ eventId: 'a' }, { eventId: 'b' }]);
    // Another writer's append moves the file under the cached tail: it is read again.
    await finished(startWriter({ target: dir.path, stream: 'notifications', eventIds: ['c'], batch: 1 }));
    expect(await store.recordedEventIds('notifications', ['a', 'c', 'x'])).toEqual(new Set(['a', 'c']));
  });
});

describe('an append of fresh ids (the gate stream: one random id per answer)', () => {
  const fresh = { freshIds: true };
  const gate = (ids: string[], pad = 0) => ids.map((eventId) => ({ eventId, pad: 'x'.repeat(pad) }));

  it('continues the chain from the last line another process wrote, however long that line', async () => {
    await appendAudit(dir.path, 'gate', gate(['a', 'b']), [], fresh);
    // Lines longer than the 64 KiB read back from the end at a time.
    await finished(
      startWriter({ target: dir.path, stream: 'gate', eventIds: ['c', 'd'], batch: 1, padding: 150_000 }),
    );
    await appendAudit(dir.path, 'gate', gate(['e']), [], fresh);
    expect(await verifyStream(dir.path, 'gate')).toEqual({ stream: 'gate', lines: 5 });
    expect((await readStreamLines(dir.path, 'gate')).map((l) => [l.eventId, l.seq])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
      ['e', 5],
    ]);
  });

  it('drops a torn last line, as a full read does', async () => {
    await appendAudit(dir.path, 'gate', gate(['a', 'b']), [], fresh);
    await finished(startWriter({ target: dir.path, stream: 'gate', eventIds: ['c'], batch: 1 }));
    appendFileSync(streamPath(dir.path, 'gate'), '{"eventId":"d","seq":4,"prevHash":"ab'); // killed mid-write
    await appendAudit(dir.path, 'gate', gate(['e']), [], fresh);
    expect(await verifyStream(dir.path, 'gate')).toEqual({ stream: 'gate', lines: 4 });
    expect((await readStreamLines(dir.path, 'gate')).map((l) => l.eventId)).toEqual(['a', 'b', 'c', 'e']);
  });

  it('writes a retried batch once when its lines reached the file but the append failed after them', async () => {
    await appendAudit(dir.path, 'gate', gate(['a']), [], fresh);
    // A directory where the head record goes: the lines are appended, then moving the head fails.
    const head = path.join(dir.path, 'audit', 'gate.head.json');
    rmSync(head);
    mkdirSync(head);
    await expect(appendAudit(dir.path, 'gate', gate(['b', 'c']), [], fresh)).rejects.toThrow();
    rmdirSync(head);
    // The buffer offers the same batch again: what reached the file is skipped.
    expect(await appendAudit(dir.path, 'gate', gate(['b', 'c', 'd']), [], fresh)).toBe(1);
    expect((await readStreamLines(dir.path, 'gate')).map((l) => l.eventId)).toEqual(['a', 'b', 'c', 'd']);
    expect(await verifyStream(dir.path, 'gate')).toEqual({ stream: 'gate', lines: 4 });
  });
});
