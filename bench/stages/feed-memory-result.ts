/** What the feed memory stage (feed-memory.ts) measures and estimates. */
import type { DynamoUse } from "../support/measured-process.ts";

export interface FeedMemorySize {
  memoryMb: number;
  cpuShare: number;
  /** Import CPU time scaled by the share: the part of the cold start the function's own code takes. */
  coldStartMs: number;
  /** What the first request adds over a warm one (first SDK call, the admin key's authenticator), scaled. */
  firstRequestExtraMs: number;
  /** Estimated duration of each kind of warm request: CPU scaled, plus the DynamoDB calls at the assumed latency. */
  durationMs: { page: number; empty: number; bigPage: number; longPoll: number };
  /** Lambda's charge (request + arm64 duration) per million requests of each kind, in dollars. */
  lambdaPerMillion: { page: number; empty: number; bigPage: number; longPoll: number };
  /** Init is billed since August 2025: dollars per million cold starts. */
  initPerMillionColdStarts: number;
  /** One process under this size's heap limits (heapFlags): whether every read answered, and its peak RSS against the size. */
  underHeapLimits: { flags: string[]; answered: boolean; peakRssMb: number; fits: boolean };
}

export interface FeedMemoryResult {
  bundleKb: number;
  runs: number;
  /** The big pages' items, in KB (BIG_ITEM_KB). */
  bigItemKb: number;
  importCpuMs: number;
  importCpuMsSamples: number[];
  importWallMs: number;
  /** Median CPU time per request, one core; `look` is one more look at an empty feed during a long poll's wait. */
  cpuMs: { first: number; page: number; empty: number; bigPage: number; look: number };
  /** DynamoDB per request, counted at the proxy; `look` per extra look of a long poll. */
  dynamo: Record<"page" | "empty" | "bigPage" | "look", DynamoUse>;
  /** Peak resident memory of the measured processes (median), in MB: after import, after the 1 KB pages, after the big pages. */
  peakRssMb: { imported: number; pages: number; bigPages: number };
  /** Heap and external memory in use after a full garbage collection (median), in MB, at the same points. */
  liveMb: { imported: number; pages: number; bigPages: number };
  answerKb: { page: number; bigPage: number };
  /** Looks at an empty feed in a long poll of the longest wait, the first read included. */
  looksPerLongPoll: number;
  /** Memory-independent dollars per million requests: API Gateway plus DynamoDB reads. */
  otherPerMillion: { apiGateway: number; page: number; empty: number; longPoll: number };
  sizes: FeedMemorySize[];
  assumedDynamoCallMs: number;
}
