/**
 * Feed memory: what the feed function's memory size buys. The API bundle (the feed function's code)
 * is built as the CDK builds it and run in fresh Node processes with Lambda's environment, against
 * dynalite behind a counting proxy on 127.0.0.1: the CPU time of importing it (the cold start's
 * work), of the first feed read (first SDK call, admin key), of warm reads (a page of 100 items of
 * about 1 KB, an empty up-to-date read, a page of 100 items of about 25 KB), the DynamoDB calls and
 * read units of each, and the processes' peak resident memory. From those it estimates, at 128, 256
 * and 512 MB, the cold start (CPU time scaled by Lambda's CPU share, 1,769 MB = 1 vCPU) and the
 * Lambda cost per million feed requests of each kind (bench/support/memory-model.ts). Run alone with
 * `npm run bench -- --stage feed-memory`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoFeed } from "../../functions/adapters/dynamo/dynamo-feed.ts";
import { appendToFeed } from "../../functions/core/feed/append.ts";
import { FIRST_INTERVAL_MS, MAX_INTERVAL_MS, MAX_WAIT_SECONDS } from "../../functions/core/feed/long-poll.ts";
import { systemClock } from "../../functions/core/kernel/clock.ts";
import { mapWithConcurrency } from "../../functions/core/kernel/concurrency.ts";
import { startDynamo } from "../../local/emulators.ts";
import { ensureTable } from "../../local/provision.ts";
import { apiEvent } from "../../test/support/api-event.ts";
import { bundle } from "../support/bundle.ts";
import { startCountingProxy } from "../support/counting-proxy.ts";
import { heapFlags, type Ran, startChild, Tally, totalOf } from "../support/measured-process.ts";
import { cpuShare, durationAt, initCostPerMillion, lambdaCostPerMillion, looksInWait } from "../support/memory-model.ts";
import { invoicePayload } from "../support/payload.ts";
import { PRICES } from "../support/prices.ts";
import { median, round } from "../support/stats.ts";
import type { FeedMemoryResult, FeedMemorySize } from "./feed-memory-result.ts";

export type { FeedMemoryResult, FeedMemorySize } from "./feed-memory-result.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ADMIN_KEY = "bench-admin-key";
const TENANT = "bench-feed-memory";
const TYPE = "bench.feed";
/** The sizes the estimate is made for. */
export const MEMORY_SIZES = [128, 256, 512] as const;
/**
 * An assumption, not a measurement: one DynamoDB GetItem or Query from Lambda in the same Region
 * answers in single-digit milliseconds; the local emulator's times say nothing about it.
 */
export const ASSUMED_DYNAMO_CALL_MS = 5;
/**
 * The big items' size: about the largest a full page can carry, since an item shows its body twice
 * (`payload` and `body`) and Lambda answers a synchronous call with at most 6 MB.
 */
export const BIG_ITEM_KB = 25;

/** The feed memory stage: `runs` fresh processes, each measuring every kind of request `reads` times. */
export async function benchFeedMemory(runs: number, reads: number, progress: (line: string) => void): Promise<FeedMemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), "hookrelay-feed-memory-"));
  const dynamo = await startDynamo(undefined);
  const proxy = await startCountingProxy(dynamo.url);
  const client = new DynamoDBClient({
    endpoint: dynamo.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const doc = DynamoDBDocumentClient.from(client);
  try {
    const built = await bundle(resolve(ROOT, "functions/api/index.ts"), join(dir, "api"));
    await ensureTable(client, "hookrelay");

    // Two polling endpoints, made through the bundle's own API, and their feeds filled as workers would.
    const setup = await startChild(built.file, proxy.url);
    const made = await setup.run(
      [0, 1].map(() =>
        apiEvent("POST", "/v1/endpoints", { key: ADMIN_KEY, body: { kind: "polling", tenantId: TENANT, eventTypes: [TYPE] } }),
      ),
    );
    await setup.stop();
    const [small, big] = made.results.map((r) => r.id);
    if (!small || !big) throw new Error(`creating the polling endpoints answered ${made.results.map((r) => r.status).join(", ")}`);
    const feed = new DynamoFeed(doc, "hookrelay");
    const filler = "x".repeat(BIG_ITEM_KB * 1024);
    for (const [endpointId, payload] of [
      [small, (i: number) => invoicePayload(i)],
      [big, (i: number) => ({ ...invoicePayload(i), filler })],
    ] as const) {
      await mapWithConcurrency(
        Array.from({ length: 100 }, (_, i) => i),
        10,
        (i) =>
          appendToFeed({ feed, clock: systemClock, logRetentionDays: 30 }, endpointId, {
            id: `fi_${endpointId}_${i}`,
            eventId: `evt_${endpointId}_${i}`,
            eventType: TYPE,
            timestamp: new Date().toISOString(),
            body: JSON.stringify(payload(i)),
          }),
      );
    }
    proxy.take();

    const read = (id: string, query: string) => apiEvent("GET", `/v1/endpoints/${id}/feed?${query}`, { key: ADMIN_KEY });
    const samples = {
      importCpu: [] as number[],
      importWall: [] as number[],
      first: [] as number[],
      page: [] as number[],
      empty: [] as number[],
      bigPage: [] as number[],
      look: [] as number[],
    };
    const peaks = { imported: [] as number[], pages: [] as number[], bigPages: [] as number[] };
    const live = { imported: [] as number[], pages: [] as number[], bigPages: [] as number[] };
    const tally = new Tally();
    // A short long poll on the up-to-date feed: what each further look of a long poll's wait costs.
    const pollSeconds = 2;
    const pollLooks = looksInWait(pollSeconds * 1000, FIRST_INTERVAL_MS, MAX_INTERVAL_MS);
    const bigReads = Math.max(2, Math.round(reads / 4));
    let answerBytes = { page: 0, bigPage: 0 };
    const check = (ran: Ran, what: string) => {
      const bad = ran.results.find((r) => r.status !== 200);
      if (bad) throw new Error(`${what} answered ${bad.status}`);
      return ran;
    };
    for (let run = 0; run < runs; run++) {
      const child = await startChild(built.file, proxy.url);
      samples.importCpu.push(child.ready.imported.cpuMs);
      samples.importWall.push(child.ready.imported.wallMs);
      peaks.imported.push(child.ready.peakRssBytes);
      live.imported.push(child.ready.liveBytes);
      const first = check(await child.run([read(small, "limit=100")]), "the first read");
      samples.first.push(first.results[0]?.cpuMs ?? Number.NaN);
      proxy.take();
      const pages = check(await child.run(Array.from({ length: reads }, () => read(small, "limit=100"))), "a page read");
      tally.add("page", totalOf(proxy.take()), reads);
      samples.page.push(...pages.results.map((r) => r.cpuMs));
      const cursor = encodeURIComponent(pages.results.at(-1)?.cursor ?? "");
      const empty = check(await child.run(Array.from({ length: reads }, () => read(small, `limit=100&cursor=${cursor}`))), "an empty read");
      const emptyUse = totalOf(proxy.take());
      tally.add("empty", emptyUse, reads);
      samples.empty.push(...empty.results.map((r) => r.cpuMs));
      peaks.pages.push(empty.peakRssBytes);
      live.pages.push(empty.liveBytes);
      const poll = check(await child.run([read(small, `limit=100&wait=${pollSeconds}&cursor=${cursor}`)]), "a long poll");
      const pollUse = totalOf(proxy.take());
      const extra = (a: number, b: number) => (a - b / reads) / (pollLooks - 1);
      tally.add(
        "look",
        { calls: extra(pollUse.calls, emptyUse.calls), readUnits: extra(pollUse.readUnits, emptyUse.readUnits), writeUnits: 0 },
        1,
      );
      samples.look.push(((poll.results[0]?.cpuMs ?? 0) - median(empty.results.map((r) => r.cpuMs))) / (pollLooks - 1));
      const bigPages = check(await child.run(Array.from({ length: bigReads }, () => read(big, "limit=100"))), "a big page read");
      tally.add("bigPage", totalOf(proxy.take()), bigReads);
      samples.bigPage.push(...bigPages.results.map((r) => r.cpuMs));
      peaks.bigPages.push(bigPages.peakRssBytes);
      live.bigPages.push(bigPages.liveBytes);
      answerBytes = { page: pages.results[0]?.bytes ?? 0, bigPage: bigPages.results[0]?.bytes ?? 0 };
      if (pages.results[0]?.items !== 100 || bigPages.results[0]?.items !== 100 || empty.results[0]?.items !== 0) {
        throw new Error("the feeds did not answer 100 items a page and none when up to date");
      }
      await child.stop();
      progress(
        `  run ${run + 1}/${runs}: import ${round(child.ready.imported.cpuMs, 1)} ms CPU, first read ${round(first.results[0]?.cpuMs ?? 0, 1)} ms, peak RSS ${round(bigPages.peakRssBytes / 2 ** 20, 0)} MB`,
      );
    }
    // Once more per size under that size's heap limits: every kind of read, then the peak.
    const underLimits = new Map<number, FeedMemorySize["underHeapLimits"]>();
    for (const memoryMb of MEMORY_SIZES) {
      const flags = heapFlags(memoryMb);
      let answered = true;
      let peakBytes = Number.NaN;
      try {
        const capped = await startChild(built.file, proxy.url, flags);
        for (const events of [[read(small, "limit=100")], Array.from({ length: bigReads }, () => read(big, "limit=100"))]) {
          const ran = await capped.run(events);
          answered &&= ran.results.every((r) => r.status === 200);
          peakBytes = ran.peakRssBytes;
        }
        await capped.stop();
      } catch {
        answered = false;
      }
      const peakRssMb = round(peakBytes / 2 ** 20, 1);
      underLimits.set(memoryMb, { flags, answered, peakRssMb, fits: answered && peakRssMb < memoryMb });
    }
    proxy.take();
    const dynamoPer = { page: tally.per("page"), empty: tally.per("empty"), bigPage: tally.per("bigPage"), look: tally.per("look") };
    const cpuMs = {
      first: round(median(samples.first), 2),
      page: round(median(samples.page), 2),
      empty: round(median(samples.empty), 2),
      bigPage: round(median(samples.bigPage), 2),
      look: round(median(samples.look), 2),
    };
    const importCpuMs = round(median(samples.importCpu), 1);
    const looks = looksInWait(MAX_WAIT_SECONDS * 1000, FIRST_INTERVAL_MS, MAX_INTERVAL_MS);
    const io = (calls: number) => calls * ASSUMED_DYNAMO_CALL_MS;
    const sizes = MEMORY_SIZES.map((memoryMb): FeedMemorySize => {
      const durationMs = {
        page: round(durationAt(memoryMb, cpuMs.page, io(dynamoPer.page.calls)), 1),
        empty: round(durationAt(memoryMb, cpuMs.empty, io(dynamoPer.empty.calls)), 1),
        bigPage: round(durationAt(memoryMb, cpuMs.bigPage, io(dynamoPer.bigPage.calls)), 1),
        // The wait, then the empty answer; the looks' CPU runs within the wait's pauses.
        longPoll: round(MAX_WAIT_SECONDS * 1000 + durationAt(memoryMb, cpuMs.empty, io(dynamoPer.empty.calls)), 1),
      };
      const cost = (ms: number) => round(lambdaCostPerMillion(memoryMb, ms), 2);
      return {
        memoryMb,
        cpuShare: round(cpuShare(memoryMb), 4),
        coldStartMs: round(durationAt(memoryMb, importCpuMs), 0),
        firstRequestExtraMs: round(durationAt(memoryMb, Math.max(0, cpuMs.first - cpuMs.page)), 0),
        durationMs,
        lambdaPerMillion: {
          page: cost(durationMs.page),
          empty: cost(durationMs.empty),
          bigPage: cost(durationMs.bigPage),
          longPoll: cost(durationMs.longPoll),
        },
        initPerMillionColdStarts: round(initCostPerMillion(memoryMb, durationAt(memoryMb, importCpuMs)), 2),
        underHeapLimits: underLimits.get(memoryMb) as FeedMemorySize["underHeapLimits"],
      };
    });
    const readCost = (readUnits: number) => round(1e6 * readUnits * PRICES.dynamoReadUnit, 3);
    const result: FeedMemoryResult = {
      bundleKb: round(built.bytes / 1024, 1),
      runs,
      bigItemKb: BIG_ITEM_KB,
      importCpuMs,
      importCpuMsSamples: samples.importCpu.map((v) => round(v, 1)),
      importWallMs: round(median(samples.importWall), 1),
      cpuMs,
      dynamo: dynamoPer,
      peakRssMb: {
        imported: round(median(peaks.imported) / 2 ** 20, 1),
        pages: round(median(peaks.pages) / 2 ** 20, 1),
        bigPages: round(median(peaks.bigPages) / 2 ** 20, 1),
      },
      liveMb: {
        imported: round(median(live.imported) / 2 ** 20, 1),
        pages: round(median(live.pages) / 2 ** 20, 1),
        bigPages: round(median(live.bigPages) / 2 ** 20, 1),
      },
      answerKb: { page: round(answerBytes.page / 1024, 1), bigPage: round(answerBytes.bigPage / 1024, 1) },
      looksPerLongPoll: looks,
      otherPerMillion: {
        apiGateway: round(1e6 * PRICES.apiGatewayRequest, 2),
        page: readCost(dynamoPer.page.readUnits),
        empty: readCost(dynamoPer.empty.readUnits),
        longPoll: readCost(dynamoPer.empty.readUnits + (looks - 1) * dynamoPer.look.readUnits),
      },
      sizes,
      assumedDynamoCallMs: ASSUMED_DYNAMO_CALL_MS,
    };
    progress(
      `  import ${importCpuMs} ms CPU (${result.bundleKb} KB); per read: first ${cpuMs.first}, page ${cpuMs.page}, empty ${cpuMs.empty}, ${BIG_ITEM_KB} KB page ${cpuMs.bigPage}, look ${cpuMs.look} ms CPU; peak RSS ${result.peakRssMb.imported} / ${result.peakRssMb.pages} / ${result.peakRssMb.bigPages} MB (in use after GC ${result.liveMb.imported} / ${result.liveMb.pages} / ${result.liveMb.bigPages} MB)`,
    );
    for (const s of sizes) {
      progress(
        `  ${s.memoryMb} MB (x${s.cpuShare}): cold start ${s.coldStartMs} ms + ${s.firstRequestExtraMs} ms first request; per million: long poll $${s.lambdaPerMillion.longPoll}, page $${s.lambdaPerMillion.page}, empty $${s.lambdaPerMillion.empty}; init $${s.initPerMillionColdStarts} per million cold starts; under its heap limits peak RSS ${s.underHeapLimits.peakRssMb} MB (${s.underHeapLimits.fits ? "fits" : "does not fit"})`,
      );
    }
    return result;
  } finally {
    doc.destroy();
    await proxy.stop();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
