/**
 * AWS unit prices in us-east-1, dollars per unit, as the cost stage bills them (the "Prices" table of
 * the project's reference notes; on-demand, no free tier). Each key is one kind of charge.
 */
export const PRICES = {
  /** HTTP API, per request (first 300 million a month). */
  apiGatewayRequest: 1.0 / 1e6,
  /** Lambda, per invocation. */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda on arm64, per GB-second of billed duration. */
  lambdaGbSecondArm: 0.0000133334,
  /** SQS standard, per request, each started 64 KB of payload billed as one. */
  sqsRequest: 0.4 / 1e6,
  /** DynamoDB on-demand, per write request unit. */
  dynamoWriteUnit: 0.625 / 1e6,
  /** DynamoDB on-demand, per read request unit. */
  dynamoReadUnit: 0.125 / 1e6,
  /** DynamoDB provisioned capacity, per write capacity unit-hour (one write a second for an hour). */
  dynamoWriteUnitHour: 0.00065,
  /** DynamoDB provisioned capacity, per read capacity unit-hour. */
  dynamoReadUnitHour: 0.00013,
  /** DynamoDB Standard table class, storage per GB-month (first 25 GB free, not counted). */
  dynamoStorageGbMonth: 0.25,
  /** DynamoDB continuous backups (point-in-time recovery), per GB-month of table size. */
  dynamoPitrGbMonth: 0.2,
  /** CloudWatch Logs, per byte ingested ($0.50 per GB). */
  logsIngestedByte: 0.5 / 1024 ** 3,
} as const;

/** One kind of charge, priced by PRICES. */
export type Charge = keyof typeof PRICES;
