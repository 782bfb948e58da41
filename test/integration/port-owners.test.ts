/**
 * test/support/port-owners.ts tells a leftover of a stopped stack from another test's server on a
 * reused port by the listener's environment: it must find the process that listens, and only it.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { listenerEnvironments } from "../support/port-owners.ts";

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** A node process listening on an ephemeral loopback port with `marker` in its environment; its port. */
async function listener(marker: string, host: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ["-e", `const s=require("node:net").createServer();s.listen(0,${JSON.stringify(host)},()=>console.log(s.address().port))`],
    { env: { ...process.env, DATA_DIR: marker }, stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(child);
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  return Number(line.toString().trim());
}

describe("listenerEnvironments", () => {
  it.each(["127.0.0.1", "::1"])("finds the environment of the process listening on a port of %s, and no other's", async (host) => {
    const mine = `/tmp/port-owners-${host}-${process.pid}`;
    const port = await listener(mine, host);
    const other = await listener(`${mine}-other`, host);
    const owners = listenerEnvironments(port);
    expect(owners).toHaveLength(1);
    expect(owners[0]).toContain(`DATA_DIR=${mine}`);
    expect(listenerEnvironments(other)[0]).toContain(`DATA_DIR=${mine}-other`);
  });

  it("finds nobody on a port nothing listens on", async () => {
    const port = await listener("/tmp/port-owners-closed", "127.0.0.1");
    const child = children.pop();
    child?.kill("SIGKILL");
    if (child) await once(child, "exit");
    expect(listenerEnvironments(port)).toEqual([]);
  });
});
