import { fileURLToPath } from "node:url";
import { type BenchChild, forkChild } from "./child.ts";
import type { Counts } from "./counting-proxy.ts";
import type { Invocations, StackReady } from "./stack-process.ts";

const STACK = fileURLToPath(new URL("./stack-process.ts", import.meta.url));
export const BENCH_ADMIN_KEY = "bench-admin-key";

/** What the stack did between two `take`s: AWS calls and units, invocations, log bytes per function. */
export interface Taken {
  dynamodb: Counts;
  sqs: Counts;
  invocations: Invocations;
  logBytes: { api: number; delivery: number };
  errors: string[];
}

/**
 * Starts bench/support/stack-process.ts as a child with the functions' Lambda settings (JSON logs,
 * INFO), and splits its stdout, the functions' own log lines, by the `service` each line names.
 * `emulatorsApart` runs dynalite, fauxqs and their counting proxies in a process of their own
 * (emulator-process.ts), so the functions' CPU time holds only their own work.
 */
export async function startBenchStack(
  env: Record<string, string> = {},
  execArgv: string[] = [],
  options: { emulatorsApart?: boolean } = {},
) {
  const logBytes = { api: 0, delivery: 0 };
  // Fast-lane POSTs cut off by the budget and handed to the slow lane, from the functions' EMF lines.
  let laneHandovers = 0;
  let partial = "";
  const child: BenchChild<StackReady> = await forkChild<StackReady>(STACK, {
    execArgv,
    env: {
      ADMIN_API_KEY: BENCH_ADMIN_KEY,
      DESTINATION_ALLOW_CIDRS: "127.0.0.0/8,::1/128",
      ALLOW_HTTP_DESTINATIONS: "true",
      // The fan-out stage registers 1,000 endpoints in one tenant.
      MAX_ENDPOINTS_PER_TENANT: "10000",
      LOG_FORMAT: "json",
      LOG_LEVEL: "INFO",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      ...(options.emulatorsApart && { BENCH_EMULATORS_APART: "1" }),
      ...env,
    },
    onStdout: (chunk) => {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const bytes = Buffer.byteLength(line) + 1;
        if (line.includes('"service":"api"')) logBytes.api += bytes;
        else logBytes.delivery += bytes;
        if (line.includes('"LaneHandovers"')) laneHandovers += [JSON.parse(line).LaneHandovers].flat().reduce((a, b) => a + b, 0);
      }
    },
  });
  return {
    ...child.ready,
    call: child.call,
    /** Everything counted since the last take. */
    async take(): Promise<Taken> {
      const taken = await child.call<Omit<Taken, "logBytes">>("take");
      const bytes = { ...logBytes };
      logBytes.api = 0;
      logBytes.delivery = 0;
      return { ...taken, logBytes: bytes };
    },
    /** Fast-lane POSTs handed to the slow lane since the stack started (the LaneHandovers metric). */
    laneHandovers: () => laneHandovers,
    stop: () => child.stop(),
  };
}

export type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;
