import { ApiGatewayChannel } from "../adapters/push/api-gateway-channel.ts";
import { ConfigError } from "../core/kernel/errors.ts";
import { createRuntime } from "../runtime.ts";
import { createPushHandler } from "./handler.ts";
import { pushDeps } from "./wiring.ts";

/** Lambda entry point of the WebSocket push: its routes, the table's stream and its schedule. Wiring happens once per container. */
const runtime = createRuntime("push");
const callbackUrl = runtime.config.websocketCallbackUrl;
if (callbackUrl === undefined) throw new ConfigError("Set WEBSOCKET_CALLBACK_URL: the push function posts frames there");

export const handler = runtime.budget.wrap(createPushHandler(pushDeps(runtime, new ApiGatewayChannel(callbackUrl)), runtime.log));
