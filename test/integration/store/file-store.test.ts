// The file store shared by several processes (workers on one data directory): one lock per stream,
// each event once, `audit verify` alongside; a line torn by a writer killed mid-write is dropped by the
// next append, and ignored by verify while an append is in flight.
import { appendFileSync, readFileSync } from 'node:fs';
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
