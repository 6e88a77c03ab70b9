// WAL checkpoints for the SQLite store, run off the event loop. SQLite's automatic checkpoint
// runs inside the commit that crosses the threshold, on the connection that commits — here the
// runtime's event loop — and copies the WAL's pages into the database file (fsyncing both with
// `synchronous = NORMAL`). On a busy disk that stall, not the inserts, was what held the SQLite
// store's streaming throughput near half of the memory store's (bench/store). A worker thread with
// its own connection runs PASSIVE checkpoints instead: they never block the writer, and a commit's
// durability does not depend on them (a committed transaction is in the WAL, which SQLite replays
// after a crash, also one during a checkpoint).
// The worker is an eval'd script so that it needs no file of its own next to the compiled code;
// it loads better-sqlite3 from the path the main thread resolved.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.engine);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
let timer;
const tick = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ error: String(err) }); }
  timer = setTimeout(tick, workerData.everyMs);
};
parentPort.on('message', (m) => { if (m === 'stop') { clearTimeout(timer); db.close(); parentPort.close(); } });
timer = setTimeout(tick, workerData.everyMs);
`;

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  /** `onFailure`: the worker could not run (the caller goes back to inline checkpoints). */
  constructor(path: string, onError: (err: unknown) => void, onFailure: () => void, everyMs = 200) {
    const engine = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, engine, everyMs } });
    this.worker.unref();
    this.worker.on('message', (m: { error?: string }) => m.error && onError(new Error(`wal checkpoint: ${m.error}`)));
    this.worker.on('error', (err) => {
      onError(err);
      onFailure();
    });
    this.exited = new Promise((r) => this.worker.once('exit', () => r()));
  }

  /** Stops the worker and waits until its connection is closed. */
  async stop(): Promise<void> {
    // unref'd while it runs; awaited here, so it must hold the process open until it exits (a
    // CLI that opens and closes a store at once otherwise ends with exit 13, unsettled await)
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
