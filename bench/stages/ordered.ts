import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiClient } from "../support/api-client.ts";
import type { BenchStack, Taken } from "../support/bench-stack.ts";
import { earnFastLane, healthyWindow, latencyStats, startLaneReceiver } from "../support/lane-traffic.ts";
import { PRICES } from "../support/prices.ts";
import { quantile, round, sleep } from "../support/stats.ts";

/*
 * The ordered stage (docs/ordering.md): what one ordered endpoint takes and costs, and whether it
 * slows anyone else.
 * 1. Throughput to one endpoint: N events emitted in batches of 100, delivered to one ordered
 *    endpoint and, in a run of its own, to one unordered endpoint (in the fast lane); each run's
 *    AWS calls are counted and priced, which gives the extra cost per million ordered deliveries.
 * 2. Neighbours: an unordered endpoint of the ordered endpoint's tenant and one of another tenant
 *    receive a steady stream; windows with and without a busy ordered endpoint (a backlog, its
 *    receiver failing 30 % of requests) alternate in one run, and the ratio of their p99s is the figure.
 * fauxqs hands out one message per FIFO group per receive where SQS hands out up to 10, so the local
 * ordered throughput is a floor of what one group does on AWS.
 */

export interface OrderedOptions {
  events: number;
  ratePerSecond: number;
  windowSeconds: number;
  rounds: number;
  /** Events queued to the busy ordered endpoint at the start of each ordered window. */
  backlog: number;
}

/** The SQS part of a first-time success on AWS at batches of 10 (send, receive, delete), priced FIFO minus standard, per million. */
const AWS_EXTRA_PER_MILLION = round(((0.1 + 0.1 + 0.1) * (0.5 - 0.4) * 1e6) / 1e6, 3);

/** One throughput run: deliveries per second to one endpoint and what its AWS calls cost per million deliveries. */
export interface ThroughputRun {
  deliveries: number;
  seconds: number;
  perSecond: number;
  sqsRequestsPerDelivery: number;
  dynamoUnitsPerDelivery: number;
  dollarsPerMillion: number;
}

export interface OrderedResult {
  options: OrderedOptions;
  ordered: ThroughputRun;
  unordered: ThroughputRun;
  /** ordered − unordered, dollars per million deliveries (SQS and DynamoDB; Lambda and API Gateway left out). */
  extraDollarsPerMillion: number;
  neighbours: {
    baseline: ReturnType<typeof latencyStats>;
    withOrdered: ReturnType<typeof latencyStats>;
    /** p99 with the busy ordered endpoint / p99 without. */
    ratio: number;
    target: number;
    met: boolean;
  };
}

/** Prices a run's counted calls: FIFO requests at $0.50 per million, standard ones at $0.40, DynamoDB units on demand. */
function price(
  taken: Taken,
  deliveries: number,
): Pick<ThroughputRun, "sqsRequestsPerDelivery" | "dynamoUnitsPerDelivery" | "dollarsPerMillion"> {
  let sqs = 0;
  let dollars = 0;
  for (const c of Object.values(taken.sqs)) {
    sqs += c.billedRequests;
    const fifo = c.operation.service === "SQS" && c.operation.queue.includes("ordered");
    dollars += c.billedRequests * (fifo ? 0.5 / 1e6 : PRICES.sqsRequest);
  }
  let units = 0;
  for (const c of Object.values(taken.dynamodb)) {
    units += c.writeUnits + c.readUnits;
    dollars += c.writeUnits * PRICES.dynamoWriteUnit + c.readUnits * PRICES.dynamoReadUnit;
  }
  return {
    sqsRequestsPerDelivery: round(sqs / deliveries, 2),
    dynamoUnitsPerDelivery: round(units / deliveries, 2),
    dollarsPerMillion: round((dollars / deliveries) * 1e6, 3),
  };
}

/** A receiver for the ordered endpoints: counts first receipts per path, fails `failRate` of requests on paths under /busy/. */
async function startOrderedReceiver(failRate: number) {
  const firsts = new Map<string, Set<string>>();
  let outOfOrder = 0;
  const last = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      if (path.startsWith("/busy/") && Math.random() < failRate) {
        res.writeHead(500).end();
        return;
      }
      const seen = firsts.get(path) ?? new Set<string>();
      firsts.set(path, seen);
      const id = String(req.headers["webhook-id"]);
      if (!seen.has(id)) {
        seen.add(id);
        const seq = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { seq: number }).seq;
        // Order is promised on the ordered endpoints' paths only.
        if (path !== "/unordered" && seq < (last.get(path) ?? -1)) outOfOrder++;
        last.set(path, seq);
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: (path: string) => firsts.get(path)?.size ?? 0,
    outOfOrder: () => outOfOrder,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function register(api: ApiClient, body: Record<string, unknown>): Promise<string> {
  const out = await api.request("POST", "/v1/endpoints", body);
  if (out.status !== 201) throw new Error(`endpoint registration answered ${out.status}: ${JSON.stringify(out.json)}`);
  return String(out.json?.id);
}

/** Emits `count` events of `type` to `tenantId` in batches of 100, each batch answered before the next. */
async function emitBatches(api: ApiClient, tenantId: string, type: string, count: number, first = 0): Promise<void> {
  for (let seq = first; seq < first + count; seq += 100) {
    const size = Math.min(100, first + count - seq);
    const events = Array.from({ length: size }, (_, i) => ({ type, tenantId, payload: { seq: seq + i } }));
    const out = await api.request("POST", "/v1/events/batch", { events });
    if (out.status !== 202) throw new Error(`batch answered ${out.status}`);
  }
}

async function throughput(
  stack: BenchStack,
  api: ApiClient,
  receiver: Awaited<ReturnType<typeof startOrderedReceiver>>,
  kind: "ordered" | "unordered",
  events: number,
): Promise<ThroughputRun> {
  const tenant = `ord-${kind}`;
  const path = `/${kind}`;
  const id = await register(api, {
    url: `${receiver.url}${path}`,
    tenantId: tenant,
    eventTypes: ["tp", "noisy.test"],
    ...(kind === "ordered" && { ordering: "fifo" }),
  });
  // An unordered endpoint starts in probation: a few fast answers bring it to the fast lane first.
  let warm = 1e9;
  if (kind === "unordered") await earnFastLane(api, tenant, [id], () => warm++);
  const before = receiver.received(path);
  await stack.take();
  const started = performance.now();
  await emitBatches(api, tenant, "tp", events);
  const deadline = Date.now() + 600_000;
  while (receiver.received(path) - before < events) {
    if (Date.now() > deadline) throw new Error(`${kind}: ${receiver.received(path) - before} of ${events} arrived`);
    await sleep(20);
  }
  const seconds = (performance.now() - started) / 1000;
  // Let the last deletes land before the calls are taken.
  await sleep(1_500);
  const taken = await stack.take();
  return { deliveries: events, seconds: round(seconds, 1), perSecond: round(events / seconds, 0), ...price(taken, events) };
}

/** Runs the stage on a stack whose delivery pollers it starts. */
export async function benchOrdered(
  stack: BenchStack,
  api: ApiClient,
  options: OrderedOptions,
  progress: (line: string) => void,
): Promise<OrderedResult> {
  const receiver = await startOrderedReceiver(0.3);
  const lanes = await startLaneReceiver(5_000);
  try {
    await stack.call("startDelivery", { concurrency: 4 });
    progress(`    throughput: ${options.events} events to one ordered endpoint`);
    const ordered = await throughput(stack, api, receiver, "ordered", options.events);
    progress(`    ordered: ${ordered.perSecond} deliveries/s, $${ordered.dollarsPerMillion} per million (SQS + DynamoDB)`);
    const unordered = await throughput(stack, api, receiver, "unordered", options.events);
    progress(`    unordered: ${unordered.perSecond} deliveries/s, $${unordered.dollarsPerMillion} per million (SQS + DynamoDB)`);
    if (receiver.outOfOrder() > 0) throw new Error(`${receiver.outOfOrder()} first receipts out of order`);

    const paths = ["/healthy/same-tenant", "/healthy/other-tenant"];
    const tenants = ["ord-neighbours", "ord-other"];
    const ids = await Promise.all(
      paths.map((path, i) => register(api, { url: `${lanes.url}${path}`, tenantId: tenants[i], eventTypes: ["noisy.test"] })),
    );
    let seq = 0;
    await Promise.all(ids.map((id, i) => earnFastLane(api, tenants[i] as string, [id], () => seq++)));
    const window = () =>
      Promise.all(paths.map((path, i) => healthyWindow(api, lanes.arrivals, tenants[i] as string, [path], options, () => seq++)));
    await window(); // warm-up, unmeasured
    const samples = { baseline: [] as number[], withOrdered: [] as number[] };
    for (let r = 0; r < options.rounds; r++) {
      for (const kind of ["baseline", "withOrdered"] as const) {
        let busy: string | undefined;
        if (kind === "withOrdered") {
          busy = await register(api, {
            url: `${receiver.url}/busy/${r}`,
            tenantId: "ord-neighbours",
            eventTypes: ["ordered.load"],
            ordering: "fifo",
          });
          await emitBatches(api, "ord-neighbours", "ordered.load", options.backlog, r * options.backlog);
        }
        const measured = (await window()).flat();
        samples[kind].push(...measured);
        progress(`    round ${r + 1} ${kind}: ${measured.length} deliveries, p99 ${Math.round(quantile(measured, 0.99))} ms`);
        // Deleted: what is left of its line is recorded skipped (endpoint_deleted) as it comes.
        if (busy) await api.request("DELETE", `/v1/endpoints/${busy}`);
      }
    }
    const baseline = latencyStats(samples.baseline);
    const withOrdered = latencyStats(samples.withOrdered);
    const ratio = round(withOrdered.p99Ms / baseline.p99Ms, 2);
    return {
      options,
      ordered,
      unordered,
      extraDollarsPerMillion: round(ordered.dollarsPerMillion - unordered.dollarsPerMillion, 3),
      neighbours: { baseline, withOrdered, ratio, target: 2, met: ratio <= 2 },
    };
  } finally {
    await stack.call("stopDelivery");
    await lanes.stop();
    await receiver.stop();
  }
}

/** The stage's section of the results, in Markdown. */
export function orderedSection(r: OrderedResult): string[] {
  const row = (name: string, t: ThroughputRun) =>
    `| ${name} | ${t.perSecond} | ${t.sqsRequestsPerDelivery} | ${t.dynamoUnitsPerDelivery} | $${t.dollarsPerMillion} |`;
  const n = r.neighbours;
  return [
    "## Ordered delivery (npm run bench -- --stage ordered)",
    "",
    `${r.options.events} events to one endpoint, emitted in batches of 100, every answer 204.`,
    "",
    "| endpoint | deliveries/s | SQS requests per delivery | DynamoDB units per delivery | SQS + DynamoDB per million |",
    "|---|---|---|---|---|",
    row("ordered (fifo)", r.ordered),
    row("unordered (fast lane)", r.unordered),
    "",
    `Extra cost of ordering, measured on the local stack: **$${r.extraDollarsPerMillion} per million deliveries** (SQS FIFO requests at $0.50 per million, standard at $0.40; DynamoDB on demand; Lambda and API Gateway left out). fauxqs gives one message per FIFO group per receive (SQS up to 10) and wakes every waiting poller when a group frees, which returns empty: most of the extra SQS requests are the emulator's, and the ordered throughput is a floor.`,
    "",
    `On SQS, where one receive takes up to 10 messages of a group and the event source deletes in batches, a delivery that succeeds first time costs about 0.1 send + 0.1 receive + 0.1 delete, priced $0.50 instead of $0.40 per million: **about $${AWS_EXTRA_PER_MILLION} more per million deliveries**, plus $0.50 per million waits (one ChangeMessageVisibilityBatch per held line, for up to 10 deliveries).`,
    "",
    `Neighbours: an unordered endpoint of the ordered endpoint's tenant and one of another tenant, ${r.options.ratePerSecond} events/s each for ${r.options.windowSeconds} s windows, ${r.options.rounds} rounds; in the ordered windows a fresh ordered endpoint of the first tenant has ${r.options.backlog} events queued and fails 30 % of requests.`,
    "",
    "| windows | deliveries | p50 ms | p99 ms | max ms |",
    "|---|---|---|---|---|",
    `| without the ordered endpoint | ${n.baseline.deliveries} | ${n.baseline.p50Ms} | ${n.baseline.p99Ms} | ${n.baseline.maxMs} |`,
    `| with it | ${n.withOrdered.deliveries} | ${n.withOrdered.p50Ms} | ${n.withOrdered.p99Ms} | ${n.withOrdered.maxMs} |`,
    "",
    `p99 ratio **${n.ratio}** (target ≤ ${n.target}: ${n.met ? "met" : "not met"}).`,
  ];
}
