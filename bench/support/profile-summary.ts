/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by file, so a
 * missed target can be traced to its cause. Usage: node bench/support/profile-summary.ts FILE [TOP]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) by "function file:line" and by file, largest first. */
export function summariseProfile(
  profile: Profile,
  top = 25,
): { byFunction: [string, number][]; byFile: [string, number][]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalMs += ms;
    const file = frame.url.replace(/^.*\/(node_modules\/)/, "$1").replace(/^file:\/\/.*\/main\//, "") || "(native)";
    const name = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { byFunction: sorted(byFunction), byFile: sorted(byFile), totalMs };
}

if (import.meta.main) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error("usage: node bench/support/profile-summary.ts FILE.cpuprofile [TOP]");
  const summary = summariseProfile(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(top ?? 25));
  const pct = (ms: number) => `${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)} %`;
  process.stdout.write(`total sampled ${summary.totalMs.toFixed(0)} ms\n\nself time by file\n`);
  for (const [name, ms] of summary.byFile) process.stdout.write(`${pct(ms)}  ${name}\n`);
  process.stdout.write("\nself time by function\n");
  for (const [name, ms] of summary.byFunction) process.stdout.write(`${pct(ms)}  ${name}\n`);
}
