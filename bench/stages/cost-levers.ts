/**
 * The write-path levers of issue 27, both built: an event is one item of its tenant's list (no gsi2
 * copy), and an attempt is one item whose endpoint's list is written once a batch (no gsi1 copy).
 * The cost stage counts what they write; this reads the attempt's part out of a run's lines.
 */
import { round } from "../support/stats.ts";
import type { CostLine } from "./cost-lines.ts";

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
