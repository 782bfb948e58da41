import type { FeedMemoryResult } from "../stages/feed-memory.ts";

const usd = (v: number) => `$${v.toFixed(2)}`;

/** The feed memory stage as a markdown section: what was measured, then the estimate per size. */
export function feedMemorySection(r: FeedMemoryResult): string[] {
  const rows = r.sizes.map(
    (s) =>
      `| ${s.memoryMb} MB | ${s.cpuShare} | ${s.coldStartMs} ms | ${s.firstRequestExtraMs} ms | ${s.durationMs.page} / ${s.durationMs.empty} / ${s.durationMs.bigPage} ms | ${usd(s.lambdaPerMillion.longPoll)} | ${usd(s.lambdaPerMillion.page)} | ${usd(s.lambdaPerMillion.empty)} | ${usd(s.initPerMillionColdStarts)} | ${s.underHeapLimits.peakRssMb} MB, ${s.underHeapLimits.fits ? "fits" : "**does not fit**"} |`,
  );
  return [
    "## 11. Feed function memory",
    "",
    `The API bundle (${r.bundleKb} KB loaded at a cold start), imported in ${r.runs} fresh processes with Lambda's environment: ${r.importCpuMs} ms of CPU (median; samples ${r.importCpuMsSamples.join(", ")} ms; wall ${r.importWallMs} ms). CPU per feed request on one core (median): first read ${r.cpuMs.first} ms, a page of 100 items of about 1 KB ${r.cpuMs.page} ms (${r.answerKb.page} KB answer), an empty up-to-date read ${r.cpuMs.empty} ms, a page of 100 items of about ${r.bigItemKb} KB ${r.cpuMs.bigPage} ms (${r.answerKb.bigPage} KB answer), each further look of a long poll ${r.cpuMs.look} ms. DynamoDB calls / read units per request: page ${r.dynamo.page.calls} / ${r.dynamo.page.readUnits}, empty ${r.dynamo.empty.calls} / ${r.dynamo.empty.readUnits}, ${r.bigItemKb} KB page ${r.dynamo.bigPage.calls} / ${r.dynamo.bigPage.readUnits}, each further look ${r.dynamo.look.calls} / ${r.dynamo.look.readUnits}. Peak resident memory of the process: ${r.peakRssMb.imported} MB after the import, ${r.peakRssMb.pages} MB after the 1 KB pages, ${r.peakRssMb.bigPages} MB after the ${r.bigItemKb} KB pages (heap and external memory in use after a full GC: ${r.liveMb.imported}, ${r.liveMb.pages}, ${r.liveMb.bigPages} MB).`,
    "",
    `Each size's heap limits, as Lambda's Node.js bootstrap is understood to set them: ${r.sizes.map((s) => `${s.memoryMb} MB \`${s.underHeapLimits.flags.join(" ")}\``).join(", ")}. Estimate: CPU time scaled by Lambda's CPU share (memory / 1,769 MB), plus ${r.assumedDynamoCallMs} ms per DynamoDB call (assumed); a long poll waits ${r.looksPerLongPoll - 1} more looks through 20 s and answers empty. Lambda's charge per million requests (arm64, request + duration); API Gateway adds ${usd(r.otherPerMillion.apiGateway)} and DynamoDB reads ${usd(r.otherPerMillion.page)} (page), ${usd(r.otherPerMillion.empty)} (empty), ${usd(r.otherPerMillion.longPoll)} (long poll) at any size.`,
    "",
    "| memory | CPU share | cold start (import) | first request adds | page / empty / big page | long poll (20 s) | page | empty | init, per million cold starts | peak RSS under its heap limits (1 KB and big pages) |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ];
}
