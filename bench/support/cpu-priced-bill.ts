/**
 * Lambda priced from what the code does rather than from wall time on the local stack (issue 27):
 * wall time there moves with the emulators and the shared cores (the same commit billed $4.81 and
 * $6.71), so a function's billed duration is its CPU time per invocation scaled by Lambda's CPU
 * share at its memory (bench/support/memory-model.ts) plus the AWS round trips it waits on, each
 * kind at an assumed latency stated below. Also the storage line: bytes kept per delivery for the
 * retention, with and without point-in-time recovery. Pure arithmetic, tested in
 * test/unit/cpu-priced-bill.test.ts.
 */
import { cpuShare, lambdaCostPerMillion } from "./memory-model.ts";
import { PRICES } from "./prices.ts";

/**
 * Assumed latency (ms) of one AWS call awaited by a function in the same region; not measurable here.
 * DynamoDB: AWS states "single-digit millisecond" latency; 5 ms is taken per request (GetItem,
 * PutItem, Query, TransactWriteItems alike). SQS SendMessage(Batch)/DeleteMessageBatch: 10 ms,
 * below the 16 ms p50 that SQS adds to a message on its way to Lambda (/work/shared/REFERENCE.md,
 * which includes the poll). Change them here and the bill follows linearly.
 */
export const CALL_LATENCY_MS = { DynamoDB: 5, SQS: 10 } as const;

/** One kind of awaited AWS call. */
export type CallKind = keyof typeof CALL_LATENCY_MS;

/** What one invocation does: CPU on one core here, and the awaited calls of each kind. */
export interface InvocationWork {
  memoryMb: number;
  /** CPU ms of one invocation on one core of this machine (standing in for one Lambda vCPU). */
  cpuMs: number;
  /** Awaited calls per invocation, by kind (sequential: calls made in parallel are over-counted). */
  calls: Partial<Record<CallKind, number>>;
}

/** The bill of one invocation kind, dollars per million invocations, split into its parts. */
export interface CpuPricedBill {
  /** CPU ms scaled to the function's share of a vCPU. */
  cpuPartMs: number;
  /** Ms spent waiting on AWS calls at the assumed latencies. */
  waitPartMs: number;
  /** Request charge alone. */
  requestDollars: number;
  /** Duration charge of the CPU part, unrounded. */
  cpuDollars: number;
  /** Duration charge of the waiting part, unrounded. */
  waitDollars: number;
  /** The whole bill as Lambda charges it: request plus the sum rounded up to the millisecond. */
  billedDollars: number;
}

const durationDollars = (memoryMb: number, ms: number) => 1e6 * (memoryMb / 1024) * (ms / 1000) * PRICES.lambdaGbSecondArm;

/** Prices a million invocations of `work` from CPU time and awaited calls (see CALL_LATENCY_MS). */
export function cpuPricedBill(work: InvocationWork, latency: Record<CallKind, number> = CALL_LATENCY_MS): CpuPricedBill {
  const cpuPartMs = work.cpuMs / cpuShare(work.memoryMb);
  const waitPartMs = (Object.keys(latency) as CallKind[]).reduce((sum, kind) => sum + (work.calls[kind] ?? 0) * latency[kind], 0);
  return {
    cpuPartMs,
    waitPartMs,
    requestDollars: 1e6 * PRICES.lambdaRequest,
    cpuDollars: durationDollars(work.memoryMb, cpuPartMs),
    waitDollars: durationDollars(work.memoryMb, waitPartMs),
    billedDollars: lambdaCostPerMillion(work.memoryMb, cpuPartMs + waitPartMs),
  };
}

/** Days in a billing month, as AWS prices GB-months (730 hours). */
const DAYS_PER_MONTH = 730 / 24;

/**
 * Dollars per month for keeping a million deliveries' items: `bytesPerDelivery` (the event, the
 * attempt and their index copies, each counted with DynamoDB's 100-byte item overhead) stored for
 * `retentionDays`, in steady state a month's deliveries times retention / month; with PITR the backup
 * charge is on the same table size.
 */
export function storagePerMillion(bytesPerDelivery: number, retentionDays: number, pitr: boolean): number {
  const gb = (1e6 * bytesPerDelivery) / 1024 ** 3;
  const gbMonthsHeld = gb * (retentionDays / DAYS_PER_MONTH);
  return gbMonthsHeld * (PRICES.dynamoStorageGbMonth + (pitr ? PRICES.dynamoPitrGbMonth : 0));
}

/** DynamoDB's per-item overhead in storage (and in each index copy), bytes. */
export const ITEM_OVERHEAD_BYTES = 100;
