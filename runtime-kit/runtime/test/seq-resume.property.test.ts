// Property: whatever the interleaving of submits, transport drops, resumes (from any seq the
// client still holds) and acks, the client sees one strictly monotonic, gap-free event_seq
// stream: every replay starts exactly at last_event_seq + 1, nothing emitted while away is lost,
// and every job ends with exactly one terminal (§6.3, §8.3; ecosystem.md resume/seq bugs).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeRuntime } from "./support/runtime-fixture.js";
import { TestPeer, type Msg } from "./support/test-peer.js";

type Cmd =
  | { kind: "submit"; n: number }
  | { kind: "drop" }
  | { kind: "resume"; back: number }
  | { kind: "ack"; back: number }
  | { kind: "wait" };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("submit" as const),
      n: fc.integer({ min: 0, max: 6 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: "drop" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("resume" as const),
      back: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("ack" as const),
      back: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: "wait" as const }) },
);

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

// Fault-injected variants live in conformance/test/fault-mutants.test.ts (source mutation of a scratch copy).
function streamProperty() {
  return fc.asyncProperty(
    fc.array(cmdArb, { minLength: 3, maxLength: 14 }),
    async (cmds) => {
      const runtime = makeRuntime();
      runtime.registerAgent("ticker", async (input, ctx) => {
        for (let i = 0; i < (input as { n: number }).n; i++) {
          for (let k = 0; k < 4; k++) await turn(); // slow enough to keep emitting across drops
          ctx.log("info", `tick ${i}`);
        }
        return "ok";
      });
      try {
        let peer = TestPeer.connect(runtime);
        await peer.hello();
        const sessionId = peer.sessionId!;
        let token = peer.resumeToken!;
        let attached = true;
        let next = 1; // the next seq the client must see
        let acked = 0;
        const seen = new Map<number, Msg>();
        const jobs: string[] = [];
        let consumed = 0;
        // Checks every newly received sequenced message on the current peer.
        const drain = (): void => {
          const fresh = peer.sequenced().slice(consumed);
          consumed += fresh.length;
          for (const m of fresh) {
            expect(
              m.event_seq,
              `expected seq ${next}, got ${m.event_seq}`,
            ).toBe(next);
            const earlier = seen.get(m.event_seq!);
            if (earlier) expect(m).toEqual(earlier); // a replay is verbatim
            seen.set(m.event_seq!, m);
            next++;
          }
        };
        for (const cmd of cmds) {
          if (cmd.kind === "submit" && attached) {
            const acc = await peer.accepted(
              peer.submit("ticker", { n: cmd.n }),
            );
            jobs.push(acc.payload.job_id);
          } else if (cmd.kind === "drop" && attached) {
            drain();
            await peer.close();
            await peer.settle();
            attached = false;
          } else if (cmd.kind === "resume" && !attached) {
            const from = Math.max(acked, next - 1 - cmd.back);
            peer = TestPeer.connect(runtime);
            const welcome = await peer.hello({
              resume: {
                session_id: sessionId,
                resume_token: token,
                last_event_seq: from,
              },
            });
            expect(welcome.type).toBe("session.welcome");
            token = peer.resumeToken!;
            consumed = 0;
            next = from + 1;
            attached = true;
          } else if (cmd.kind === "ack" && attached) {
            await peer.settle();
            drain();
            const upTo = Math.max(acked, next - 1 - cmd.back);
            peer.send("session.ack", { last_processed_seq: upTo });
            acked = upTo;
          } else {
            await turn();
          }
          if (attached) drain();
        }
        // Finish: come back if away, let every job end, and check the whole stream.
        if (!attached) {
          peer = TestPeer.connect(runtime);
          const from = next - 1;
          await peer.hello({
            resume: {
              session_id: sessionId,
              resume_token: token,
              last_event_seq: from,
            },
          });
          consumed = 0;
        }
        const ended = (id: string): boolean =>
          [...seen.values()].some(
            (m) =>
              m.job_id === id &&
              (m.type === "job.result" || m.type === "job.error"),
          );
        for (let i = 0; i < 2000 && !jobs.every(ended); i++) {
          await turn();
          drain();
        }
        const all = [...seen.keys()].sort((a, b) => a - b);
        expect(all).toEqual(all.map((_, i) => i + 1));
        for (const id of jobs) {
          const terminals = [...seen.values()].filter(
            (m) =>
              m.job_id === id &&
              (m.type === "job.result" || m.type === "job.error"),
          );
          expect(terminals, `job ${id}`).toHaveLength(1);
        }
      } finally {
        await runtime.close();
      }
    },
  );
}

describe("event_seq across drops and resumes (property)", () => {
  it("is gap-free and replays exactly what was missed", async () => {
    await fc.assert(streamProperty(), { numRuns: 25 });
  });
});
