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

/** The invocations running on this thread, each marked once another overlaps it. */
const running = new Set<{ overlapped: boolean }>();

/**
 * Runs one invocation of the function `name`, its calls counted as that function's, and reports its
 * wall time, its thread's CPU time (user + system) meanwhile, and whether it ran alone. The
 * thread's, not the process's: the slow lane's thread and libuv's pool are left out. An invocation
 * that another overlapped on this thread holds some of the other's CPU, so the cost stage prices
 * from those that ran alone; even those hold whatever else the thread did meanwhile (the local
 * gateway and pollers; the emulators too unless BENCH_EMULATORS_APART), an upper bound of the
 * handler's own.
 */
export async function invokeAs<R>(
  name: string,
  invoke: () => Promise<R>,
  took: (ms: number, cpuMs: number, alone: boolean) => void,
): Promise<R> {
  const me = { overlapped: running.size > 0 };
  for (const other of running) other.overlapped = true;
  running.add(me);
  const started = performance.now();
  const cpu = process.threadCpuUsage();
  try {
    return await caller.run(name, invoke);
  } finally {
    const used = process.threadCpuUsage(cpu);
    running.delete(me);
    took(performance.now() - started, (used.user + used.system) / 1000, !me.overlapped);
  }
}
