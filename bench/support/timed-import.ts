import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import { lambdaEnvironment } from "./lambda-env.ts";

/** What one cold import took: wall milliseconds, and CPU milliseconds (user + system, every thread). */
export interface ImportTime {
  wall: number;
  cpu: number;
}

/**
 * Times `await import(file)` in a fresh Node process with the functions' environment, as a cold
 * start runs it (`nodeOptions` as NODE_OPTIONS would give them): the cold-start stage and its
 * breakdown both measure with it.
 */
export function timedImport(file: string, nodeOptions: string[] = []): Promise<ImportTime> {
  const script = `const c=process.cpuUsage(),t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});const u=process.cpuUsage(c);process.stdout.write(JSON.stringify({wall:performance.now()-t,cpu:(u.user+u.system)/1000}));`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...nodeOptions, "--input-type=module", "-e", script], {
      env: lambdaEnvironment(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("close", (code) => (code === 0 ? done(JSON.parse(out) as ImportTime) : fail(new Error(`import of ${file} failed: ${err}`))));
  });
}
