// The buffered audit writer in front of the gate stream, on a real temporary data directory.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verifyStream } from '../../../src/evidence/audit';
import { AuditBuffer } from '../../../src/evidence/audit-buffer';
import { readAuditStream } from '../../../src/evidence/audit-read';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-audit-buffer-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const entry = (i: number) => ({ eventId: `e${i}`, n: i });

describe('AuditBuffer', () => {
  it('accepts without writing, then writes every entry in order on close, and the chain verifies', async () => {
    const buffer = new AuditBuffer({ dataDir, stream: 'gate', flushDelayMs: 60_000, batchSize: 7 });
    for (let i = 0; i < 20; i++) expect(buffer.add(entry(i))).toBe(true);
    expect(await readAuditStream(dataDir, 'gate')).toEqual([]);
    await buffer.close();
    const lines = await readAuditStream(dataDir, 'gate');
    expect(lines.map((l) => l.n)).toEqual([...Array(20).keys()]);
    expect(await verifyStream(dataDir, 'gate')).toEqual({ stream: 'gate', lines: 20 });
    expect(buffer.stats()).toEqual({ accepted: 20, written: 20, dropped: 0, failedFlushes: 0, pending: 0 });
  });

  it('flushes by itself after the delay', async () => {
    const buffer = new AuditBuffer({ dataDir, stream: 'gate', flushDelayMs: 10 });
    buffer.add(entry(1));
    for (let i = 0; i < 100 && buffer.stats().written === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(buffer.stats()).toMatchObject({ written: 1, pending: 0 });
    await buffer.close();
  });

  it('batches what arrives during a write into the next flush instead of appending it at once', async () => {
    const appended: string[][] = [];
    let release: () => void = () => undefined;
    const sink = {
      appendAudit: async (_stream: string, entries: { eventId: string }[]) => {
        appended.push(entries.map((e) => e.eventId));
        if (appended.length === 1) await new Promise<void>((r) => (release = r));
        return entries.length;
      },
      close: () => Promise.resolve(),
    };
    const buffer = new AuditBuffer({ dataDir, stream: 'gate', sink, flushDelayMs: 60_000, freshIds: true });
    [1, 2, 3].forEach((i) => buffer.add(entry(i)));
    const first = buffer.flush();
    await new Promise((r) => setImmediate(r));
    // A busy gate keeps answering while the first batch is written.
    [4, 5].forEach((i) => buffer.add(entry(i)));
    release();
    await first;
    expect(appended).toEqual([['e1', 'e2', 'e3']]);
    expect(buffer.stats()).toMatchObject({ written: 3, pending: 2 });
    await buffer.close();
    expect(appended).toEqual([
      ['e1', 'e2', 'e3'],
      ['e4', 'e5'],
    ]);
  });

  it('counts what it drops when full, and refuses entries after close', async () => {
    const buffer = new AuditBuffer({ dataDir, stream: 'gate', capacity: 3, flushDelayMs: 60_000 });
    const accepted = [1, 2, 3, 4, 5].map((i) => buffer.add(entry(i)));
    expect(accepted).toEqual([true, true, true, false, false]);
    await buffer.close();
    expect(buffer.add(entry(6))).toBe(false);
    expect(buffer.stats()).toMatchObject({ accepted: 3, written: 3, dropped: 3, pending: 0 });
  });

  it('keeps the entries of a failed append and writes them once the disk is back', async () => {
    const errors: unknown[] = [];
    // A file where the audit directory should be: every append fails.
    await writeFile(path.join(dataDir, 'audit'), 'not a directory');
    const buffer = new AuditBuffer({
      dataDir,
      stream: 'gate',
      flushDelayMs: 60_000,
      onError: (e) => errors.push(e),
    });
    buffer.add(entry(1));
    await expect(buffer.flush()).rejects.toThrow();
    expect(buffer.stats()).toMatchObject({ pending: 1, written: 0, failedFlushes: 1 });
    await rm(path.join(dataDir, 'audit'));
    await mkdir(path.join(dataDir, 'audit'));
    await buffer.close();
    expect(buffer.stats()).toMatchObject({ pending: 0, written: 1 });
    expect((await readAuditStream(dataDir, 'gate')).map((l) => l.eventId)).toEqual(['e1']);
  });
});
