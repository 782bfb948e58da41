import os from "node:os";
import { OwnListeners } from "../../core/ssrf/own-listeners.ts";

/** The machine's own interface addresses, as the kernel reports them now. */
const interfaceAddresses = () =>
  Object.values(os.networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address] : []));

/**
 * The sockets this process listens on. One per process because the Lambda entries wire their
 * outbound client at import: the local stack registers its API, emulators and proxies here, and
 * every outbound sender (adapters/http/outbound-sender.ts) refuses them. In Lambda nothing is registered.
 */
export const processListeners = new OwnListeners(interfaceAddresses);
