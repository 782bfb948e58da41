/**
 * The SDK calls (sdk-calls.ts). In a function's bundle they are the separate aws-destinations.mjs at
 * its root (lib/dispatcher-function.ts); from the sources (tests, the local stack), the module itself.
 * The specifier is computed, so the bundler leaves the import alone.
 */
export function loadSdkCalls(): Promise<typeof import("./sdk-calls.ts")> {
  const here = import.meta.url;
  const file = here.endsWith(".ts") ? "./sdk-calls.ts" : here.includes("/chunks/") ? "../aws-destinations.mjs" : "./aws-destinations.mjs";
  return import(new URL(file, here).href);
}
