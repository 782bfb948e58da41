/** A thin stack around one WebhookDispatcher, with the outputs an operator needs after `cdk deploy`. */
import { Aws, CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { WebhookDispatcher, type WebhookDispatcherProps } from "./webhook-dispatcher.ts";

/** Properties of the stack: the stack's own plus the dispatcher's. */
export interface WebhookDispatcherStackProps extends StackProps {
  /**
   * Passed to the WebhookDispatcher construct.
   * @default - the construct's defaults
   */
  readonly dispatcher?: WebhookDispatcherProps;
}

/** Deploys one webhook dispatcher and prints its URL, feed URL, admin key secret, dead-letter queue and dashboard. */
export class WebhookDispatcherStack extends Stack {
  public readonly dispatcher: WebhookDispatcher;

  constructor(scope: Construct, id: string, props: WebhookDispatcherStackProps = {}) {
    super(scope, id, props);
    this.dispatcher = new WebhookDispatcher(this, "Dispatcher", props.dispatcher);
    const { apiUrl, feedUrl, adminKeySecret, deadLetterQueue, dashboard } = this.dispatcher;
    new CfnOutput(this, "ApiUrl", { value: apiUrl, description: "Base URL of the dispatcher's API" });
    new CfnOutput(this, "FeedUrl", {
      value: feedUrl,
      description:
        "Base URL of the polling endpoints' feed (GET v1/endpoints/{id}/feed): the API's own, or the feed function's URL with frontDoor function-url",
    });
    new CfnOutput(this, "WebSocketUrl", {
      value: this.dispatcher.webSocketUrl ?? "none (webSocket: false)",
      description: "WebSocket push URL of polling endpoints' feeds (docs/websocket.md)",
    });
    new CfnOutput(this, "AdminKeySecretArn", {
      value: adminKeySecret.secretArn,
      description: "Secrets Manager secret holding the admin API key (aws secretsmanager get-secret-value --secret-id <arn>)",
    });
    new CfnOutput(this, "DeadLetterQueueUrl", { value: deadLetterQueue.queueUrl, description: "Deliveries that were given up on" });
    new CfnOutput(this, "DashboardName", { value: dashboard.dashboardName, description: "CloudWatch dashboard of the dispatcher" });
    new CfnOutput(this, "DashboardUrl", {
      value: `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${dashboard.dashboardName}`,
      description: "CloudWatch dashboard in the console",
    });
  }
}
