import { describe, expect, it } from "vitest";
import { UsageError } from "../../cli/listen/errors.ts";
import { parseListenArgs } from "../../cli/listen/options.ts";

const FORWARD = ["--forward-to", "http://127.0.0.1:4000/webhooks"];
const SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const ENV = { HOOKRELAY_API_URL: "http://127.0.0.1:3000/", HOOKRELAY_API_KEY: "hrk_env" };

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error("no UsageError");
}

describe("listen's command line", () => {
  it("takes the API and key from the environment, the flags winning over it", () => {
    expect(parseListenArgs(FORWARD, ENV, "/home/u")).toEqual({
      forwardTo: new URL("http://127.0.0.1:4000/webhooks"),
      apiUrl: "http://127.0.0.1:3000",
      apiKey: "hrk_env",
      events: [],
      stateDir: "/home/u/.hookrelay/listen",
      transport: "auto",
    });
    const flags = parseListenArgs([...FORWARD, "--api", "https://api.example.com", "--key", "hrk_flag", "--state-dir", "/s"], ENV);
    expect(flags).toMatchObject({ apiUrl: "https://api.example.com", apiKey: "hrk_flag", stateDir: "/s" });
  });

  it("takes --transport auto, ws or poll and the WebSocket URL from --ws or HOOKRELAY_WS_URL, refusing anything else with exit code 2", () => {
    for (const transport of ["auto", "ws", "poll"])
      expect(parseListenArgs([...FORWARD, "--transport", transport], ENV)).toMatchObject({ transport });
    expect(parseListenArgs(FORWARD, { ...ENV, HOOKRELAY_WS_URL: "wss://ws.example/live" })).toMatchObject({
      wsUrl: "wss://ws.example/live",
    });
    expect(parseListenArgs([...FORWARD, "--ws", "ws://127.0.0.1:3001/"], { ...ENV, HOOKRELAY_WS_URL: "wss://x" })).toMatchObject({
      wsUrl: "ws://127.0.0.1:3001",
    });
    for (const wrong of [
      ["--transport", "push"],
      ["--ws", "http://127.0.0.1:3001"],
      ["--ws", "wss://x", "--transport", "poll"],
    ]) {
      expect(() => parseListenArgs([...FORWARD, ...wrong], ENV)).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
  });

  it("takes event types comma-separated or repeated, once each and sorted", () => {
    const options = parseListenArgs([...FORWARD, "--events", "invoice.paid, order.created", "--events", "invoice.paid"], ENV);
    expect(options).toMatchObject({ events: ["invoice.paid", "order.created"] });
  });

  it("takes the temporary endpoint's secret", () => {
    expect(parseListenArgs([...FORWARD, "--secret", SECRET], ENV)).toMatchObject({ secret: SECRET });
  });

  it("returns help for --help and -h, whatever else is missing", () => {
    expect(parseListenArgs(["--help"], {})).toBe("help");
    expect(parseListenArgs(["-h"], {})).toBe("help");
  });

  it.each([
    [[], ENV, "--forward-to is required"],
    [["--forward-to", "ftp://127.0.0.1/x"], ENV, "--forward-to must be an http:// or https:// URL"],
    [["--forward-to", "not a url"], ENV, "--forward-to must be an http:// or https:// URL"],
    [FORWARD, { HOOKRELAY_API_KEY: "k" }, "--api (or HOOKRELAY_API_URL) is required"],
    [FORWARD, { HOOKRELAY_API_URL: "127.0.0.1:3000", HOOKRELAY_API_KEY: "k" }, "--api must be an http(s) URL"],
    [FORWARD, { HOOKRELAY_API_URL: "http://127.0.0.1:3000" }, "--key (or HOOKRELAY_API_KEY) is required"],
    [[...FORWARD, "--endpoint", "ep_1", "--events", "a.b"], ENV, "an existing --endpoint keeps its own"],
    [[...FORWARD, "--endpoint", "../ep"], ENV, "--endpoint is not an endpoint id"],
    [[...FORWARD, "--events", "a.b,,c.d"], ENV, "--events has an empty event type"],
    [[...FORWARD, "--endpoint", "ep_1", "--secret", SECRET], ENV, "an existing --endpoint keeps its own"],
    [[...FORWARD, "--secret", "whsec_short"], ENV, "--secret must be whsec_"],
    [[...FORWARD, "--forward", "x"], ENV, "Unknown option '--forward'"],
    [[...FORWARD, "extra"], ENV, "Unexpected argument 'extra'"],
  ])("refuses %j with exit code 2", (args, env, message) => {
    const error = usageError(() => parseListenArgs(args, env));
    expect(error.message).toContain(message);
    expect(error.exitCode).toBe(2);
  });
});
