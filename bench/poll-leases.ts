/**
 * `node bench/poll-leases.ts`: what the long-poll bound costs one held poll, on the DynamoDB
 * emulator through the adapter the feed function uses. It counts the calls and the capacity units
 * the emulator reports for a poll's two leases (take and release on the endpoint and on the
 * tenant), and times them against one strongly consistent GetItem in the same run (a ratio, as the
 * machines are shared). A burst of racing polls shows what losing a race adds. All on 127.0.0.1.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoPollLeases } from "../functions/adapters/dynamo/dynamo-poll-leases.ts";
import { withPollLeases } from "../functions/core/feed/poll-leases.ts";
import { systemClock } from "../functions/core/kernel/clock.ts";
import { startDynamo } from "../local/emulators.ts";
import { ensureTable } from "../local/provision.ts";
import { median, round } from "./support/stats.ts";

const TABLE = "bench-poll-leases";
const POLLS = 300;

const dynamo = await startDynamo(undefined);
const raw = new DynamoDBClient({ endpoint: dynamo.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
await ensureTable(raw, TABLE);
const client = DynamoDBDocumentClient.from(raw);
// Every call asks for its consumed capacity, and the answer's is added up by operation.
const calls = new Map<string, { count: number; read: number; write: number }>();
client.middlewareStack.add(
  (next, context) => async (args) => {
    (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = "TOTAL";
    const out = await next(args);
    const used = (out.output as { ConsumedCapacity?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number } })
      .ConsumedCapacity;
    const name = String(context.commandName);
    const entry = calls.get(name) ?? { count: 0, read: 0, write: 0 };
    entry.count++;
    entry.read += used?.ReadCapacityUnits ?? (name.startsWith("Query") || name.startsWith("Get") ? (used?.CapacityUnits ?? 0) : 0);
    entry.write += used?.WriteCapacityUnits ?? (name.startsWith("Put") || name.startsWith("Update") ? (used?.CapacityUnits ?? 0) : 0);
    calls.set(name, entry);
    return out;
  },
  { step: "initialize", name: "countCapacity" },
);
const store = new DynamoPollLeases(client, TABLE);
const deps = { pollLeases: store, pollLimits: { perEndpoint: 2, perTenant: 10 }, clock: systemClock };

// One poll at a time: what every held poll costs.
const leaseMs: number[] = [];
const getMs: number[] = [];
for (let i = 0; i < POLLS; i++) {
  const endpoint = { id: `ep_${i % 20}`, tenantId: `t_${i % 4}` };
  const started = performance.now();
  await withPollLeases(deps, endpoint, Date.now() + 20_000, async () => {
    leaseMs.push(performance.now() - started);
  });
  const get = performance.now();
  await client.send(new GetCommand({ TableName: TABLE, Key: { pk: "none", sk: "none" }, ConsistentRead: true }));
  getMs.push(performance.now() - get);
}
const sequential = Object.fromEntries(
  [...calls].map(([name, c]) => [
    name,
    { perPoll: round(c.count / POLLS), rcuPerPoll: round(c.read / POLLS), wcuPerPoll: round(c.write / POLLS) },
  ]),
);
// GetItem calls were the yardstick, not part of a poll.
delete sequential.GetItemCommand;

// A burst: 40 polls of one tenant's 5 endpoints at once (limit 2 each, 10 for the tenant).
calls.clear();
const outcomes = await Promise.all(
  Array.from({ length: 40 }, (_, i) =>
    withPollLeases(
      deps,
      { id: `burst_${i % 5}`, tenantId: "t_burst" },
      Date.now() + 20_000,
      () => new Promise((r) => setTimeout(r, 200)),
    ).then(
      () => "held",
      (error: { code?: string }) => error.code ?? "error",
    ),
  ),
);
const burst = Object.fromEntries([...calls].map(([name, c]) => [name, { calls: c.count, wcu: round(c.write), rcu: round(c.read) }]));

const result = {
  sequential: {
    polls: POLLS,
    calls: sequential,
    leaseAcquireMedianMs: round(median(leaseMs)),
    getItemMedianMs: round(median(getMs)),
    acquireOverGetItem: round(median(leaseMs) / median(getMs)),
  },
  burst: {
    polls: 40,
    held: outcomes.filter((o) => o === "held").length,
    refused: outcomes.filter((o) => o === "too_many_polls").length,
    calls: burst,
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
client.destroy();
await dynamo.stop();
