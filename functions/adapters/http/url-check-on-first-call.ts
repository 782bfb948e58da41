import { loadOnce } from "../lambda/loaded-on-first-call.ts";
import type { Resolver } from "./http-sender.ts";
import type { OutboundSettings } from "./outbound-sender.ts";

/**
 * The API's check of an endpoint URL (destination-check.ts), with the outbound client and its
 * address parser (ipaddr.js) loaded on the first check: most API requests register no URL, and the
 * cold start need not parse them (docs/performance.md, "Cold start"). A failed load is retried by
 * the next call. `resolver` is injectable for tests.
 */
export function urlCheckOnFirstCall(settings: OutboundSettings, resolver?: Resolver): (url: string) => Promise<void> {
  const check = loadOnce(async () => {
    const [{ destinationCheck }, { createOutboundSender }] = await Promise.all([
      import("./destination-check.ts"),
      import("./outbound-sender.ts"),
    ]);
    return destinationCheck(createOutboundSender(settings, resolver));
  });
  return async (url) => (await check())(url);
}
