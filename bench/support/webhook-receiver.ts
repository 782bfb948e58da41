import http from "node:http";
import { closeServer, listenOnLoopback } from "../../local/loopback.ts";

/**
 * The end-to-end stages' receiver, in the bench process (so emit and receive times share a clock):
 * notes when each payload's `seq` first arrives, and can fail the first attempt of every n-th event.
 */
export async function startWebhookReceiver() {
  const arrivals = new Map<number, number>();
  const seen = new Set<string>();
  /** failEvery: 0 fails nothing; n fails the first attempt of each event whose seq is a multiple of n. */
  const state = { failEvery: 0, requests: 0, succeeded: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      state.requests++;
      const id = String(req.headers["webhook-id"]);
      const seq = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { seq?: number }).seq;
      if (state.failEvery > 0 && (seq ?? 1) % state.failEvery === 0 && !seen.has(id)) {
        seen.add(id);
        res.writeHead(500).end();
        return;
      }
      state.succeeded++;
      if (seq !== undefined && !arrivals.has(seq)) arrivals.set(seq, at);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  const url = await listenOnLoopback(server, 0);
  return {
    url: `${url}/webhooks`,
    arrivals,
    state,
    reset(failEvery = 0): void {
      arrivals.clear();
      seen.clear();
      Object.assign(state, { failEvery, requests: 0, succeeded: 0 });
    },
    stop: () => {
      server.closeAllConnections();
      return closeServer(server);
    },
  };
}
