/**
 * DynamoDB's two billing modes as the cost stage prices them (issue 27). On demand bills each
 * request unit. Provisioned bills capacity units by the hour whether used or not; auto scaling keeps
 * consumed / provisioned near its target (70 %, the construct's), so each unit consumed pays for
 * 1 / 0.7 units provisioned: a write unit costs $0.00065 / 3,600 / 0.7, about $0.26 per million,
 * against $0.625 on demand (us-east-1 price list; REFERENCE.md "DynamoDB capacity prices"). Bursts
 * above the provisioned rate are throttled until scaling catches up (minutes), which this average
 * leaves out: the construct's trade-offs are in docs/performance.md.
 */
import { PRICES } from "./prices.ts";

/** The construct's `billing` option. */
export type BillingMode = "on-demand" | "provisioned";
export const BILLING_MODES: readonly BillingMode[] = ["on-demand", "provisioned"];

/** Auto scaling's target utilization, consumed over provisioned (the construct's). */
export const PROVISIONED_TARGET_UTILIZATION = 0.7;

/** Dollars per consumed unit of `kind` in `mode`. */
export function dynamoUnitPrice(mode: BillingMode, kind: "write" | "read", utilization = PROVISIONED_TARGET_UTILIZATION): number {
  if (mode === "on-demand") return kind === "write" ? PRICES.dynamoWriteUnit : PRICES.dynamoReadUnit;
  const hourly = kind === "write" ? PRICES.dynamoWriteUnitHour : PRICES.dynamoReadUnitHour;
  return hourly / 3600 / utilization;
}

/** A bill's line as far as repricing reads it. */
interface PricedLine {
  charge: string;
  perDelivery: number;
  dollarsPerMillion: number;
}

/** The dollars per million of a bill's DynamoDB unit lines in `mode` (the other lines do not change). */
export function dynamoDollars(lines: readonly PricedLine[], mode: BillingMode): number {
  return lines.reduce((sum, l) => {
    if (l.charge === "dynamoWriteUnit") return sum + l.perDelivery * dynamoUnitPrice(mode, "write") * 1e6;
    if (l.charge === "dynamoReadUnit") return sum + l.perDelivery * dynamoUnitPrice(mode, "read") * 1e6;
    return sum;
  }, 0);
}
