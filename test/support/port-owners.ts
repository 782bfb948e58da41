import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/*
 * Which processes listen on a TCP port, read from /proc (Linux). A test that stopped a stack checks
 * its ports: one that still accepts may have been taken, once freed, by a server of another test
 * file running at the same time, which only the owner's environment tells apart from a leftover of
 * the stack.
 */

/** The inodes of the sockets listening on `port` (IPv4 and IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      // State 0A is LISTEN; the local address ends in the port, in hex.
      if (!local || fields[3] !== "0A" || Number.parseInt(local.split(":")[1] ?? "", 16) !== port) continue;
      if (fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** The environments (NAME=value entries) of the processes this user may read that listen on `port`. */
export function listenerEnvironments(port: number): string[][] {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const found: string[][] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const holds = readdirSync(`/proc/${pid}/fd`).some((fd) => {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return target.startsWith("socket:[") && inodes.has(target.slice(8, -1));
      });
      if (holds) found.push(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0"));
    } catch {
      // Gone meanwhile, or another user's: neither is a stack this test started.
    }
  }
  return found;
}
