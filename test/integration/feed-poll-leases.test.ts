import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoPollLeases } from "../../functions/adapters/dynamo/dynamo-poll-leases.ts";
import type { PollScope } from "../../functions/core/feed/deps.ts";
import { type PolledEndpoint, withPollLeases } from "../../functions/core/feed/poll-leases.ts";
import type { Clock } from "../../functions/core/kernel/clock.ts";
import { type Emulator, startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";
import { racingPoll } from "../support/racing-poll.ts";

/*
 * The long-poll leases on the DynamoDB emulator, through the adapter the functions use: the
 * conditional writes hold the limits however polls race, a lease nobody released frees its slot
 * once it expired (dynalite runs no TTL, so expiry is read from the item, as it must be in AWS
 * between expiry and TTL's deletion), and only the holder releases a lease.
 */
const TABLE = "poll-leases";
let dynamo: Emulator;
let client: DynamoDBDocumentClient;
let store: DynamoPollLeases;

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  const raw = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  await ensureTable(raw, TABLE);
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoPollLeases(client, TABLE);
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

describe("long-poll leases on the DynamoDB emulator", () => {
  it("never let racing polls from generated tenants and endpoints hold more than the limits", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.nat(5), { minLength: 4, maxLength: 24 }),
        fc.uuid(),
        async (perEndpoint, extra, picks, run) => {
          const perTenant = perEndpoint + extra;
          const deps = { pollLeases: store, pollLimits: { perEndpoint, perTenant }, clock: { now: () => new Date(), random: Math.random } };
          // Two tenants of three endpoints each, fresh for every run.
          const endpoints: PolledEndpoint[] = Array.from({ length: 6 }, (_, i) => ({ id: `${run}-ep${i}`, tenantId: `${run}-t${i % 2}` }));
          const holding = new Map<string, number>();
          const most = new Map<string, number>();
          const count = (key: string, by: number) => {
            holding.set(key, (holding.get(key) ?? 0) + by);
            most.set(key, Math.max(most.get(key) ?? 0, holding.get(key) ?? 0));
          };
          let release: () => void = () => undefined;
          const answered = new Promise<void>((resolve) => {
            release = resolve;
          });
          const polls = picks.map((pick) => {
            const endpoint = endpoints[pick] as PolledEndpoint;
            return racingPoll(deps, endpoint, Date.now() + 20_000, answered, count);
          });
          const outcomes = await Promise.all(polls.map((poll) => poll.outcome));
          release();
          await Promise.all(polls.map((poll) => poll.done.catch(() => undefined)));
          for (const endpoint of endpoints) {
            expect(most.get(endpoint.id) ?? 0).toBeLessThanOrEqual(perEndpoint);
            expect(most.get(endpoint.tenantId) ?? 0).toBeLessThanOrEqual(perTenant);
          }
          for (const outcome of outcomes) {
            if (outcome !== "held") expect(outcome).toMatchObject({ status: 429, code: "too_many_polls" });
          }
          expect(outcomes).toContain("held");
          // Every lease was given back.
          const now = Date.now();
          for (const endpoint of endpoints) {
            const leases = await store.leases({ kind: "endpoint", id: endpoint.id });
            expect(leases.filter((lease) => lease.untilMs >= now)).toEqual([]);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it("frees a slot whose holder never released it once its lease expired, and only then", async () => {
    const scope: PollScope = { kind: "endpoint", id: "ep_killed" };
    const until = Date.parse("2026-11-01T00:00:25Z");
    expect(await store.take(scope, { slot: 0, id: "killed", untilMs: until }, until - 25_000)).toBe(true);
    expect(await store.take(scope, { slot: 0, id: "early", untilMs: until + 20_000 }, until)).toBe(false);
    expect(await store.take(scope, { slot: 0, id: "late", untilMs: until + 25_000 }, until + 1)).toBe(true);
    expect((await store.leases(scope)).map((lease) => lease.id)).toEqual(["late"]);
  });

  it("lets only the holder release a lease", async () => {
    const scope: PollScope = { kind: "tenant", id: "t_release" };
    const now = Date.now();
    const lease = { slot: 3, id: "mine", untilMs: now + 10_000 };
    expect(await store.take(scope, lease, now)).toBe(true);
    await store.release(scope, { ...lease, id: "someone else's" });
    expect(await store.take(scope, { slot: 3, id: "thief", untilMs: now + 10_000 }, now)).toBe(false);
    await store.release(scope, lease);
    expect(await store.take(scope, { slot: 3, id: "next", untilMs: now + 10_000 }, now)).toBe(true);
  });

  it("counts a poll against its endpoint and its tenant under a controlled clock: expiry frees both", async () => {
    let now = Date.parse("2026-11-01T00:00:00Z");
    const clock: Clock = { now: () => new Date(now), random: () => 0.5 };
    const deps = { pollLeases: store, pollLimits: { perEndpoint: 1, perTenant: 1 }, clock };
    const endpoint = { id: "ep_clock", tenantId: "t_clock" };
    // A poll that is killed while it holds: its hold never settles.
    void withPollLeases(deps, endpoint, now + 10_000, () => new Promise(() => undefined));
    await expect.poll(async () => (await store.leases({ kind: "tenant", id: "t_clock" })).length).toBe(1);
    const other = { id: "ep_clock2", tenantId: "t_clock" };
    await expect(withPollLeases(deps, other, now + 10_000, async () => "held")).rejects.toMatchObject({
      code: "too_many_polls",
      details: [{ path: "wait", scope: "tenant" }],
      retryAfterSeconds: 10,
    });
    now += 15_001;
    await expect(withPollLeases(deps, other, now + 10_000, async () => "held")).resolves.toBe("held");
  });
});
