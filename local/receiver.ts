import http from "node:http";
import { Webhook } from "standardwebhooks";
import { redactUrl } from "../functions/adapters/lambda/logger.ts";
import { ConfigError } from "../functions/core/kernel/errors.ts";
import { readReceiverSettings } from "./local-settings.ts";
import { failStartup, listenFailure } from "./startup-errors.ts";

/**
 * `npm run receiver`: a webhook receiver for trying the dispatcher out. It listens on 127.0.0.1
 * (RECEIVER_PORT, default 4000), checks each request's signature with the `standardwebhooks`
 * library when WEBHOOK_SECRET is set, prints what arrived (query values redacted) and answers 204 (or 400 on a bad signature).
 */
const { port, verifier } = (() => {
  try {
    const { port, secret } = readReceiverSettings(process.env);
    return { port, verifier: secret === undefined ? undefined : newVerifier(secret) };
  } catch (error) {
    return failStartup("npm run receiver", error);
  }
})();

function newVerifier(secret: string): Webhook {
  try {
    return new Webhook(secret);
  } catch (cause) {
    throw new ConfigError(`WEBHOOK_SECRET must be a whsec_ secret as the endpoint has it: ${(cause as Error).message}`, { cause });
  }
}

const server = http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    // The sender hung up mid-body ("aborted"): nothing arrived to print or answer.
    res.destroy();
    return;
  }
  const body = Buffer.concat(chunks).toString("utf8");
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
  let verdict = "signature not checked (set WEBHOOK_SECRET)";
  let status = 204;
  if (verifier) {
    try {
      verifier.verify(body, headers);
      verdict = "signature verified";
    } catch (error) {
      verdict = `signature REJECTED: ${(error as Error).message}`;
      status = 400;
    }
  }
  // The query may carry a token the endpoint was registered with, so it is printed redacted.
  process.stdout.write(`${req.method} ${redactUrl(req.url ?? "/")} webhook-id=${headers["webhook-id"]} ${verdict}\n  ${body}\n`);
  res.writeHead(status).end();
});

server.once("error", (error) => failStartup("npm run receiver", listenFailure("RECEIVER_PORT", port, error)));
server.listen(port, "127.0.0.1", () => process.stdout.write(`receiver listening on http://127.0.0.1:${port}\n`));
