import http from "node:http";
import { createRequire } from "node:module";
import { closeServer, listenOnLoopback } from "../../local/loopback.ts";

/** dynalite's own DynamoDB item-size rule (attribute names plus values, as AWS documents it). */
const itemSize = createRequire(import.meta.url)("dynalite/db").itemSize as (item: Record<string, unknown>) => number;

/** Who makes an AWS call: a function, the event source's polling, or the bench itself. */
export type Caller = "api" | "delivery" | "event source" | "bench";

/** The kind of DynamoDB item a call touches, from its sort key (see functions/adapters/dynamo/table-design.ts). */
export type ItemKind =
  | "attempt"
  | "event"
  | "endpoint"
  | "api key"
  | "endpoints of tenant"
  | "attempts of endpoint"
  | "events of tenant"
  | "rate window"
  | "unsent events"
  | "bench"
  | "other";

/** One kind of billed operation: who called, which service and action, on which queue or item kind. */
export type Operation =
  | { caller: Caller; service: "SQS"; action: string; queue: string }
  | { caller: Caller; service: "DynamoDB"; action: string; item: ItemKind; index?: string };

/** What one operation of one kind has cost so far. */
export interface OperationCount {
  operation: Operation;
  /** HTTP requests made (every SDK retry is a billed request). */
  requests: number;
  /** SQS: requests billed, counting each started 64 KB of payload as one. */
  billedRequests: number;
  /** SQS batch entries sent/deleted, or messages received. */
  entries: number;
  /** DynamoDB write units, the table's and its GSI's. */
  writeUnits: number;
  /** DynamoDB read units. */
  readUnits: number;
  /** DynamoDB bytes stored by puts: each item and each GSI copy (taken as a full copy) with the 100-byte item overhead. */
  storedBytes: number;
  /** Answers other than 200. */
  errors: number;
}

/** Counts by a readable key, `caller: operation what`, e.g. `delivery: DynamoDB PutItem attempt`. */
export type Counts = Record<string, OperationCount>;

/**
 * Write units per partition key, on the table and on each index: `table EP#ep_1#R3`,
 * `gsi1 EP#ep_1#AT#7`. DynamoDB takes about 1,000 a second on one key, so this finds hot keys.
 */
export type KeyWrites = Record<string, number>;

/**
 * The header the bench stack adds to each AWS request to name who made it (api, delivery, or the
 * event source's polling); requests without it are the bench's own ("bench").
 */
export const CALLER_HEADER = "x-bench-caller";

const CALLERS: readonly Caller[] = ["api", "delivery", "event source", "bench"];

/** An operation as one line of text, without its caller, e.g. `DynamoDB PutItem attempt`. */
export function describeOperation(operation: Operation): string {
  if (operation.service === "SQS") return `SQS ${operation.action} ${operation.queue}`;
  return `DynamoDB ${operation.action} ${operation.item}${operation.index ? ` (${operation.index})` : ""}`;
}

/** The key a count is kept under: the caller and the operation. */
export const countKey = (operation: Operation) => `${operation.caller}: ${describeOperation(operation)}`;

/** Each index's key attributes; both indexes project ALL, so an item on one costs its units again there. */
const GSI_KEYS = [
  ["gsi1pk", "gsi1sk"],
  ["gsi2pk", "gsi2sk"],
];
const SQS_CHUNK = 64 * 1024;

/**
 * An HTTP proxy on 127.0.0.1 in front of an emulator that counts what AWS would bill: every request
 * by operation (X-Amz-Target) and by what it touches (queue name, or the kind of item from its sort
 * key), SQS's 64 KB chunks, DynamoDB write units (table plus gsi1 and gsi2, whose projections are ALL) and read
 * units (4 KB each, halved for eventually consistent reads).
 */
export async function startCountingProxy(target: string) {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  let counts: Counts = {};
  let keyWrites: KeyWrites = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const { [CALLER_HEADER]: caller = "bench", ...headers } = req.headers;
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, agent },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (c: Buffer) => parts.push(c));
          answer.on("end", () => {
            const response = Buffer.concat(parts);
            try {
              count(counts, String(caller), String(req.headers["x-amz-target"] ?? ""), body, answer.statusCode ?? 0, response);
              tallyKeys(keyWrites, String(req.headers["x-amz-target"] ?? ""), body);
            } catch {
              // A body we cannot read is still forwarded; it just is not attributed.
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(response);
          });
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  const url = await listenOnLoopback(server, 0);
  return {
    url,
    /** The counts since the last reset, and starts afresh. */
    take(): Counts {
      const taken = counts;
      counts = {};
      return taken;
    },
    peek: (): Counts => counts,
    /** Write units per partition key since the last call, and starts afresh. */
    takeKeyWrites(): KeyWrites {
      const taken = keyWrites;
      keyWrites = {};
      return taken;
    },
    stop: async () => {
      agent.destroy();
      await closeServer(server);
    },
  };
}

function entry(counts: Counts, operation: Operation): OperationCount {
  const key = countKey(operation);
  counts[key] ??= { operation, requests: 0, billedRequests: 0, entries: 0, writeUnits: 0, readUnits: 0, storedBytes: 0, errors: 0 };
  return counts[key];
}

type Attr = Record<string, { S?: string }>;

/** The kind of DynamoDB item a key or item is, from its sort key (see functions/adapters/dynamo/table-design.ts). */
function kindOf(item: Attr | undefined, values?: Record<string, { S?: string }>): ItemKind {
  const sk = item?.sk?.S ?? values?.[":chain"]?.S ?? values?.[":at"]?.S;
  const pk = item?.pk?.S ?? values?.[":pk"]?.S ?? "";
  if (sk?.startsWith("AT#")) return "attempt";
  if (sk === "EVENT" || sk?.startsWith("EVENT#")) return "event";
  // An event in its tenant's list on the table (sort key `{createdAt}#{id}`).
  if (/^TENANT#.*#EVENTS#\d+$/.test(pk)) return "event";
  if (sk === "ENDPOINT") return "endpoint";
  if (sk === "APIKEY") return "api key";
  if (sk?.startsWith("RATE#")) return "rate window";
  if (/^TENANT#.*#EV(#\d+)?$/.test(pk)) return "events of tenant";
  if (pk.startsWith("TENANT#")) return "endpoints of tenant";
  // gsi1's shards (written before the per-batch list) and the per-batch list items (EP#{id}#AL#{shard}).
  if (/^EP#.*#A[TL](#\d+)?$/.test(pk)) return "attempts of endpoint";
  if (pk === "UNSENT") return "unsent events";
  return pk.startsWith("BENCH") ? "bench" : "other";
}

const writeUnits = (item: Attr) => {
  const units = Math.max(1, Math.ceil(itemSize(item) / 1024));
  return units * (1 + GSI_KEYS.filter((keys) => keys.every((k) => k in item)).length);
};
/** Bytes a put keeps: the item plus its GSI copies, each with DynamoDB's 100 bytes of overhead. */
const storedBytes = (item: Attr) => (itemSize(item) + 100) * (1 + GSI_KEYS.filter((keys) => keys.every((k) => k in item)).length);
const readUnits = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / 4096)) / (consistent ? 1 : 2);

/**
 * Adds a write's units to each partition key it lands on: every attempted write, since a write
 * that fails its condition or is throttled still loads its key. An update's index keys are not in
 * the request, so it counts on the table's key only.
 */
function tallyKeys(tally: KeyWrites, target: string, body: Buffer): void {
  const operation = target.split(".")[1];
  if (!target.startsWith("DynamoDB") || body.length === 0) return;
  const input = JSON.parse(body.toString("utf8"));
  const add = (key: string | undefined, units: number) => {
    if (key !== undefined) tally[key] = (tally[key] ?? 0) + units;
  };
  const put = (item: Attr) => {
    const units = Math.max(1, Math.ceil(itemSize(item) / 1024));
    add(item.pk?.S && `table ${item.pk.S}`, units);
    for (const [pk] of GSI_KEYS) add(item[pk as string]?.S && `${(pk as string).slice(0, 4)} ${item[pk as string]?.S}`, units);
  };
  if (operation === "PutItem") put(input.Item);
  else if (operation === "UpdateItem" || operation === "DeleteItem") add(input.Key?.pk?.S && `table ${input.Key.pk.S}`, 1);
  else if (operation === "BatchWriteItem") {
    for (const requests of Object.values(input.RequestItems ?? {}) as { PutRequest?: { Item: Attr }; DeleteRequest?: { Key: Attr } }[][]) {
      for (const r of requests) {
        if (r.PutRequest) put(r.PutRequest.Item);
        else add(r.DeleteRequest?.Key.pk?.S && `table ${r.DeleteRequest.Key.pk.S}`, 1);
      }
    }
  }
}

function count(counts: Counts, callerName: string, target: string, body: Buffer, status: number, response: Buffer): void {
  const caller = CALLERS.find((c) => c === callerName) ?? "bench";
  const [service, operation = "?"] = target.split(".");
  const input = body.length > 0 ? JSON.parse(body.toString("utf8")) : {};
  const output = status === 200 && response.length > 0 ? JSON.parse(response.toString("utf8")) : {};
  if (service === "AmazonSQS") {
    const queue = String(input.QueueUrl ?? "")
      .split("/")
      .pop();
    const c = entry(counts, { caller, service: "SQS", action: operation, queue: queue ?? "" });
    c.requests++;
    c.billedRequests += Math.max(1, Math.ceil(Math.max(body.length, response.length) / SQS_CHUNK));
    if (status !== 200) c.errors++;
    if (operation === "ReceiveMessage") c.entries += output.Messages?.length ?? 0;
    else c.entries += input.Entries?.length ?? (operation === "SendMessage" ? 1 : 0);
    return;
  }
  if (!service?.startsWith("DynamoDB")) return;
  let kind: ItemKind = "other";
  let index: string | undefined;
  let write = 0;
  let read = 0;
  let stored = 0;
  switch (operation) {
    case "PutItem":
      kind = kindOf(input.Item);
      write = writeUnits(input.Item);
      stored = storedBytes(input.Item);
      break;
    case "UpdateItem":
    case "DeleteItem":
      // The item is not in the request; counted as one unit, plus gsi1 (these run on failure paths).
      kind = kindOf(input.Key);
      write = 2;
      break;
    case "BatchWriteItem":
      for (const requests of Object.values(input.RequestItems ?? {}) as { PutRequest?: { Item: Attr } }[][]) {
        for (const r of requests) {
          kind = kindOf(r.PutRequest?.Item);
          write += r.PutRequest ? writeUnits(r.PutRequest.Item) : 1;
          stored += r.PutRequest ? storedBytes(r.PutRequest.Item) : 0;
        }
      }
      break;
    case "GetItem":
      kind = kindOf(input.Key);
      read = readUnits(output.Item ? itemSize(output.Item) : 0, input.ConsistentRead === true);
      break;
    case "Query": {
      kind = kindOf(undefined, input.ExpressionAttributeValues);
      const bytes = (output.Items ?? []).reduce((sum: number, item: Attr) => sum + itemSize(item), 0);
      read = readUnits(bytes, input.ConsistentRead === true && !input.IndexName);
      index = input.IndexName;
      break;
    }
    case "BatchGetItem":
      for (const [table, spec] of Object.entries(input.RequestItems ?? {}) as [string, { Keys: Attr[]; ConsistentRead?: boolean }][]) {
        kind = kindOf(spec.Keys[0]);
        const items = (output.Responses?.[table] ?? []) as Attr[];
        read += spec.Keys.length - items.length;
        for (const item of items) read += readUnits(itemSize(item), spec.ConsistentRead === true);
      }
      break;
  }
  const c = entry(counts, { caller, service: "DynamoDB", action: operation, item: kind, ...(index && { index }) });
  c.requests++;
  c.billedRequests++;
  c.writeUnits += status === 200 ? write : 0;
  c.readUnits += status === 200 ? read : 0;
  c.storedBytes += status === 200 ? stored : 0;
  if (status !== 200) c.errors++;
}
