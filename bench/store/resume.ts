// Figure 2: resume latency, hello-with-resume -> the last replayed frame (the job's terminal),
// after a 100-event job: on the same node for every store, and for Redis also on another node
// of the cluster (the session is taken over from its home node, docs/store.md "Clusters").
import { median, Peer } from './peer.js';

export interface ResumeLatency {
  medianMs: number;
  samples: number;
  replayedEvents: number;
}

async function resumeOnce(fromUrl: string, toUrl: string): Promise<{ ms: number; replayed: number }> {
  const first = await Peer.open(fromUrl);
  await first.hello();
  const { lastSeq } = await first.flood(100);
  await first.close();
  const second = await Peer.open(toUrl);
  try {
    let replayed = 0;
    const t0 = performance.now();
    const last = second.until(
      (m) => m.event_seq === lastSeq,
      (m) => void (m.event_seq !== undefined && replayed++),
    );
    await second.hello({ session_id: first.sessionId, resume_token: first.token, last_event_seq: 0 });
    await last;
    return { ms: performance.now() - t0, replayed };
  } finally {
    await second.close();
  }
}

/** `pairs`: name -> [url the session starts on, url it resumes on]. */
export async function measureResume(pairs: Record<string, [string, string]>, samples: number): Promise<Record<string, ResumeLatency>> {
  const ms: Record<string, number[]> = Object.fromEntries(Object.keys(pairs).map((n) => [n, []]));
  const replayed: Record<string, number> = {};
  for (let i = 0; i < samples; i++) {
    for (const [n, [from, to]] of Object.entries(pairs)) {
      const r = await resumeOnce(from, to);
      ms[n]!.push(r.ms);
      replayed[n] = r.replayed;
    }
  }
  return Object.fromEntries(Object.keys(pairs).map((n) => [n, { medianMs: median(ms[n]!), samples, replayedEvents: replayed[n]! }]));
}
