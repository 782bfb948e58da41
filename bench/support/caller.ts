import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";
import { CALLER_HEADER } from "./counting-proxy.ts";

/*
 * Who makes each AWS call: the handlers run inside `caller.run(name)`, and every HTTP request created
 * in that async context carries the name to the counting proxies, so that a call is priced with the
 * function that made it (an operational event emitted by the delivery worker is the worker's cost).
 */
export const caller = new AsyncLocalStorage<string>();

/** Tags this thread's outgoing requests with their caller; `fallback` names a request made outside any. */
export function tagCallers(fallback?: string): void {
  subscribe("http.client.request.created", (message) => {
    const { request } = message as { request: ClientRequest };
    const name = caller.getStore() ?? fallback;
    if (name !== undefined && !request.headersSent) request.setHeader(CALLER_HEADER, name);
  });
}

/**
 * Runs one invocation of the function `name`, its calls counted as that function's, and reports its
 * wall time and its thread's CPU time (user + system) meanwhile. The thread's, not the process's:
 * the slow lane's thread and libuv's pool are left out. It still holds whatever else this thread
 * ran during the invocation (the in-process emulators unless BENCH_EMULATORS_APART, the local
 * gateway and pollers, overlapping invocations), so it is an upper bound of the handler's own; the
 * cost stage takes the median of the steady-rate runs, where invocations seldom overlap.
 */
export async function invokeAs<R>(name: string, invoke: () => Promise<R>, took: (ms: number, cpuMs: number) => void): Promise<R> {
  const started = performance.now();
  const cpu = process.threadCpuUsage();
  try {
    return await caller.run(name, invoke);
  } finally {
    const used = process.threadCpuUsage(cpu);
    took(performance.now() - started, (used.user + used.system) / 1000);
  }
}
