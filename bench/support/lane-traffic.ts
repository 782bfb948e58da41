import http from "node:http";
import type { Socket } from "node:net";
import { closeServer, listenOnLoopback } from "../../local/loopback.ts";
import type { ApiClient } from "./api-client.ts";
import { quantile, round, sleep } from "./stats.ts";

/*
 * What the lane stages (9, noisy neighbour; 11, lane cycling) share: one receiver for every kind of
 * endpoint they register, endpoint registration, emits, the wait until endpoints have earned the
 * fast lane, and an open-loop window of healthy traffic timed from emit to arrival.
 */

/** How a cycling endpoint answers: `period - 1` requests at once, then one after `hangMs`, over and over. */
export interface CycleAnswers {
  period: number;
  hangMs: number;
}

/**
 * A receiver for every endpoint of a lane stage: `/healthy/*` answers at once and notes when each
 * delivery first arrived; `/hole/*` never answers; `/slow/*` answers after `slowAnswerMs`; `/cycle/*`
 * answers as `cycle` says, counting its requests per path.
 */
export async function startLaneReceiver(slowAnswerMs: number, cycle: CycleAnswers = { period: 1, hangMs: 0 }) {
  const arrivals = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const open = new Set<http.ServerResponse>();
  const cycleCounts = new Map<string, number>();
  let badRequests = 0;
  let cycleHangs = 0;
  const answerLater = (res: http.ServerResponse, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) res.writeHead(204).end();
    }, ms);
    timers.add(timer);
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const path = req.url ?? "";
      if (path.startsWith("/healthy/")) {
        const key = `${req.headers["webhook-id"]}${path}`;
        if (!arrivals.has(key)) arrivals.set(key, performance.now());
        res.writeHead(204).end();
        return;
      }
      if (path.startsWith("/cycle/")) {
        const count = (cycleCounts.get(path) ?? 0) + 1;
        cycleCounts.set(path, count);
        if (count % cycle.period !== 0) {
          res.writeHead(204).end();
          return;
        }
        cycleHangs++;
      }
      badRequests++;
      open.add(res);
      res.on("close", () => open.delete(res));
      if (path.startsWith("/slow/")) answerLater(res, slowAnswerMs);
      else if (path.startsWith("/cycle/")) answerLater(res, cycle.hangMs);
      // A black hole: the request stays open, unanswered.
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const url = await listenOnLoopback(server, 0);
  return {
    url,
    arrivals,
    /** Requests to the bad endpoints (black holes, slow ones, and the cycling ones' hangs). */
    badRequests: () => badRequests,
    /** Requests the cycling endpoints received, and how many of them hung. */
    cycleRequests: () => [...cycleCounts.values()].reduce((a, b) => a + b, 0),
    cycleHangs: () => cycleHangs,
    /** Hangs up every bad request still open (the black holes go away). */
    hangUp: () => {
      for (const res of open) res.socket?.destroy();
    },
    stop: () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      return closeServer(server);
    },
  };
}

export type LaneReceiver = Awaited<ReturnType<typeof startLaneReceiver>>;

/** Registers an endpoint; answers its id. */
export async function createEndpoint(api: ApiClient, url: string, tenantId: string): Promise<string> {
  const out = await api.request("POST", "/v1/endpoints", { url, tenantId });
  if (out.status !== 201) throw new Error(`endpoint registration answered ${out.status}`);
  return String(out.json?.id);
}

/** Emits one event to the tenant's endpoints; answers the webhook-id its deliveries carry (its messageId, else its id). */
export async function emit(api: ApiClient, tenantId: string, seq: number): Promise<string> {
  const out = await api.request("POST", "/v1/events", { type: "noisy.test", tenantId, payload: { seq } });
  if (out.status !== 202) throw new Error(`emit answered ${out.status}: ${JSON.stringify(out.json)}`);
  return String(out.json?.messageId ?? out.json?.id);
}

/** Emits to `tenantId` until every endpoint of `ids` is in the fast lane (new endpoints start in probation); 60 s at most. */
export async function earnFastLane(api: ApiClient, tenantId: string, ids: string[], nextSeq: () => number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await emit(api, tenantId, nextSeq());
    await sleep(100);
    const lanes = await Promise.all(ids.map(async (id) => (await api.request("GET", `/v1/endpoints/${id}`)).json?.lane));
    if (lanes.every((lane) => lane === "fast")) return;
    if (Date.now() > deadline) throw new Error(`endpoints still in lanes ${lanes.join(", ")}`);
  }
}

/** A steady stream: `ratePerSecond` events, open loop, for `windowSeconds`. */
export interface Stream {
  ratePerSecond: number;
  windowSeconds: number;
}

/** Emits `stream` to `tenantId`, open loop; answers each event's id and when it was emitted (performance.now()). */
export async function emitStream(api: ApiClient, tenantId: string, stream: Stream, nextSeq: () => number): Promise<[string, number][]> {
  const sent: Promise<[string, number]>[] = [];
  const interval = 1000 / stream.ratePerSecond;
  const started = performance.now();
  for (let i = 0; i < stream.ratePerSecond * stream.windowSeconds; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    const at = performance.now();
    sent.push(emit(api, tenantId, nextSeq()).then((id) => [id, at]));
  }
  return Promise.all(sent);
}

/**
 * One window of healthy traffic to `tenantId`'s endpoints at `paths`; returns each healthy
 * delivery's emit-to-receive time. An event that never arrives (30 s) fails the stage: nothing may be lost.
 */
export async function healthyWindow(
  api: ApiClient,
  arrivals: Map<string, number>,
  tenantId: string,
  paths: string[],
  stream: Stream,
  nextSeq: () => number,
): Promise<number[]> {
  const emitted = await emitStream(api, tenantId, stream, nextSeq);
  const keys = emitted.flatMap(([id, at]) => paths.map((path) => [`${id}${path}`, at] as const));
  const deadline = performance.now() + 30_000;
  while (keys.some(([key]) => !arrivals.has(key))) {
    if (performance.now() > deadline) throw new Error("healthy deliveries did not all arrive within 30 s");
    await sleep(20);
  }
  return keys.map(([key, at]) => (arrivals.get(key) as number) - at);
}

/** A window's delivery times summed up, in ms. */
export function latencyStats(values: number[]) {
  return {
    deliveries: values.length,
    p50Ms: round(quantile(values, 0.5), 1),
    p99Ms: round(quantile(values, 0.99), 1),
    maxMs: round(Math.max(...values), 1),
  };
}
