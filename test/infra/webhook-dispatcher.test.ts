/**
 * Fine-grained assertions on the default WebhookDispatcherStack: one promise of the deploy story per
 * test. The stack is synthesized once, with real esbuild bundling.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/core/config.ts";
import { parseRetrySchedule, scheduleWindowSeconds } from "../../functions/core/retry-schedule.ts";
import { ESM_REQUIRE_BANNER } from "../../lib/dispatcher-function.ts";
import { queueSettings } from "../../lib/resource-settings.ts";
import { DEFAULT_RETRY_SCHEDULE } from "../../lib/webhook-dispatcher.ts";
import { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import {
  actionsOf,
  allStatements,
  assetDir,
  bundleFile,
  coldStartFiles,
  deployedEnv,
  functionEnv,
  functionProps,
  type Json,
  logicalId,
  newApp,
  type Resource,
  resourcesOfType,
  roleActions,
  SYNTH_TIMEOUT_MS,
} from "./helpers.ts";

let app: App;
let stack: WebhookDispatcherStack;
let template: Template;
let fns: { name: string; fn: NodejsFunction }[];

const schedule = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE);
const expected = queueSettings(schedule, 15_000);

beforeAll(() => {
  app = newApp();
  stack = new WebhookDispatcherStack(app, "Hookrelay");
  template = Template.fromStack(stack);
  const d = stack.dispatcher;
  fns = [
    { name: "api", fn: d.apiFunction },
    // The feed function runs the API's entry point, as the API's service.
    { name: "api", fn: d.feedFunction! },
    { name: "delivery", fn: d.deliveryFunction },
    { name: "dead-letter", fn: d.deadLetterFunction },
    { name: "sweeper", fn: d.sweeperFunction },
  ];
}, SYNTH_TIMEOUT_MS);

const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });

describe("functions", () => {
  it("are five arm64 nodejs24.x functions with an ESM handler, source maps off (the sourceMaps default), and a log group each", () => {
    template.resourceCountIs("AWS::Lambda::Function", 5);
    for (const { fn } of fns) {
      const props = functionProps(template, stack, fn);
      expect(props.Runtime).toBe("nodejs24.x");
      expect(props.Architectures).toEqual(["arm64"]);
      expect(props.Handler).toBe("index.handler");
      expect(functionEnv(template, stack, fn).NODE_OPTIONS).toBeUndefined();
      const logging = props.LoggingConfig as Json;
      expect(logging.LogFormat).toBe("JSON");
      // No START/END/REPORT platform lines: they would be most of the log bill.
      expect(logging.SystemLogLevel).toBe("WARN");
      const logGroupId = (logging.LogGroup as { Ref: string }).Ref;
      const logGroup = template.toJSON().Resources[logGroupId] as Resource;
      expect(logGroup.Type).toBe("AWS::Logs::LogGroup");
      expect(logGroup.Properties?.RetentionInDays).toBe(30);
    }
  });

  it("are bundled by esbuild into minified ES modules with a require shim and, by default, no source map", () => {
    for (const { fn } of fns) {
      const files = coldStartFiles(app, template, stack, fn);
      const code = [...files.values()].join("\n");
      expect(bundleFile(app, template, stack, fn, "index.mjs").startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      for (const chunk of files.values()) expect(chunk.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(bundleFile(app, template, stack, fn, "index.mjs")).toMatch(/export\s*\{[^}]*\bhandler\b/);
      expect(code).not.toContain("sourceMappingURL");
      expect(existsSync(join(assetDir(app, template, stack, fn), "index.mjs.map"))).toBe(false);
      // Minified: a few very long lines, not one statement per line.
      expect(code.split("\n").length).toBeLessThan(200);
      // Credentials come from the environment only: none of the default chain's providers is bundled.
      // Each provider names itself in a debug string that minification keeps.
      expect(code).toContain("@aws-sdk/credential-provider-env - fromEnv");
      expect(code.match(/@aws-sdk\/credential-provider-(ini|sso|process|web-identity|http) - \w+/g) ?? []).toEqual([]);
      // What a cold start loads: index.mjs and its static chunks. Dynamic imports are chunks loaded on first use.
      expect([...files.values()].reduce((sum, c) => sum + Buffer.byteLength(c), 0)).toBeLessThan(400 * 1024);
    }
  });

  it("keep the JSON Schema validator out of what the API function's cold start loads", () => {
    const api = fns.find((f) => f.name === "api")?.fn as NodejsFunction;
    const chunks = readdirSync(join(assetDir(app, template, stack, api), "chunks"));
    const engine = chunks.find((c) => c.startsWith("json-schema-engine-"));
    expect(engine).toBeDefined();
    expect([...coldStartFiles(app, template, stack, api).keys()]).not.toContain(`chunks/${engine}`);
  });

  it("load as ES modules on Node 24 and export handler (the createRequire banner works)", () => {
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: "us-east-1",
      TABLE_NAME: "t",
      DELIVERY_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/d",
      SLOW_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/s",
      DEAD_LETTER_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/dl",
      ADMIN_API_KEY_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:k",
    };
    for (const { fn } of fns) {
      const file = join(assetDir(app, template, stack, fn), "index.mjs");
      const probe = "const m = await import(process.argv[1]); if (typeof m.handler !== 'function') process.exit(3);";
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", probe, file], { env, encoding: "utf8", timeout: 30_000 });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
    }
  }, 60_000);

  it("get every setting config.ts reads, and config.ts accepts them (no misspelled names)", () => {
    for (const { name, fn } of fns) {
      const env = functionEnv(template, stack, fn);
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining([
          "TABLE_NAME",
          "DELIVERY_QUEUE_URL",
          "DEAD_LETTER_QUEUE_URL",
          "RETRY_SCHEDULE",
          "DELIVERY_TIMEOUT_MS",
          "LOG_RETENTION_DAYS",
          "LOG_FORMAT",
          "LOG_LEVEL",
          "DESTINATION_ALLOW_CIDRS",
          "MAX_ENDPOINTS_PER_TENANT",
        ]),
      );
      expect(env).toMatchObject({
        RETRY_SCHEDULE: DEFAULT_RETRY_SCHEDULE,
        DELIVERY_TIMEOUT_MS: "15000",
        LOG_RETENTION_DAYS: "30",
        LOG_FORMAT: "json",
        LOG_LEVEL: "INFO",
        DESTINATION_ALLOW_CIDRS: "",
        POWERTOOLS_SERVICE_NAME: name,
        POWERTOOLS_METRICS_NAMESPACE: "Hookrelay",
      });
      expect(env.TABLE_NAME).toEqual(ref(logicalId(stack, stack.dispatcher.table)));
      expect(env.DELIVERY_QUEUE_URL).toEqual(ref(logicalId(stack, stack.dispatcher.deliveryQueue)));
      expect(env.DEAD_LETTER_QUEUE_URL).toEqual(ref(logicalId(stack, stack.dispatcher.deadLetterQueue)));
      // As CloudFormation deploys it in the aws partition (references stood in for by any non-empty string).
      const resolved = deployedEnv(template, env);
      const config = parseConfig(resolved);
      expect(config.retrySchedule).toEqual(schedule);
      expect(config.deliveryTimeoutMs).toBe(15_000);
      expect(config.destinationAllowCidrs).toEqual([]);
      expect(config.maxEndpointsPerTenant).toBe(20);
    }
  });
});

describe("admin key", () => {
  it("is generated by Secrets Manager at deploy time, so no value is in the template", () => {
    template.hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: Match.objectLike({ PasswordLength: 48, ExcludePunctuation: true }),
      SecretString: Match.absent(),
    });
    expect(JSON.stringify(template.toJSON())).not.toContain("{{resolve:secretsmanager");
  });

  it("reaches the API function only as the secret's ARN, never as a value in the environment", () => {
    const secretId = logicalId(stack, stack.dispatcher.adminKeySecret);
    expect(functionEnv(template, stack, stack.dispatcher.apiFunction).ADMIN_API_KEY_SECRET_ARN).toEqual(ref(secretId));
    for (const { fn } of fns) expect(functionEnv(template, stack, fn).ADMIN_API_KEY).toBeUndefined();
    for (const fn of [stack.dispatcher.deliveryFunction, stack.dispatcher.deadLetterFunction]) {
      expect(functionEnv(template, stack, fn).ADMIN_API_KEY_SECRET_ARN).toBeUndefined();
    }
  });
});

describe("queues", () => {
  it("give the delivery queue a visibility timeout of at least 6 x the delivery function's timeout", () => {
    const timeout = functionProps(template, stack, stack.dispatcher.deliveryFunction).Timeout as number;
    expect(timeout).toBe(expected.deliveryFunctionTimeoutSeconds);
    template.hasResourceProperties("AWS::SQS::Queue", { VisibilityTimeout: expected.visibilityTimeoutSeconds });
    const queue = template.toJSON().Resources[logicalId(stack, stack.dispatcher.deliveryQueue)] as Resource;
    expect(queue.Properties?.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * timeout);
  });

  it("dead-letter after every scheduled attempt plus slack (maxReceiveCount from the retry schedule)", () => {
    const queue = template.toJSON().Resources[logicalId(stack, stack.dispatcher.deliveryQueue)] as Resource;
    expect(queue.Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: arnOf(logicalId(stack, stack.dispatcher.deadLetterQueue)),
      maxReceiveCount: expected.maxReceiveCount,
    });
    expect(expected.maxReceiveCount).toBeGreaterThan(schedule.length + 1);
  });

  it("keep messages longer than the whole retry window, jitter included", () => {
    const queue = template.toJSON().Resources[logicalId(stack, stack.dispatcher.deliveryQueue)] as Resource;
    expect(queue.Properties?.MessageRetentionPeriod).toBe(expected.retentionSeconds);
    expect(expected.retentionSeconds).toBeGreaterThan(scheduleWindowSeconds(schedule));
    const dlq = template.toJSON().Resources[logicalId(stack, stack.dispatcher.deadLetterQueue)] as Resource;
    expect(dlq.Properties?.MessageRetentionPeriod).toBe(14 * 86_400);
  });

  it("are encrypted (SSE-SQS) and refuse requests without TLS", () => {
    const queues = resourcesOfType(template, "AWS::SQS::Queue");
    expect(Object.keys(queues)).toHaveLength(3);
    for (const q of Object.values(queues)) expect(q.Properties?.SqsManagedSseEnabled).toBe(true);
    template.resourcePropertiesCountIs(
      "AWS::SQS::QueuePolicy",
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      },
      3,
    );
  });

  it("give the slow lane's queue the delivery queue's settings and dead-letter queue", () => {
    const resources = template.toJSON().Resources as Record<string, Resource>;
    const slow = resources[logicalId(stack, stack.dispatcher.slowQueue)] as Resource;
    const fast = resources[logicalId(stack, stack.dispatcher.deliveryQueue)] as Resource;
    expect(slow.Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: arnOf(logicalId(stack, stack.dispatcher.deadLetterQueue)),
      maxReceiveCount: (fast.Properties?.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount,
    });
    for (const key of ["VisibilityTimeout", "MessageRetentionPeriod"]) expect(slow.Properties?.[key]).toBe(fast.Properties?.[key]);
  });
});

describe("event sources", () => {
  it("feed the delivery function in batches with ReportBatchItemFailures and a concurrency cap", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: arnOf(logicalId(stack, stack.dispatcher.deliveryQueue)),
      FunctionName: ref(logicalId(stack, stack.dispatcher.deliveryFunction)),
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 20 },
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
  });

  it("feed the same function from the slow lane's queue through a second mapping with its own concurrency cap", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: arnOf(logicalId(stack, stack.dispatcher.slowQueue)),
      FunctionName: ref(logicalId(stack, stack.dispatcher.deliveryFunction)),
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it("feed the dead-letter consumer from the dead-letter queue", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: arnOf(logicalId(stack, stack.dispatcher.deadLetterQueue)),
      FunctionName: ref(logicalId(stack, stack.dispatcher.deadLetterFunction)),
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });
});

describe("table", () => {
  it("is on demand with pk/sk, gsi1, gsi2, the TTL attribute, point-in-time recovery and SSE, and is retained", () => {
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      Properties: {
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: "gsi1",
            KeySchema: [
              { AttributeName: "gsi1pk", KeyType: "HASH" },
              { AttributeName: "gsi1sk", KeyType: "RANGE" },
            ],
          }),
          Match.objectLike({
            IndexName: "gsi2",
            KeySchema: [
              { AttributeName: "gsi2pk", KeyType: "HASH" },
              { AttributeName: "gsi2sk", KeyType: "RANGE" },
            ],
          }),
        ],
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
  });
});

describe("least privilege", () => {
  it("grants no wildcard action anywhere (the only '*' actions are the queues' TLS-only Deny statements)", () => {
    const statements = allStatements(template);
    expect(statements.length).toBeGreaterThan(10);
    for (const { owner, statement } of statements) {
      const wild = actionsOf(statement).filter((a) => a.includes("*"));
      if (statement.Effect === "Allow") expect({ owner, wild }).toEqual({ owner, wild: [] });
      else expect(wild.every((a) => a === "sqs:*")).toBe(true);
    }
  });

  it("attaches no AWS managed policy to any role", () => {
    for (const role of Object.values(resourcesOfType(template, "AWS::IAM::Role"))) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });

  it("gives each function exactly the actions its code calls", () => {
    const role = (fn: NodejsFunction) => logicalId(stack, fn.role!);
    const logs = ["logs:CreateLogStream", "logs:PutLogEvents"];
    const consume = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"];
    const d = stack.dispatcher;
    expect(roleActions(template, role(d.apiFunction))).toEqual(
      [
        ...logs,
        "dynamodb:BatchGetItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "secretsmanager:GetSecretValue",
        "sqs:SendMessage",
      ].sort(),
    );
    expect(roleActions(template, role(d.deliveryFunction))).toEqual(
      [
        ...logs,
        ...consume,
        "dynamodb:BatchGetItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "sqs:SendMessage",
      ].sort(),
    );
    expect(roleActions(template, role(d.deadLetterFunction))).toEqual(
      [...logs, ...consume, "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "sqs:SendMessage"].sort(),
    );
    expect(roleActions(template, role(d.sweeperFunction))).toEqual(
      [...logs, "dynamodb:Query", "dynamodb:UpdateItem", "sqs:SendMessage"].sort(),
    );
  });

  it("scopes Query to the table and its indexes by name, the sends to their own queues and the logs to each function's group", () => {
    const tableArn = arnOf(logicalId(stack, stack.dispatcher.table));
    const apiPolicy = JSON.stringify(template.toJSON().Resources);
    expect(apiPolicy).not.toContain("/index/*");
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: "UseTable",
            Resource: [tableArn, { "Fn::Join": ["", [tableArn, "/index/gsi1"]] }, { "Fn::Join": ["", [tableArn, "/index/gsi2"]] }],
          }),
          Match.objectLike({
            Sid: "EnqueueDeliveries",
            Action: "sqs:SendMessage",
            Resource: arnOf(logicalId(stack, stack.dispatcher.deliveryQueue)),
          }),
          Match.objectLike({
            Sid: "EnqueueSlowLaneDeliveries",
            Action: "sqs:SendMessage",
            Resource: arnOf(logicalId(stack, stack.dispatcher.slowQueue)),
          }),
          Match.objectLike({ Sid: "ReadAdminKey", Resource: ref(logicalId(stack, stack.dispatcher.adminKeySecret)) }),
        ]),
      },
    });
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: "DeadLetterExhausted",
            Action: "sqs:SendMessage",
            Resource: arnOf(logicalId(stack, stack.dispatcher.deadLetterQueue)),
          }),
        ]),
      },
    });
    for (const { fn } of fns) {
      const logGroup = ((functionProps(template, stack, fn).LoggingConfig as Json).LogGroup as { Ref: string }).Ref;
      template.hasResourceProperties("AWS::IAM::Policy", {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: "WriteOwnLogs", Resource: arnOf(logGroup) })]) },
        Roles: [ref(logicalId(stack, fn.role!))],
      });
    }
  });
});

describe("HTTP API", () => {
  it("sends every request ($default route) to the API function through a Lambda proxy integration", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", { ProtocolType: "HTTP" });
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "$default" });
    template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
      IntegrationType: "AWS_PROXY",
      PayloadFormatVersion: "2.0",
      IntegrationUri: arnOf(logicalId(stack, stack.dispatcher.apiFunction)),
    });
  });

  it("logs every request as JSON to its own log group, without headers, and is throttled", () => {
    const stage = Object.values(resourcesOfType(template, "AWS::ApiGatewayV2::Stage"));
    expect(stage).toHaveLength(1);
    const props = stage[0]?.Properties as Json;
    expect(props.StageName).toBe("$default");
    expect(props.AutoDeploy).toBe(true);
    expect(props.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 });
    const logs = props.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(logs.DestinationArn).toEqual(arnOf(logicalId(stack, stack.dispatcher.accessLogGroup!)));
    const format = JSON.parse(logs.Format) as Record<string, string>;
    expect(format.requestId).toBe("$context.requestId");
    expect(format.status).toBe("$context.status");
    // Lean: only what an investigation needs, since every byte is billed.
    expect(Object.keys(format)).toEqual(["requestId", "ip", "method", "path", "status", "latencyMs", "integrationError"]);
    expect(logs.Format.toLowerCase()).not.toContain("authorization");
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
  });
});

describe("observability", () => {
  it("alarms when the dead-letter queue holds any message", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalId(stack, stack.dispatcher.deadLetterQueue), "QueueName"] } }],
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: 0,
      TreatMissingData: "notBreaching",
    });
  });

  it.each([
    "deliveryQueue",
    "slowQueue",
  ] as const)("alarms when the oldest delivery in %s waits longer than the threshold (15 minutes by default)", (queue) => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SQS",
      MetricName: "ApproximateAgeOfOldestMessage",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalId(stack, stack.dispatcher[queue]), "QueueName"] } }],
      Threshold: 900,
      ComparisonOperator: "GreaterThanThreshold",
    });
  });

  it("alarms on the delivery failure rate, Failures / Attempts from the Hookrelay EMF metrics", () => {
    const metric = (id: string, name: string) =>
      Match.objectLike({
        Id: id,
        ReturnData: false,
        MetricStat: Match.objectLike({
          Metric: { Namespace: "Hookrelay", MetricName: name, Dimensions: [{ Name: "service", Value: "delivery" }] },
          Stat: "Sum",
        }),
      });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Threshold: 0.5,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: "FILL(failures, 0) / attempts" }),
        metric("failures", "Failures"),
        metric("attempts", "Attempts"),
      ]),
    });
  });

  it("has no alarm topic unless asked for one, so the alarms have no actions", () => {
    template.resourceCountIs("AWS::SNS::Topic", 0);
    for (const alarm of Object.values(resourcesOfType(template, "AWS::CloudWatch::Alarm"))) {
      expect(alarm.Properties?.AlarmActions).toBeUndefined();
    }
  });

  it("has a dashboard that graphs every delivery metric, the queues and the API", () => {
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    const body = JSON.stringify(Object.values(resourcesOfType(template, "AWS::CloudWatch::Dashboard"))[0]?.Properties?.DashboardBody);
    for (const name of ["Attempts", "Successes", "Failures", "Exhausted", "DeliveryLatency"]) {
      expect(body).toContain(`\\"Hookrelay\\",\\"${name}\\"`);
    }
    for (const name of [
      "ApproximateAgeOfOldestMessage",
      "ApproximateNumberOfMessagesVisible",
      "AWS/ApiGateway",
      '\\"type\\":\\"alarm\\"',
    ]) {
      expect(body).toContain(name);
    }
  });
});

describe("outputs", () => {
  it("print the API URL, the admin key secret's ARN, the dead-letter queue URL and the dashboard", () => {
    const d = stack.dispatcher;
    template.hasOutput("ApiUrl", {
      Value: {
        "Fn::Join": [
          "",
          ["https://", ref(logicalId(stack, d.httpApi!)), ".execute-api.", ref("AWS::Region"), ".", ref("AWS::URLSuffix"), "/"],
        ],
      },
    });
    template.hasOutput("AdminKeySecretArn", { Value: ref(logicalId(stack, d.adminKeySecret)) });
    template.hasOutput("DeadLetterQueueUrl", { Value: ref(logicalId(stack, d.deadLetterQueue)) });
    template.hasOutput("DashboardName", { Value: ref(logicalId(stack, d.dashboard)) });
    template.hasOutput("DashboardUrl", { Value: { "Fn::Join": ["", Match.arrayWith([ref(logicalId(stack, d.dashboard))])] } });
  });
});

describe("the sweeper", () => {
  it("runs every five minutes on an EventBridge schedule", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(5 minutes)",
      State: "ENABLED",
      Targets: [{ Arn: arnOf(logicalId(stack, stack.dispatcher.sweeperFunction)), RetryPolicy: { MaximumRetryAttempts: 2 } }],
    });
  });
});
