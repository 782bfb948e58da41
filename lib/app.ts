/**
 * The CDK app behind `npx cdk synth` / `npx cdk deploy` (cdk.json runs it with Node 24, which strips
 * the types). Everything cdk-nag's AwsSolutions pack reports fails the synthesis.
 * Optional context: -c alarmEmail=ops@example.com, -c removalPolicy=destroy,
 * -c frontDoor=function-url -c apiReservedConcurrency=50, -c feedReservedConcurrency=unreserved (an
 * account whose concurrency limit cannot spare 100 for the feed), -c billing=provisioned.
 */
import { App, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { WebhookDispatcherStack } from "./webhook-dispatcher-stack.ts";

const app = new App();
const alarmEmail: unknown = app.node.tryGetContext("alarmEmail");
const removal: unknown = app.node.tryGetContext("removalPolicy");
const frontDoor: unknown = app.node.tryGetContext("frontDoor");
const apiReservedConcurrency: unknown = app.node.tryGetContext("apiReservedConcurrency");
const feedReservedConcurrency: unknown = app.node.tryGetContext("feedReservedConcurrency");
const billing: unknown = app.node.tryGetContext("billing");
new WebhookDispatcherStack(app, "Hookrelay", {
  description: "Hookrelay: serverless webhook dispatcher",
  dispatcher: {
    alarmEmail: typeof alarmEmail === "string" && alarmEmail !== "" ? alarmEmail : undefined,
    removalPolicy: removal === "destroy" ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    // Anything else than the two values is refused by the construct, not silently replaced.
    ...(frontDoor !== undefined && { frontDoor: frontDoor as "http-api" | "function-url" }),
    ...(billing !== undefined && { billing: billing as "on-demand" | "provisioned" }),
    ...(apiReservedConcurrency !== undefined && { apiReservedConcurrency: Number(apiReservedConcurrency) }),
    ...(feedReservedConcurrency !== undefined && {
      feedReservedConcurrency: feedReservedConcurrency === "unreserved" ? "unreserved" : Number(feedReservedConcurrency),
    }),
  },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
