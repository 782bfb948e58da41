import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoPollLeases } from "../../functions/adapters/dynamo/dynamo-poll-leases.ts";
import { MAX_RETRY_AFTER_SECONDS } from "../../functions/core/feed/poll-leases.ts";
import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";

/*
 * The bound on long polls on the local stack, over real HTTP: concurrent long polls from random
 * tenants and endpoints, counted in the emulated table, never hold more than MAX_POLLS_PER_ENDPOINT
 * and MAX_POLLS_PER_TENANT at once; the rest answer 429 with Retry-After. A stack killed while polls
 * held leaves their leases in the table; after a restart they hold the slots until they expire.
 */
const PER_ENDPOINT = 2;
const PER_TENANT = 3;
const dataDir = mkdtempSync(join(tmpdir(), "hookrelay-polls-"));
const stacks: RunningStack[] = [];
let stack: RunningStack;

async function start() {
  const started = await startStack({
    dataDir,
    env: { MAX_POLLS_PER_ENDPOINT: String(PER_ENDPOINT), MAX_POLLS_PER_TENANT: String(PER_TENANT) },
  });
  stacks.push(started);
  return started;
}

beforeAll(async () => {
  stack = await start();
});

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop("SIGKILL")));
  rmSync(dataDir, { recursive: true, force: true });
});

/** The endpoint's leases live now, read from the stack's table as the feed function reads them. */
async function liveLeases(endpointId: string): Promise<number> {
  const raw = new DynamoDBClient({
    endpoint: stack.dynamoUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const client = DynamoDBDocumentClient.from(raw);
  try {
    const leases = await new DynamoPollLeases(client, RESOURCE_NAMES.table).leases({ kind: "endpoint", id: endpointId });
    return leases.filter((lease) => lease.untilMs >= Date.now()).length;
  } finally {
    client.destroy();
  }
}

interface Answer {
  status: number;
  retryAfter: string | null;
  json: any;
}

async function poll(apiUrl: string, endpointId: string, wait: number, signal?: AbortSignal): Promise<Answer> {
  const response = await fetch(`${apiUrl}/v1/endpoints/${endpointId}/feed?wait=${wait}`, {
    headers: { authorization: "Bearer local-admin-key" },
    ...(signal && { signal }),
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), json: await response.json() };
}

/** A seeded generator: the same random tenants and endpoints on every run of the test. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

describe("long polls on the local stack", () => {
  it("tells clients the feed is on the API's own URL", async () => {
    expect((await stack.api("GET", "/v1/health")).json).toEqual({
      status: "ok",
      feedUrl: null,
      websocketUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+/),
    });
  });

  it("holds no more concurrent long polls than the limits, for random tenants and endpoints; the rest get 429 with Retry-After", async () => {
    const tenants = ["polls-a", "polls-b", "polls-c"];
    const endpoints: { id: string; tenant: string }[] = [];
    for (const tenant of tenants) {
      for (let i = 0; i < 2; i++) {
        endpoints.push({ id: (await stack.api("POST", "/v1/endpoints", { kind: "polling", tenantId: tenant })).json.id, tenant });
      }
    }
    for (const seed of [11, 23, 47]) {
      const random = seeded(seed);
      const chosen = Array.from({ length: 14 }, () => endpoints[Math.floor(random() * endpoints.length)] as (typeof endpoints)[number]);
      // All at once: each held poll waits its whole 5 s (nothing is emitted), so they all overlap.
      const answers = await Promise.all(chosen.map((e) => poll(stack.apiUrl, e.id, 5)));
      const held = new Map<string, number>();
      for (const [i, answer] of answers.entries()) {
        const e = chosen[i] as (typeof endpoints)[number];
        if (answer.status === 200) {
          expect(answer.json.items).toEqual([]);
          held.set(e.id, (held.get(e.id) ?? 0) + 1);
          held.set(e.tenant, (held.get(e.tenant) ?? 0) + 1);
          continue;
        }
        expect(answer.status).toBe(429);
        expect(answer.json.error.code).toBe("too_many_polls");
        const seconds = Number(answer.retryAfter);
        expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_RETRY_AFTER_SECONDS, String(answer.retryAfter)).toBe(true);
      }
      for (const e of endpoints) expect(held.get(e.id) ?? 0).toBeLessThanOrEqual(PER_ENDPOINT);
      for (const tenant of tenants) expect(held.get(tenant) ?? 0).toBeLessThanOrEqual(PER_TENANT);
      // 14 polls over 3 tenants of at most 3 each: some were refused, and some held.
      expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(14 - tenants.length * PER_TENANT);
      expect(held.size).toBeGreaterThan(0);
      // Every held poll released its leases when it answered: the next ones hold again.
      const again = await Promise.all([poll(stack.apiUrl, endpoints[0]?.id ?? "", 1), poll(stack.apiUrl, endpoints[0]?.id ?? "", 1)]);
      expect(again.map((a) => a.status)).toEqual([200, 200]);
    }
  });

  it("serves wait=0 reads while an endpoint holds its limit of long polls", async () => {
    const id = (await stack.api("POST", "/v1/endpoints", { kind: "polling", tenantId: "polls-short" })).json.id;
    const held = [poll(stack.apiUrl, id, 4), poll(stack.apiUrl, id, 4)];
    await eventually(async () => (await liveLeases(id)) === PER_ENDPOINT);
    expect((await poll(stack.apiUrl, id, 1)).status).toBe(429);
    const short = await poll(stack.apiUrl, id, 0);
    expect(short.status).toBe(200);
    for (const answer of await Promise.all(held)) expect(answer.status).toBe(200);
  });

  it("keeps a killed stack's polls' slots after a restart until their leases expire, then frees them", async () => {
    const id = (await stack.api("POST", "/v1/endpoints", { kind: "polling", tenantId: "polls-killed" })).json.id;
    const aborts = new AbortController();
    const held = [poll(stack.apiUrl, id, 15, aborts.signal), poll(stack.apiUrl, id, 15, aborts.signal)].map((p) =>
      p.catch(() => undefined),
    );
    await eventually(async () => (await liveLeases(id)) === PER_ENDPOINT);
    await stack.stop("SIGKILL");
    aborts.abort();
    await Promise.all(held);
    stack = await start();
    // The leases of the killed polls are in the table, live for their wait plus the margin.
    expect(await liveLeases(id)).toBe(PER_ENDPOINT);
    const refused = await poll(stack.apiUrl, id, 1);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    // Once they expired, the endpoint's slots are free again.
    const admitted = await eventually(async () => {
      const answer = await poll(stack.apiUrl, id, 1);
      return answer.status === 200 ? answer : undefined;
    }, 40_000);
    expect(admitted.json.items).toEqual([]);
  });
});
