/**
 * dynalite and fauxqs, each behind its counting proxy, in a process of their own (issue 27): the
 * cost stage prices a function's CPU time per invocation, and emulators answering in the function's
 * process would put their own work into it (the same commit billed $4.81 and $6.71). The stack
 * process (stack-process.ts) forks this one and reads the counts over IPC.
 */
import { startDynamo, startSqs } from "../../local/emulators.ts";
import { serveParent } from "./child.ts";
import { startCountingProxy } from "./counting-proxy.ts";

/** The proxies' URLs, which the stack takes as the emulators'. */
export interface EmulatorsReady {
  dynamoUrl: string;
  sqsUrl: string;
}

const dynamo = await startDynamo(undefined);
const sqs = await startSqs(undefined);
const proxies = { dynamodb: await startCountingProxy(dynamo.url), sqs: await startCountingProxy(sqs.url) };

serveParent(
  {
    take: () => ({ dynamodb: proxies.dynamodb.take(), sqs: proxies.sqs.take() }),
    peek: () => ({ dynamodb: proxies.dynamodb.peek(), sqs: proxies.sqs.peek() }),
    takeKeyWrites: () => proxies.dynamodb.takeKeyWrites(),
  },
  async () => {
    await Promise.all([proxies.dynamodb.stop(), proxies.sqs.stop()]);
    await Promise.all([dynamo.stop(), sqs.stop()]);
  },
);

process.send?.({ dynamoUrl: proxies.dynamodb.url, sqsUrl: proxies.sqs.url } satisfies EmulatorsReady);
