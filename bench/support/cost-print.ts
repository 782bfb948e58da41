/**
 * The cost stage's progress lines: the wall-time bill, then each scenario's CPU-priced bill in both
 * DynamoDB billing modes beside its target, the storage line, and the write levers not built
 * (issue 27); and the levers' section of the report.
 */
import type { CostResult } from "../stages/cost.ts";

const usd = (v: number) => `$${v.toFixed(2)}`;

/** Prints stage 5's bills through `progress`, each target beside its figure. */
export function printCost(cost: CostResult, progress: (line: string) => void): void {
  for (const s of cost.scenarios) progress(`    wall-time bill, ${s.name}: ${usd(s.total)} per million deliveries (on demand)`);
  const names = [...new Set(cost.cpuPriced.scenarios.map((s) => s.name))];
  for (const name of names) {
    const modes = cost.cpuPriced.scenarios.filter((s) => s.name === name);
    const target = modes[0]?.target;
    const met = modes.filter((s) => s.met).map((s) => s.billing);
    const verdict = target === undefined ? "" : ` — target ≤ ${usd(target)}: ${met.length > 0 ? `met ${met.join(" and ")}` : "missed"}`;
    progress(`    ${name}: ${modes.map((s) => `${usd(s.total)} ${s.billing} (DynamoDB ${usd(s.dynamo)})`).join(", ")}${verdict}`);
  }
  const f = cost.cpuPriced.functions;
  progress(
    `    Lambda from CPU (mean share of the thread's CPU per invocation; how many ran alone): API ${f.api.single.cpuMs} ms single (${f.api.single.alone} of ${f.api.single.samples} alone) / ${f.api.batched.cpuMs} ms batched (${f.api.batched.alone} of ${f.api.batched.samples}); delivery ${f.delivery.single.cpuMs} ms (${f.delivery.single.alone} of ${f.delivery.single.samples}) / ${f.delivery.batched.cpuMs} ms (${f.delivery.batched.alone} of ${f.delivery.batched.samples})`,
  );
  const st = cost.cpuPriced.storage;
  progress(
    `    storage, ${st.bytesPerDelivery} bytes a delivery kept ${st.retentionDays} days: ${usd(st.withoutPitr)} per million deliveries a month, ${usd(st.withPitr)} with PITR (both billing modes)`,
  );
}

/** The attempt lever as built: attempt write units per delivery, toward 1 + 1/batch. */
export function printAttemptWrites(cost: CostResult, progress: (line: string) => void): void {
  const w = cost.attemptWrites;
  const sum = (a: { attempt: number; list: number }) => (a.attempt + a.list).toFixed(3);
  progress(
    `    built — the endpoint's attempt list per batch: attempt write units a delivery ${sum(w.single)} single-event (${w.single.attempt} item + ${w.single.list} list), ${sum(w.batched)} batched (${w.batched.attempt} + ${w.batched.list}); 1 + 1/batch at the ${w.deliveryBatchFill} messages a delivery batch: ${(1 + 1 / Math.max(1, w.deliveryBatchFill)).toFixed(3)}; 2 before`,
  );
}
