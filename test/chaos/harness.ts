import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { type ScriptedAnswer, startReceiver } from "../support/receiver.ts";
import { seeded as random } from "../support/seeded.ts";

export interface ChaosOptions {
  events: number;
  endpoints: number;
  /** SIGKILLs of the local stack, each followed by a restart on the same data directory. */
  kills: number;
  /** Outages of DynamoDB and SQS (SIGUSR2 with --fault-injection). */
  outages: number;
  retrySchedule: number[];
  seed: number;
  log: (line: string) => void;
}

export interface ChaosReport {
  acceptedEvents: number;
  deliveries: number;
  succeeded: number;
  exhausted: number;
  /** Accepted deliveries neither received (2xx) nor recorded as exhausted or skipped. */
  lost: number;
  /** Exhausted deliveries whose attempt count is not the schedule's. */
  exhaustedOffSchedule: number;
  /** Deliveries a receiver accepted (2xx) more than once, and how many extra times. */
  duplicates: number;
  duplicateRate: number;
  /** Requests whose webhook-id is no accepted event's. */
  unknownWebhookIds: number;
  requests: number;
  kills: number;
  outages: number;
  seconds: number;
}

/**
 * Runs the chaos scenario: N events across M endpoints of a receiver that fails about 30 % of
 * requests, answers slowly and drops connections; the local stack is killed with SIGKILL and
 * restarted mid-run, and DynamoDB and SQS become unreachable for seconds. Clients retry with the
 * same Idempotency-Key until they get a 202, as the API asks. Then it waits for every delivery to
 * settle and counts what was lost, exhausted and duplicated.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const rng = random(options.seed);
  const dataDir = mkdtempSync(join(tmpdir(), "hookrelay-chaos-"));
  const answers = new Map<string, number>();
  const receiver = await startReceiver((req): ScriptedAnswer => {
    const roll = rng();
    if (roll < 0.25) return { status: 500 };
    if (roll < 0.3) return { status: 200, drop: true };
    const answer = roll < 0.4 ? { status: 200, delayMs: 200 + Math.floor(rng() * 600) } : { status: 204 };
    const key = `${req.headers["webhook-id"]} ${req.path}`;
    answers.set(key, (answers.get(key) ?? 0) + 1);
    if (process.env.CHAOS_DEBUG && (answers.get(key) ?? 0) > 1) console.log("DUP", ((Date.now() - started) / 1000).toFixed(1), key);
    return answer;
  });
  const env = {
    RETRY_SCHEDULE: options.retrySchedule.join(","),
    DELIVERY_TIMEOUT_MS: "1500",
    // Six times the delivery timeout, as AWS advises for the event source; short so a killed worker's messages return soon.
    LOCAL_VISIBILITY_TIMEOUT_SECONDS: "9",
    LOCAL_SWEEP_INTERVAL_MS: "1000",
    UNSENT_SWEEP_AFTER_SECONDS: "2",
    LOCAL_OUTAGE_MS: "2500",
    // A receiver failing 30 % of the time opens circuits now and then: short cool-downs keep them in the mix (waiting copies through kills) without stalling the run.
    CIRCUIT_COOLDOWN_SECONDS: "1",
    CIRCUIT_MAX_COOLDOWN_SECONDS: "2",
  };
  const start = () => startStack({ dataDir, env, args: ["--fault-injection"] });
  let stack: RunningStack = await start();
  let restarting: Promise<void> | undefined;
  try {
    const endpointPaths = new Map<string, string>();
    for (let i = 0; i < options.endpoints; i++) {
      const created = await stack.api("POST", "/v1/endpoints", { url: `${receiver.url}/ep-${i}`, tenantId: "chaos" });
      endpointPaths.set(created.json.id, `/ep-${i}`);
    }

    /** Calls the API until it answers 2xx, across restarts and outages, as a well-behaved client does. */
    const persist = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
      for (;;) {
        await restarting;
        try {
          const response = await stack.api(method, path, body, headers);
          if (response.status < 300) return response.json;
          if (response.status !== 503) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.json)}`);
        } catch (error) {
          if ((error as Error).message.includes("answered")) throw error;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    /** Each accepted event's id, and the message id (webhook-id) its deliveries carry. */
    const accepted = new Map<string, string>();
    const accept = (event: { id: string; messageId: string }) => accepted.set(event.id, event.messageId);
    const killAt = new Set(Array.from({ length: options.kills }, (_, k) => Math.floor(((k + 1) * options.events) / (options.kills + 1))));
    const outageAt = new Set(
      Array.from({ length: options.outages }, (_, k) => Math.floor(((k + 0.5) * options.events) / (options.outages + 1))),
    );
    let kills = 0;
    let outages = 0;
    for (let i = 0; i < options.events; i += 5) {
      if ([...killAt].some((k) => k >= i && k < i + 5)) {
        kills++;
        options.log(`chaos: SIGKILL after ${i} events, restarting`);
        const killed = stack;
        restarting = (async () => {
          await killed.stop("SIGKILL");
          stack = await start();
        })();
        await restarting;
        restarting = undefined;
      }
      if ([...outageAt].some((k) => k >= i && k < i + 5)) {
        outages++;
        options.log(`chaos: DynamoDB and SQS outage after ${i} events`);
        stack.child.kill("SIGUSR2");
      }
      // Every other group goes out as one batch; the rest as single events with an Idempotency-Key.
      const group = Array.from({ length: Math.min(5, options.events - i) }, (_, j) => ({
        id: `chaos-${i + j}`,
        type: "chaos.tick",
        payload: { n: i + j },
        tenantId: "chaos",
      }));
      if ((i / 5) % 2 === 0) {
        const answer = await persist("POST", "/v1/events/batch", { events: group });
        for (const item of answer.items) if (item.status === 202) accept(item.event);
        // Items refused for a dependency failure are repeated one by one with the same id.
        for (const [j, item] of answer.items.entries()) {
          if (item.status !== 202) accept(await persist("POST", "/v1/events", group[j]));
        }
      } else {
        const results = await Promise.all(group.map(({ id, ...event }) => persist("POST", "/v1/events", event, { "idempotency-key": id })));
        for (const r of results) accept(r);
      }
    }
    options.log(`chaos: ${accepted.size} events accepted, waiting for every delivery to settle`);

    const views = new Map<string, { deliveries: { endpointId: string; status: string; attempts: number }[] }>();
    await eventually(
      async () => {
        for (const id of accepted.keys()) {
          if (views.get(id)?.deliveries.every((d) => d.status === "succeeded" || d.status === "exhausted")) continue;
          const view = await stack.api("GET", `/v1/events/${encodeURIComponent(id)}?tenantId=chaos`);
          if (view.status === 200) views.set(id, view.json);
        }
        return [...accepted.keys()].every((id) =>
          views.get(id)?.deliveries.every((d) => d.status === "succeeded" || d.status === "exhausted"),
        );
      },
      240_000,
      1_000,
    ).catch(() => undefined);

    let deliveries = 0;
    let succeeded = 0;
    let exhausted = 0;
    let lost = 0;
    let exhaustedOffSchedule = 0;
    for (const [id, messageId] of accepted) {
      const view = views.get(id);
      if (!view || view.deliveries.length !== options.endpoints) {
        lost += options.endpoints - (view?.deliveries.length ?? 0);
      }
      for (const d of view?.deliveries ?? []) {
        deliveries++;
        const received = (answers.get(`${messageId} ${endpointPaths.get(d.endpointId)}`) ?? 0) > 0;
        if (d.status === "succeeded" && received) succeeded++;
        else if (d.status === "exhausted") {
          exhausted++;
          if (d.attempts !== options.retrySchedule.length + 1) exhaustedOffSchedule++;
        } else lost++;
      }
    }
    const duplicates = [...answers.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const messageIds = new Set(accepted.values());
    const unknownWebhookIds = receiver.requests.filter((r) => !messageIds.has(r.headers["webhook-id"] ?? "")).length;
    return {
      acceptedEvents: accepted.size,
      deliveries,
      succeeded,
      exhausted,
      lost,
      exhaustedOffSchedule,
      duplicates,
      duplicateRate: deliveries === 0 ? 0 : duplicates / deliveries,
      unknownWebhookIds,
      requests: receiver.requests.length,
      kills,
      outages,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await restarting;
    await stack.stop("SIGTERM");
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
