/**
 * The stacks the infrastructure tests read, each built and synthesized once per set of props and
 * shared by every test file of a worker: the infra project runs without isolation
 * (vitest.config.ts), so this module and its cache live as long as the worker. Tests read these
 * stacks and never change them. The functions are bundled only where the bundle is what a test
 * reads (test/infra/bundles.test.ts): elsewhere the `aws:cdk:bundling-stacks` context skips esbuild,
 * and the template is the same but for the code assets' hashes.
 */
import { type App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { WebhookDispatcher, type WebhookDispatcherProps } from "../../lib/webhook-dispatcher.ts";
import { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { newApp } from "./helpers.ts";

const made = new Map<string, unknown>();

function once<T>(key: string, make: () => T): T {
  if (!made.has(key)) made.set(key, make());
  return made.get(key) as T;
}

/** An App with cdk.json's context that bundles the functions only if `bundle` is set. */
export function appThatBundles(bundle: boolean): App {
  const app = newApp();
  if (!bundle) app.node.setContext("aws:cdk:bundling-stacks", []);
  return app;
}

/** A synthesized stack holding the dispatcher. */
export interface Synthesized<S extends Stack> {
  app: App;
  stack: S;
  dispatcher: WebhookDispatcher;
  template: Template;
}

/**
 * The stack `cdk deploy` ships (WebhookDispatcherStack "Hookrelay", default props), or with the
 * given dispatcher props under `key`; bundled only if `bundle` is set.
 */
export function deployedStack(options: { bundle?: boolean; key?: string; dispatcher?: WebhookDispatcherProps } = {}) {
  const bundle = options.bundle ?? false;
  return once(`deployed:${options.key ?? "default"}:${bundle}`, (): Synthesized<WebhookDispatcherStack> => {
    const app = appThatBundles(bundle);
    const stack = new WebhookDispatcherStack(app, "Hookrelay", options.dispatcher && { dispatcher: options.dispatcher });
    return { app, stack, dispatcher: stack.dispatcher, template: Template.fromStack(stack) };
  });
}

/** The deployed stack with an alarm e-mail, so the alarm topic and its subscription exist too. */
export function alarmedStack(): Synthesized<WebhookDispatcherStack> {
  return deployedStack({ key: "alarmed", dispatcher: { alarmEmail: "ops@example.com" } });
}

/** The construct in a user's stack of its own, served from a function URL (no API Gateway), unbundled. */
export function functionUrlStack(): Synthesized<Stack> {
  return once("function-url", () => {
    const app = appThatBundles(false);
    const stack = new Stack(app, "Url");
    const dispatcher = new WebhookDispatcher(stack, "Webhooks", { frontDoor: "function-url", apiReservedConcurrency: 40 });
    return { app, stack, dispatcher, template: Template.fromStack(stack) };
  });
}

/** The five functions of a deployed stack, each with the service name its entry point logs under. */
export function functionsOf(stack: WebhookDispatcherStack): { name: string; fn: NodejsFunction }[] {
  const d = stack.dispatcher;
  return [
    { name: "api", fn: d.apiFunction },
    // The feed function runs the API's entry point, as the API's service.
    { name: "api", fn: d.feedFunction as NodejsFunction },
    { name: "delivery", fn: d.deliveryFunction },
    { name: "dead-letter", fn: d.deadLetterFunction },
    { name: "sweeper", fn: d.sweeperFunction },
  ];
}
