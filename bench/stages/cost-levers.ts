/**
 * The write-path levers of issue 27 that are not built (and the attempt lever's writes as built), priced from what the cost stage measured
 * (each DynamoDB put's write units per delivery) on the CPU-priced bill, in both billing modes. A
 * lever removes write units; nothing else in the bill moves (the readers it would change read more,
 * which the bill, made of intake and delivery, does not hold).
 */
import { type BillingMode, dynamoUnitPrice } from "../support/billing-modes.ts";
import { round } from "../support/stats.ts";
import type { CpuPricedScenario } from "./cost-cpu.ts";
import type { CostLine } from "./cost-lines.ts";

/** A lever's bill: each scenario's CPU-priced total in each billing mode once the lever is in. */
export interface PricedLever {
  lever: string;
  /** What it changes for users and readers, and why it is not built. */
  changes: string;
  /** Write units per delivery it removes, in the single-event and the batched run. */
  writeUnitsSaved: { single: number; batched: number };
  bills: { scenario: string; billing: BillingMode; total: number; target?: number; met?: boolean }[];
}

/** Write units per delivery of one kind of item's puts; half of them are the index copy (one index each). */
const putUnits = (lines: readonly CostLine[], item: "event" | "attempt") =>
  lines
    .filter((l) => l.operation?.service === "DynamoDB" && l.operation.action === "PutItem" && l.operation.item === item)
    .reduce((sum, l) => sum + l.perDelivery, 0);

/** Write units per delivery of the attempts as built (issue 27): each attempt's item, and its share of its endpoint's list items written per batch. */
export interface AttemptWrites {
  /** The attempt items (PutItem, no index copy: 1 per attempt). */
  attempt: number;
  /** The endpoints' attempt list items (BatchWriteItem, one item per batch and endpoint, no index copy). */
  list: number;
}

/** The attempt lever as built, measured in a run's lines: toward 1 + 1/batch write units per delivery. */
export function attemptWrites(lines: readonly CostLine[]): AttemptWrites {
  const of = (action: string, item: string) =>
    lines
      .filter((l) => l.operation?.service === "DynamoDB" && l.operation.action === action && l.operation.item === item)
      .reduce((sum, l) => sum + l.perDelivery, 0);
  return { attempt: round(of("PutItem", "attempt"), 3), list: round(of("BatchWriteItem", "attempts of endpoint"), 3) };
}

/**
 * Prices each lever against the CPU-priced scenarios. `lines` holds the wall-time bill's lines of
 * the single-event and batched runs (the same runs and counts); `requestsPerEvent` is the batched
 * run's API requests per event (0.1 at 10 a request).
 */
export function pricedLevers(
  scenarios: readonly CpuPricedScenario[],
  lines: { single: readonly CostLine[]; batched: readonly CostLine[] },
  requestsPerEvent: number,
): PricedLever[] {
  const copy = (run: readonly CostLine[], item: "event" | "attempt") => putUnits(run, item) / 2;
  const levers: Omit<PricedLever, "bills">[] = [
    {
      lever: "the tenant's event list written per request, not per event",
      changes:
        "one list item per request and shard holds its events' ids, types, times and endpoints in place of each event's gsi2 copy; the list reads list items then the events (BatchGet), so a page costs more reads, cursors point inside a list item, and old gsi2 items are merged until their TTL; saves nothing single-event",
      writeUnitsSaved: {
        single: 0,
        batched: copy(lines.batched, "event") * (1 - requestsPerEvent),
      },
    },
    {
      lever: "time-ordered event keys carrying their bucket (no gsi2 copy)",
      changes:
        "the event item is keyed in its tenant's time bucket, so it is its own list entry; a caller's id or an idempotency key (not time-ordered) needs a small lookup item (+1 write unit for those events only, none in this run); lookup by id reads the bucket from the id; every event reader and the tenant deletion walk change, old items read until their TTL",
      writeUnitsSaved: { single: copy(lines.single, "event"), batched: copy(lines.batched, "event") },
    },
  ];
  // "One copy of each attempt" is built (attemptWrites below measures it): no lever to price.
  return levers.map((l) => ({
    ...l,
    writeUnitsSaved: { single: round(l.writeUnitsSaved.single, 3), batched: round(l.writeUnitsSaved.batched, 3) },
    bills: scenarios.map((s) => {
      const saved = s.name.startsWith("batched") ? l.writeUnitsSaved.batched : l.writeUnitsSaved.single;
      const total = round(s.total - saved * dynamoUnitPrice(s.billing, "write") * 1e6, 3);
      return {
        scenario: s.name,
        billing: s.billing,
        total,
        ...(s.target !== undefined && { target: s.target, met: total <= s.target }),
      };
    }),
  }));
}
