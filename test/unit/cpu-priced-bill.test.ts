/**
 * The cost stage's pricing arithmetic (bench/support/cpu-priced-bill.ts): Lambda billed from CPU
 * time and awaited calls, and storage kept for the retention, on generated inputs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CALL_LATENCY_MS, cpuPricedBill, storagePerMillion } from "../../bench/support/cpu-priced-bill.ts";
import { ONE_VCPU_MB } from "../../bench/support/memory-model.ts";
import { PRICES } from "../../bench/support/prices.ts";

const memory = fc.integer({ min: 128, max: 10_240 });
const cpu = fc.double({ min: 0, max: 5_000, noNaN: true });
const calls = fc.record({ DynamoDB: fc.integer({ min: 0, max: 50 }), SQS: fc.integer({ min: 0, max: 20 }) });
const factor = fc.double({ min: 0.1, max: 20, noNaN: true });
const request = 1e6 * PRICES.lambdaRequest;
/** Equal within floating-point rounding, relative to the larger value. */
const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));

describe("the CPU-priced Lambda bill", () => {
  it("scales its CPU part linearly with CPU time and inversely with the CPU share below 1,769 MB", () => {
    fc.assert(
      fc.property(memory, cpu, calls, factor, (memoryMb, cpuMs, c, k) => {
        const one = cpuPricedBill({ memoryMb, cpuMs, calls: c });
        const scaled = cpuPricedBill({ memoryMb, cpuMs: cpuMs * k, calls: c });
        near(scaled.cpuPartMs, one.cpuPartMs * k);
        near(scaled.cpuDollars, one.cpuDollars * k);
        // The waiting part does not move with CPU time.
        expect(scaled.waitPartMs).toBe(one.waitPartMs);
        const share = Math.min(1, memoryMb / ONE_VCPU_MB);
        near(one.cpuPartMs * share, cpuMs);
      }),
    );
  });

  it("prices the CPU part's GB-seconds the same at every memory below one vCPU (more memory, shorter time)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 128, max: ONE_VCPU_MB }), fc.integer({ min: 128, max: ONE_VCPU_MB }), cpu, (a, b, cpuMs) => {
        const at = (memoryMb: number) => cpuPricedBill({ memoryMb, cpuMs, calls: {} }).cpuDollars;
        near(at(a), at(b));
      }),
    );
  });

  it("adds each awaited call at its stated latency, linearly in the count", () => {
    fc.assert(
      fc.property(memory, cpu, calls, fc.integer({ min: 1, max: 10 }), (memoryMb, cpuMs, c, k) => {
        const one = cpuPricedBill({ memoryMb, cpuMs, calls: c });
        const more = cpuPricedBill({ memoryMb, cpuMs, calls: { DynamoDB: c.DynamoDB * k, SQS: c.SQS * k } });
        expect(one.waitPartMs).toBe(c.DynamoDB * CALL_LATENCY_MS.DynamoDB + c.SQS * CALL_LATENCY_MS.SQS);
        expect(more.waitPartMs).toBe(one.waitPartMs * k);
        near(more.waitDollars, one.waitDollars * k);
      }),
    );
  });

  it("bills at least the request price and the parts' sum, at most one millisecond more", () => {
    fc.assert(
      fc.property(memory, cpu, calls, (memoryMb, cpuMs, c) => {
        const bill = cpuPricedBill({ memoryMb, cpuMs, calls: c });
        const parts = bill.requestDollars + bill.cpuDollars + bill.waitDollars;
        const oneMs = 1e6 * (memoryMb / 1024) * 0.001 * PRICES.lambdaGbSecondArm;
        expect(bill.requestDollars).toBeCloseTo(request, 12);
        expect(bill.billedDollars).toBeGreaterThanOrEqual(request);
        expect(bill.billedDollars).toBeGreaterThanOrEqual(parts - 1e-9);
        expect(bill.billedDollars).toBeLessThanOrEqual(parts + oneMs + 1e-9);
      }),
    );
  });
});

describe("the storage line", () => {
  const bytes = fc.integer({ min: 100, max: 400_000 });
  const days = fc.integer({ min: 1, max: 3650 });

  it("is linear in retention and in bytes kept per delivery", () => {
    fc.assert(
      fc.property(bytes, days, fc.integer({ min: 1, max: 10 }), fc.boolean(), (b, d, k, pitr) => {
        const one = storagePerMillion(b, d, pitr);
        near(storagePerMillion(b, d * k, pitr), one * k);
        near(storagePerMillion(b * k, d, pitr), one * k);
        expect(storagePerMillion(0, d, pitr)).toBe(0);
      }),
    );
  });

  it("costs (storage + PITR) / storage times as much with point-in-time recovery", () => {
    fc.assert(
      fc.property(bytes, days, (b, d) => {
        const ratio = (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth) / PRICES.dynamoStorageGbMonth;
        near(storagePerMillion(b, d, true), storagePerMillion(b, d, false) * ratio);
      }),
    );
  });

  it("charges a month's GB-month for a month kept", () => {
    // A million deliveries of 1 GiB / 1e6 bytes each, kept one 730-hour month: one GB-month.
    near(storagePerMillion(1024 ** 3 / 1e6, 730 / 24, false), PRICES.dynamoStorageGbMonth);
  });
});
