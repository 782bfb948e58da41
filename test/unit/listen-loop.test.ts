import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FeedItem, FeedPage, ListenApi } from "../../cli/listen/api.ts";
import { ApiAnswerError, ApiUnreachableError } from "../../cli/listen/errors.ts";
import type { LocalAnswer } from "../../cli/listen/forward.ts";
import { listen } from "../../cli/listen/listen.ts";
import type { ListenOptions } from "../../cli/listen/options.ts";
import { loadState, saveState, stateFile } from "../../cli/listen/state.ts";

const dir = mkdtempSync(join(tmpdir(), "hookrelay-listen-loop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const item = (n: number): FeedItem => ({
  id: `fi_${n}`,
  eventId: `evt_${n}`,
  messageId: `msg_${n}`,
  eventType: "invoice.paid",
  timestamp: "2026-12-02T00:00:00Z",
  payload: { n },
  body: `{"n":${n}}`,
  headers: {
    "webhook-id": `msg_${n}`,
    "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
    "webhook-signature": "v1,unchecked-here",
  },
});

type FeedAnswer = FeedPage | Error;

/** A ListenApi whose feed gives the scripted answers in turn, then stops the listener. */
function scriptedApi(answers: FeedAnswer[], stop: AbortController) {
  const reads: { cursor?: string }[] = [];
  const deleted: string[] = [];
  const api: ListenApi = {
    createPollingEndpoint: async () => ({ id: "ep_new", secret: "whsec_new" }),
    endpointExists: async (id) => id === "ep_1",
    getSecret: async () => "whsec_1",
    websocketUrl: async () => undefined,
    deleteEndpoint: async (id) => {
      deleted.push(id);
    },
    readFeed: async (_id, query) => {
      reads.push({ ...(query.cursor !== undefined && { cursor: query.cursor }) });
      const answer = answers.shift();
      if (answer === undefined) {
        stop.abort();
        throw new Error("aborted");
      }
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { api, reads, deleted };
}

function options(stateDir: string, endpointId?: string): ListenOptions {
  return {
    forwardTo: new URL("http://127.0.0.1:4000/"),
    apiUrl: "http://127.0.0.1:3000",
    apiKey: "k",
    transport: "poll",
    events: [],
    stateDir,
    ...(endpointId !== undefined && { endpointId }),
  };
}

function deps(
  api: ListenApi,
  answer: (item: FeedItem) => LocalAnswer = () => ({ kind: "answered", status: 204, ms: 1 }),
  clock = { now: new Date("2026-12-02T00:00:00.000Z") },
) {
  const forwarded: string[] = [];
  const sent: FeedItem[] = [];
  const lines: string[] = [];
  return {
    forwarded,
    sent,
    lines,
    deps: {
      api,
      forward: async (_url: URL, it: FeedItem) => {
        forwarded.push(it.id);
        sent.push(it);
        return answer(it);
      },
      print: (line: string) => lines.push(line),
      now: () => clock.now,
      random: () => 0,
    },
  };
}

describe("the listen loop", () => {
  it("skips the items of a page a killed run had already forwarded, then saves the page's cursor", async () => {
    const stateDir = join(dir, "mid-page");
    const file = stateFile(stateDir, "http://127.0.0.1:3000", { endpointId: "ep_1" });
    await saveState(file, { apiUrl: "http://127.0.0.1:3000", endpointId: "ep_1", temporary: false, cursor: "c0", done: ["fi_1"] });
    const stop = new AbortController();
    const { api, reads, deleted } = scriptedApi([{ items: [item(1), item(2)], cursor: "c2" }], stop);
    const run = deps(api);
    await listen(options(stateDir, "ep_1"), run.deps, stop.signal);

    expect(run.forwarded).toEqual(["fi_2"]);
    expect(reads).toEqual([{ cursor: "c0" }, { cursor: "c2" }]);
    expect(await loadState(file)).toEqual({
      apiUrl: "http://127.0.0.1:3000",
      endpointId: "ep_1",
      temporary: false,
      cursor: "c2",
      done: [],
    });
    expect(deleted).toEqual([]);
  });

  it("continues from the oldest item kept when the cursor expired (410), and retries the feed when the API is away", async () => {
    const stateDir = join(dir, "expired");
    const file = stateFile(stateDir, "http://127.0.0.1:3000", { endpointId: "ep_1" });
    await saveState(file, { apiUrl: "http://127.0.0.1:3000", endpointId: "ep_1", temporary: false, cursor: "old", done: [] });
    const stop = new AbortController();
    const { api, reads } = scriptedApi(
      [
        new ApiAnswerError(410, "cursor_expired", "gone"),
        new ApiUnreachableError("http://127.0.0.1:3000", new Error("ECONNRESET")),
        new ApiAnswerError(503, "dependency_unavailable", "busy"),
        { items: [item(7)], cursor: "c7" },
      ],
      stop,
    );
    const run = deps(api);
    await listen(options(stateDir, "ep_1"), run.deps, stop.signal);

    expect(reads).toEqual([{ cursor: "old" }, {}, {}, {}, { cursor: "c7" }]);
    expect(run.forwarded).toEqual(["fi_7"]);
    expect(run.lines.filter((line) => line.includes("feed:"))).toHaveLength(2);
    expect(run.lines).toContain("00:00:00.000  the cursor expired (410 cursor_expired): continuing from the oldest item kept");
  });

  it("waits out a 429 too_many_polls for the Retry-After the feed gave, then reads the same cursor", async () => {
    const stateDir = join(dir, "too-many");
    const stop = new AbortController();
    const { api, reads } = scriptedApi(
      [new ApiAnswerError(429, "too_many_polls", "busy", { retryAfterMs: 1_200 }), { items: [item(3)], cursor: "c3" }],
      stop,
    );
    const run = deps(api);
    await listen(options(stateDir, "ep_1"), run.deps, stop.signal);
    expect(reads).toEqual([{}, {}, { cursor: "c3" }]);
    expect(run.forwarded).toEqual(["fi_3"]);
    // The backoff's first step is 0.5 s; the feed asked for 1.2 s.
    expect(run.lines).toContain("00:00:00.000  feed: the API answered 429 too_many_polls: busy; again in 1.2s");
  });

  it("reads an item again, freshly signed, instead of sending a signature older than 4 minutes", async () => {
    const stateDir = join(dir, "stale");
    const clock = { now: new Date("2026-12-02T00:00:00.000Z") };
    const signedAt = (date: Date, n: number) => ({
      ...item(n),
      headers: { ...item(n).headers, "webhook-timestamp": String(date.getTime() / 1000) },
    });
    const stop = new AbortController();
    const first = signedAt(clock.now, 1);
    const later = new Date(clock.now.getTime() + 300_000);
    const { api, reads } = scriptedApi(
      [
        { items: [first], cursor: "c1" },
        { items: [signedAt(later, 1)], cursor: "c1" },
      ],
      stop,
    );
    // The local server is down for 5 minutes: the first try fails, and the clock moves on.
    let tries = 0;
    const run = deps(
      api,
      () => {
        if (tries++ > 0) return { kind: "answered", status: 204, ms: 1 };
        clock.now = later;
        return { kind: "retry", reason: "no answer (ECONNREFUSED)", ms: 1 };
      },
      clock,
    );
    await listen(options(stateDir, "ep_1"), run.deps, stop.signal);

    expect(run.sent.map((sent) => sent.headers["webhook-timestamp"])).toEqual([
      String(first.headers["webhook-timestamp"]),
      String(later.getTime() / 1000),
    ]);
    expect(reads).toEqual([{}, {}, { cursor: "c1" }]);
  });

  it("ends on a refusal of the API without deleting the temporary endpoint it cannot reach any more", async () => {
    const stateDir = join(dir, "refused");
    const stop = new AbortController();
    const { api, deleted } = scriptedApi([new ApiAnswerError(401, "unauthorized", "no")], stop);
    await expect(listen(options(stateDir), deps(api).deps, stop.signal)).rejects.toMatchObject({ status: 401 });
    expect(deleted).toEqual([]);
    const file = stateFile(stateDir, "http://127.0.0.1:3000", { events: [], forwardTo: "http://127.0.0.1:4000/" });
    expect(await loadState(file)).toMatchObject({ endpointId: "ep_new", temporary: true });
  });

  it("deletes the temporary endpoint and forgets its state when stopped", async () => {
    const stateDir = join(dir, "stopped");
    const stop = new AbortController();
    const { api, deleted } = scriptedApi([{ items: [item(1)], cursor: "c1" }], stop);
    const run = deps(api);
    await listen(options(stateDir), run.deps, stop.signal);
    expect(deleted).toEqual(["ep_new"]);
    expect(run.lines.at(-1)).toBe("deleted the temporary endpoint ep_new");
    expect(
      await loadState(stateFile(stateDir, "http://127.0.0.1:3000", { events: [], forwardTo: "http://127.0.0.1:4000/" })),
    ).toBeUndefined();
  });
});
