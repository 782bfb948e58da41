import fc from "fast-check";

/*
 * A tenant's view of the events API, as a sequence of calls: emits (with or without an id and an
 * Idempotency-Key), batches, and reads and replays of events by id. Run the same sequence in a
 * tenant that others used and in a fresh one: every answer must be the same, once the parts that
 * are fresh on every run (generated ids, times) are set aside by `normalize`.
 */

/** One event as a caller submits it. */
export interface EmitSpec {
  id?: string;
  type: string;
  payload: unknown;
}

/** An event id to read: a chosen string, or the id the caller's own `emitted`-th accepted event got. */
export type Ref = { chosen: string } | { emitted: number };

export type Op =
  | { kind: "emit"; event: EmitSpec; key?: string }
  | { kind: "batch"; events: EmitSpec[] }
  | { kind: "get" | "attempts" | "replay"; ref: Ref }
  | { kind: "deliver" };

/** What a caller sees of one answer. */
export interface Answer {
  status: number;
  json: unknown;
  replayed: boolean;
}

/** Calls the API as one tenant's key. */
export type TenantCall = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

/** Calls of one tenant, drawn from shared pools of ids and keys so that tenants often pick the same ones. */
export function tenantOps(ids: string[], keys: string[], maxLength = 14): fc.Arbitrary<Op[]> {
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,8}$/) },
  );
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...keys) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
  );
  const event: fc.Arbitrary<EmitSpec> = fc.record(
    { id, type: fc.constantFrom("order.paid", "order.sent"), payload: fc.constantFrom(1, 2, { n: 1 }) },
    { requiredKeys: ["type", "payload"] },
  );
  const ref: fc.Arbitrary<Ref> = fc.oneof(
    id.map((chosen) => ({ chosen })),
    fc.nat(5).map((emitted) => ({ emitted })),
  );
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("emit" as const), event, key }, { requiredKeys: ["kind", "event"] }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("batch" as const), events: fc.array(event, { minLength: 1, maxLength: 3 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom("get" as const, "attempts" as const, "replay" as const), ref }) },
    { weight: 1, arbitrary: fc.constant({ kind: "deliver" as const }) },
  );
  return fc.array(op, { maxLength });
}

/** Runs the calls in order and returns every answer (`deliver` runs the caller's delivery and answers nothing). */
export async function perform(call: TenantCall, ops: Op[], deliver: () => Promise<void>): Promise<Answer[]> {
  const answers: Answer[] = [];
  const emitted: string[] = [];
  const resolve = (ref: Ref) =>
    encodeURIComponent("chosen" in ref ? ref.chosen : (emitted[ref.emitted % Math.max(emitted.length, 1)] ?? "never-emitted"));
  for (const op of ops) {
    if (op.kind === "deliver") {
      await deliver();
      continue;
    }
    let answer: Answer;
    if (op.kind === "emit") {
      answer = await call("POST", "/v1/events", op.event, op.key === undefined ? {} : { "idempotency-key": op.key });
      if (answer.status === 202) emitted.push((answer.json as { id: string }).id);
    } else if (op.kind === "batch") {
      answer = await call("POST", "/v1/events/batch", { events: op.events });
      for (const item of (answer.json as { items?: { status: number; event?: { id: string } }[] }).items ?? []) {
        if (item.event) emitted.push(item.event.id);
      }
    } else if (op.kind === "get") answer = await call("GET", `/v1/events/${resolve(op.ref)}`);
    else if (op.kind === "attempts") answer = await call("GET", `/v1/events/${resolve(op.ref)}/attempts?limit=100`);
    else answer = await call("POST", `/v1/events/${resolve(op.ref)}/replay`, {});
    answers.push(answer);
  }
  return answers;
}

/** Ids the dispatcher makes up (events, endpoints, replay chains, and message ids derived from made-up event ids): fresh on every run. */
const GENERATED = /\b(?:(?:evt_|ep_|rcv_|m)[0-9a-f]{28}|msg_[A-Za-z0-9]{27})\b/g;
/** Fields that hold a time or a duration. */
const TIMES = new Set(["at", "createdAt", "updatedAt", "lastAttemptAt", "nextAttemptAt", "durationMs", "expiresAt"]);

/**
 * The answers with each generated id renamed by order of first appearance (`id#0`, `id#1`, …) and
 * times blanked, so that two runs compare equal exactly when they differ only in those. Ids in `keep`
 * (chosen by callers, or derived from their keys) stay as they are.
 */
export function normalize(answers: Answer[], keep: ReadonlySet<string> = new Set()): unknown {
  const names = new Map<string, string>();
  const rename = (text: string) =>
    text.replace(GENERATED, (id) => {
      if (keep.has(id)) return id;
      if (!names.has(id)) names.set(id, `id#${names.size}`);
      return names.get(id) as string;
    });
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return rename(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, TIMES.has(k) ? "<time>" : walk(v)]));
    }
    return value;
  };
  return answers.map(walk);
}
