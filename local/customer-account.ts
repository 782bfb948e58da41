import { type ErrorProtocol, type Fault, type FaultProxy, startDestinationFaults } from "./destination-faults.ts";
import { type Emulator, startKinesis } from "./emulators.ts";
import { type RecordingEventBridge, type RecordingSts, startRecordingEventBridge, startRecordingSts } from "./recording-aws.ts";

/*
 * The customer's AWS account, as the local stack plays it for AWS destinations: fauxqs (the same
 * server as the dispatcher's own queues) serves SQS, SNS and S3, kinesalite serves Kinesis, each
 * behind a fault proxy; a recording STS and a recording EventBridge stand in for the services that
 * have no emulator. The destination clients reach them through DESTINATION_ENDPOINT_URLS.
 */

export type CustomerService = "sqs" | "sns" | "s3" | "kinesis";
const PROTOCOL: Record<CustomerService, ErrorProtocol> = { sqs: "json", sns: "query", s3: "rest-xml", kinesis: "json" };

/** The customer's account on loopback. */
export interface CustomerAccount {
  /** Where each service answers (through its fault proxy), as DESTINATION_ENDPOINT_URLS lists them. */
  urls: Record<CustomerService | "events" | "sts", string>;
  /** The emulators themselves, without the fault proxies (for reading what arrived). */
  direct: { fauxqs: string; kinesis: string };
  sts: RecordingSts;
  eventBridge: RecordingEventBridge;
  /** Answers `fault` to every call of `service` naming `target` (a queue, topic, bucket or stream name); undefined clears it. */
  fault(service: CustomerService, target: string, fault: Fault | undefined): void;
  /** Requests of `service` answered with a fault so far. */
  faulted(service: CustomerService): number;
  stop(): Promise<void>;
}

/** Starts the customer's account in front of the stack's fauxqs at `fauxqsUrl`. */
export async function startCustomerAccount(fauxqsUrl: string): Promise<CustomerAccount> {
  const kinesis: Emulator = await startKinesis();
  const proxies = {} as Record<CustomerService, FaultProxy>;
  for (const service of ["sqs", "sns", "s3", "kinesis"] as const) {
    proxies[service] = await startDestinationFaults(service === "kinesis" ? kinesis.url : fauxqsUrl, PROTOCOL[service]);
  }
  const [sts, eventBridge] = await Promise.all([startRecordingSts(), startRecordingEventBridge()]);
  return {
    urls: {
      sqs: proxies.sqs.url,
      sns: proxies.sns.url,
      s3: proxies.s3.url,
      kinesis: proxies.kinesis.url,
      events: eventBridge.url,
      sts: sts.url,
    },
    direct: { fauxqs: fauxqsUrl, kinesis: kinesis.url },
    sts,
    eventBridge,
    fault: (service, target, fault) => proxies[service].fault(target, fault),
    faulted: (service) => proxies[service].faulted(),
    stop: async () => {
      await Promise.all([...Object.values(proxies).map((p) => p.stop()), sts.stop(), eventBridge.stop()]);
      await kinesis.stop();
    },
  };
}

/** DESTINATION_ENDPOINT_URLS for the account. */
export function endpointUrlsSetting(account: CustomerAccount): string {
  return Object.entries(account.urls)
    .map(([service, url]) => `${service}=${url}`)
    .join(",");
}
