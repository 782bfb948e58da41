/**
 * The write-path levers of issue 27 that are not built, priced from what the cost stage measured
 * (each DynamoDB put's write units per delivery) on the CPU-priced bill, in both billing modes. A
 * lever removes write units; nothing else in the bill moves (the readers it would change read more,
 * which the bill, made of intake and delivery, does not hold). The event's levers are built (the
 * table is the tenant's event list, table-design.ts: one write unit an event), so the cost stage
 * measures them.
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

/**
 * Prices each lever against the CPU-priced scenarios. `lines` holds the wall-time bill's lines of
 * the single-event and batched runs (the same runs and counts); the batched run's API requests per
 * event (0.1 at 10 a request) priced the per-request event list, which the built event key replaced.
 */
export function pricedLevers(
  scenarios: readonly CpuPricedScenario[],
  lines: { single: readonly CostLine[]; batched: readonly CostLine[] },
  _requestsPerEvent: number,
): PricedLever[] {
  const copy = (run: readonly CostLine[], item: "event" | "attempt") => putUnits(run, item) / 2;
  const levers: Omit<PricedLever, "bills">[] = [
    {
      lever: "one copy of each attempt (no gsi1 copy)",
      changes:
        "the attempt keyed under its endpoint's list only; the event's attempts (ofDelivery, allOfEvent: retries, replay, recovery, the console) then need a second index or a query per endpoint, and the breaker and stats read the endpoint list: the same copy moved, unless the per-event readers can live on the endpoint list",
      writeUnitsSaved: { single: copy(lines.single, "attempt"), batched: copy(lines.batched, "attempt") },
    },
  ];
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
