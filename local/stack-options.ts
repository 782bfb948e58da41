/**
 * What startLocalStack (local/stack.ts) takes: its options, and the hooks a caller such as the
 * bench puts around it, with the names of the functions and handlers those hooks see.
 */
import type { Context } from "aws-lambda";
import type { Emulator } from "./emulators.ts";

/** The Lambda functions the local stack runs. */
export type FunctionName = "api" | "delivery" | "dead-letter" | "sweeper" | "push";

/** A Lambda handler as the stack drives it. */
export type Handler<E = never, R = unknown> = (event: E, context: Context) => Promise<R>;

/** What a caller such as the bench puts around the stack; each hook is optional and off by default. */
export interface StackHooks {
  /**
   * Puts something in front of an emulator (the bench's counting proxy): the functions and the
   * stack reach the service through the URL it answers, and `stop` runs when the stack stops.
   */
  frontEmulator?(service: "dynamodb" | "sqs", url: string): Promise<Emulator>;
  /**
   * Starts the emulators outside the stack's process (the bench's cost stage, so that a function's
   * CPU time holds none of the emulators' work) and answers their URLs; the stack starts none itself.
   */
  startEmulators?(): Promise<{ dynamodb: Emulator; sqs: Emulator }>;
  /** Wraps a function's handler before the stack drives it (the bench times each invocation). */
  wrapHandler?<E, R>(name: FunctionName, handler: Handler<E, R>): Handler<E, R>;
  /**
   * The URL of a module the slow lane's thread imports first: its `wrapHandler(name, handler)`
   * export, if any, wraps the delivery handler there, and what it posts to the parent port as
   * `{kind: "hook", data}` reaches `onLaneThreadMessage`.
   */
  laneThreadHooks?: string;
  onLaneThreadMessage?(data: unknown): void;
}

export interface LocalStackOptions {
  port: number;
  /** The WebSocket push server's port on 127.0.0.1 (0: any free port). @default 0 */
  wsPort?: number;
  /** Where DynamoDB and SQS keep their data; undefined runs in memory. */
  dataDir: string | undefined;
  deadLetterConsumer: boolean;
  /** Concurrent delivery pollers (Lambda concurrency). */
  concurrency: number;
  /** Concurrent pollers of the slow lane's queue (its event source's own concurrency). @default concurrency */
  slowConcurrency?: number;
  /** Polls the delivery queue from the start; false leaves it to `startDelivery` (the bench measures intake alone). */
  deliverAutomatically: boolean;
  /** Put pausable proxies in front of the emulators (see `outage`). */
  faultInjection: boolean;
  /** How often the sweeper runs, as its EventBridge schedule does in AWS; false runs no sweeper. */
  sweepIntervalMs: number | false;
  /** How often the scheduler moves due scheduled messages, as its one-minute rule does in AWS; absent or false runs none. */
  scheduleIntervalMs?: number | false;
  /** Overrides the delivery queue's visibility timeout (how long a crashed worker's message stays hidden). */
  visibilityTimeoutSeconds?: number;
  log: (line: string) => void;
  hooks?: StackHooks;
}
