/**
 * The cost stage's progress lines: the wall-time bill, then each scenario's CPU-priced bill in both
 * DynamoDB billing modes beside its target, and the storage line (issue 27).
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
    `    Lambda from CPU: API ${f.api.single.cpuMs} ms single / ${f.api.batched.cpuMs} ms batched, delivery ${f.delivery.cpuMs} ms CPU per invocation (medians, steady runs)`,
  );
  const st = cost.cpuPriced.storage;
  progress(
    `    storage, ${st.bytesPerDelivery} bytes a delivery kept ${st.retentionDays} days: ${usd(st.withoutPitr)} per million deliveries a month, ${usd(st.withPitr)} with PITR (both billing modes)`,
  );
}
