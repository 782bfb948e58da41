/**
 * The cost stage's DynamoDB billing modes (bench/support/billing-modes.ts) and its write levers
 * (bench/stages/cost-levers.ts), on generated bills.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attemptWrites } from "../../bench/stages/cost-levers.ts";
import type { CostLine } from "../../bench/stages/cost-lines.ts";
import { BILLING_MODES, dynamoDollars, dynamoUnitPrice } from "../../bench/support/billing-modes.ts";
import { PRICES } from "../../bench/support/prices.ts";

const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
const units = fc.double({ min: 0, max: 20, noNaN: true });

/** A bill of one event put, one attempt put, one read line and one line of another charge. */
function bill(eventUnits: number, attemptUnits: number, readUnits: number, other: number): CostLine[] {
  const put = (item: "event" | "attempt", perDelivery: number): CostLine => ({
    item: `put ${item}`,
    charge: "dynamoWriteUnit",
    operation: { caller: item === "event" ? "api" : "delivery", service: "DynamoDB", action: "PutItem", item },
    perDelivery,
    unit: "write units",
    dollarsPerMillion: perDelivery * PRICES.dynamoWriteUnit * 1e6,
  });
  return [
    put("event", eventUnits),
    put("attempt", attemptUnits),
    {
      item: "get",
      charge: "dynamoReadUnit",
      perDelivery: readUnits,
      unit: "read units",
      dollarsPerMillion: readUnits * PRICES.dynamoReadUnit * 1e6,
    },
    { item: "sqs", charge: "sqsRequest", perDelivery: other, unit: "requests", dollarsPerMillion: other * PRICES.sqsRequest * 1e6 },
  ];
}

describe("DynamoDB billing modes", () => {
  it("prices on demand at the request-unit prices and provisioned at the hourly price over a 70 % use", () => {
    expect(dynamoUnitPrice("on-demand", "write")).toBe(PRICES.dynamoWriteUnit);
    expect(dynamoUnitPrice("on-demand", "read")).toBe(PRICES.dynamoReadUnit);
    near(dynamoUnitPrice("provisioned", "write") * 3600 * 0.7, PRICES.dynamoWriteUnitHour);
    near(dynamoUnitPrice("provisioned", "read") * 3600 * 0.7, PRICES.dynamoReadUnitHour);
    // The reference figure: a sustained write at 70 % is about $0.26 per million.
    expect(dynamoUnitPrice("provisioned", "write") * 1e6).toBeCloseTo(0.258, 3);
  });

  it("reprices only the DynamoDB unit lines, linearly in their units, cheaper provisioned at 70 %", () => {
    fc.assert(
      fc.property(units, units, units, units, fc.double({ min: 0.1, max: 10, noNaN: true }), (e, a, r, o, k) => {
        for (const mode of BILLING_MODES) {
          const one = dynamoDollars(bill(e, a, r, o), mode);
          near(dynamoDollars(bill(e * k, a * k, r * k, o), mode), one * k);
          near(dynamoDollars(bill(e, a, r, o + 5), mode), one);
        }
        near(dynamoDollars(bill(e, a, r, o), "on-demand"), (e + a) * 0.625 + r * 0.125);
        expect(dynamoDollars(bill(e, a, r, o), "provisioned")).toBeLessThanOrEqual(dynamoDollars(bill(e, a, r, o), "on-demand"));
      }),
    );
  });
});

describe("the attempt lever", () => {
  it("measures the attempt lever as built: the attempt items' puts and the endpoints' list items, apart from other writes", () => {
    fc.assert(
      fc.property(units, units, units, units, (e, a, list, index) => {
        const write = (
          caller: "api" | "delivery",
          action: string,
          item: "attempt" | "attempts of endpoint" | "event",
          perDelivery: number,
        ) =>
          ({
            item: `${action} ${item}`,
            charge: "dynamoWriteUnit",
            operation: { caller, service: "DynamoDB", action, item },
            perDelivery,
            unit: "write units",
            dollarsPerMillion: 0,
          }) satisfies CostLine;
        const lines = [
          ...bill(e, a, 0, 0),
          write("delivery", "BatchWriteItem", "attempts of endpoint", list),
          // An UpdateItem on the list's kind (none is made today) is not the list's per-batch write.
          write("delivery", "UpdateItem", "attempts of endpoint", index),
        ];
        const measured = attemptWrites(lines);
        near(measured.attempt, Math.round(a * 1000) / 1000);
        near(measured.list, Math.round(list * 1000) / 1000);
      }),
    );
  });
});
