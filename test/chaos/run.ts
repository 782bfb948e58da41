import { runChaos } from "./harness.ts";

/**
 * `npm run chaos`: the full chaos run. Prints progress and the report, and exits non-zero unless
 * no accepted event was lost, exhausted deliveries match the schedule, and duplicates stay within 1 %.
 * CHAOS_EVENTS, CHAOS_ENDPOINTS and CHAOS_SEED change the run; CHAOS_DEBUG=1 prints each duplicate.
 */
const started = Date.now();
const report = await runChaos({
  events: Number(process.env.CHAOS_EVENTS ?? 1000),
  endpoints: Number(process.env.CHAOS_ENDPOINTS ?? 5),
  kills: 2,
  outages: 2,
  retrySchedule: [1, 1, 2, 2],
  seed: Number(process.env.CHAOS_SEED ?? 1),
  log: (line) => process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s ${line}\n`),
});
process.stdout.write(`\n${JSON.stringify(report, null, 2)}\n`);
const failures = [
  report.lost > 0 && `${report.lost} accepted deliveries lost`,
  report.exhaustedOffSchedule > 0 && `${report.exhaustedOffSchedule} exhausted deliveries off their schedule`,
  report.unknownWebhookIds > 0 && `${report.unknownWebhookIds} requests with an unknown webhook-id`,
  report.duplicateRate > 0.01 && `duplicates ${(report.duplicateRate * 100).toFixed(2)} % > 1 %`,
  report.succeeded + report.exhausted !== report.deliveries && "some deliveries did not settle",
].filter(Boolean);
process.stdout.write(failures.length === 0 ? "chaos: every promise held\n" : `chaos: FAILED: ${failures.join("; ")}\n`);
process.exit(failures.length === 0 ? 0 : 1);
