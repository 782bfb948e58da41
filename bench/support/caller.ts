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

/** The invocations running on this thread: the CPU each has been given, and whether another overlapped it. */
const running = new Set<{ cpuMicros: number; overlapped: boolean }>();
let lastCpu = 0;

/** This thread's CPU time so far, in µs. */
const threadCpuMicros = (): number => {
  const used = process.threadCpuUsage();
  return used.user + used.system;
};
let readCpu = threadCpuMicros;

/** Reads CPU time from `read` (µs) instead of the thread's until the returned function is called: the unit test's clock. */
export function useCpuClock(read: () => number): () => void {
  readCpu = read;
  lastCpu = read();
  return () => {
    readCpu = threadCpuMicros;
    lastCpu = threadCpuMicros();
  };
}

/** Splits the thread's CPU since the last start or end equally among the invocations running meanwhile. */
function settle(): void {
  const now = readCpu();
  const share = (now - lastCpu) / Math.max(1, running.size);
  lastCpu = now;
  for (const invocation of running) invocation.cpuMicros += share;
}

/**
 * Runs one invocation of the function `name`, its calls counted as that function's, and reports its
 * wall time, its share of its thread's CPU time, and whether it ran alone. Between two starts or
 * ends the thread's CPU (process.threadCpuUsage: the slow lane's thread and libuv's pool are left
 * out) is split equally among the invocations running, so the shares of a run add up to the
 * thread's CPU while any ran, however many overlapped on a loaded machine. A share still holds
 * whatever else the thread did meanwhile (the local gateway and pollers; the emulators too unless
 * BENCH_EMULATORS_APART), an upper bound of the handler's own.
 */
export async function invokeAs<R>(
  name: string,
  invoke: () => Promise<R>,
  took: (ms: number, cpuMs: number, alone: boolean) => void,
): Promise<R> {
  settle();
  const me = { cpuMicros: 0, overlapped: running.size > 0 };
  for (const other of running) other.overlapped = true;
  running.add(me);
  const started = performance.now();
  try {
    return await caller.run(name, invoke);
  } finally {
    settle();
    running.delete(me);
    took(performance.now() - started, me.cpuMicros / 1000, !me.overlapped);
  }
}
