import { mkdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import dynalite from "dynalite";
import { buildApp } from "fauxqs";
import kinesalite from "kinesalite";
import { emulateFairQueues, type FauxqsClasses } from "./fair-queues.ts";
import { closeServer, listenOnLoopback } from "./loopback.ts";

/** An emulator listening on loopback. */
export interface Emulator {
  url: string;
  stop(): Promise<void>;
}

/**
 * dynalite and kinesalite rethrow a request's 'error' (a client that hangs up mid-body: "aborted"),
 * which would end the whole local stack. Their handlers attach that listener synchronously; it is
 * swapped here for one that drops the request, as the services do.
 */
function surviveAbortedRequests(server: Server): Server {
  const [handler] = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (!handler) throw new Error("the emulator has no request handler to wrap");
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res);
    req.removeAllListeners("error");
    req.on("error", () => res.destroy());
  });
  return server;
}

/** dynalite (DynamoDB) on 127.0.0.1, in LevelDB under `dataDir` or in memory. */
export async function startDynamo(dataDir: string | undefined, port = 0): Promise<Emulator> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const server = surviveAbortedRequests(dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server);
  return { url: await listenOnLoopback(server, port), stop: () => closeServer(server) };
}

/** kinesalite (Kinesis) on 127.0.0.1, in memory: it plays the customer's streams for `kinesis` destinations. */
export async function startKinesis(port = 0): Promise<Emulator> {
  const server = surviveAbortedRequests(kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 }) as Server);
  return { url: await listenOnLoopback(server, port), stop: () => closeServer(server) };
}

/**
 * fauxqs (SQS) on 127.0.0.1. Its startFauxqs() persists but always listens on 0.0.0.0, which would
 * show queued payloads to the whole LAN; buildApp() listens where we say but has no persistence
 * option. So we build the stores ourselves, load them from fauxqs' own SQLite persistence and hand
 * them to buildApp(). Those classes are not in the package's exports map, so they are loaded from
 * its dist folder by path: the fauxqs version is pinned exactly, and the restart test proves the wiring.
 * Its standard queues are made fair queues, as SQS makes them when messages carry a MessageGroupId
 * (fair-queues.ts); the fair-queue test proves that wiring.
 */
export async function startSqs(dataDir: string | undefined, port = 0): Promise<Emulator> {
  const internals = await fauxqsInternals();
  emulateFairQueues(internals);
  const sqsStore = new internals.SqsStore();
  const snsStore = new internals.SnsStore();
  const s3Store = new internals.S3Store();
  let persistence: { close(): void } | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    const manager = new internals.PersistenceManager(dataDir);
    manager.loadSqsAndSns(sqsStore, snsStore);
    sqsStore.persistence = manager;
    snsStore.persistence = manager;
    for (const queue of sqsStore.allQueues()) queue.persistence = manager;
    persistence = manager;
  }
  const app = buildApp({ logger: false, stores: { sqsStore, snsStore, s3Store } as never });
  if (persistence) app.addHook("preClose", () => persistence?.close());
  const address = await app.listen({ port, host: "127.0.0.1" });
  return { url: address, stop: () => app.close() };
}

interface FauxqsInternals extends FauxqsClasses {
  SqsStore: FauxqsClasses["SqsStore"] & (new () => { persistence?: unknown; allQueues(): { persistence?: unknown }[] });
  SnsStore: new () => { persistence?: unknown };
  S3Store: new () => object;
  PersistenceManager: new (dir: string) => { loadSqsAndSns(sqs: unknown, sns: unknown): void; close(): void };
}

async function fauxqsInternals(): Promise<FauxqsInternals> {
  const dist = dirname(fileURLToPath(import.meta.resolve("fauxqs")));
  const load = (file: string) => import(pathToFileURL(join(dist, file)).href);
  const [sqs, router, sns, s3, persistence] = await Promise.all([
    load("sqs/sqsStore.js"),
    load("sqs/sqsRouter.js"),
    load("sns/snsStore.js"),
    load("s3/s3Store.js"),
    load("persistence.js"),
  ]);
  return {
    SqsQueue: sqs.SqsQueue,
    SqsStore: sqs.SqsStore,
    SqsRouter: router.SqsRouter,
    SnsStore: sns.SnsStore,
    S3Store: s3.S3Store,
    PersistenceManager: persistence.PersistenceManager,
  };
}
