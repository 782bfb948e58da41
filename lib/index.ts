/**
 * The package's entry point (`import { WebhookDispatcher } from "hookrelay"`): the construct, its
 * props and alarms, the thin stack around it, and the names of the metrics its functions publish.
 */
export { ACCESS_LOG_FIELDS } from "./access-log.ts";
export { type DispatcherMetricOptions, dispatcherMetric } from "./dispatcher-metrics.ts";
export { DELIVERY_METRICS, METRICS_NAMESPACE, SERVICE_NAMES } from "./dispatcher-monitoring.ts";
export {
  ALARMS_UNHEARD_WARNING,
  DEFAULT_RETRY_SCHEDULE,
  everyAlarm,
  WebhookDispatcher,
  type WebhookDispatcherAlarms,
  type WebhookDispatcherProps,
  WebhookDispatcherPropsError,
} from "./webhook-dispatcher.ts";
export { WebhookDispatcherStack, type WebhookDispatcherStackProps } from "./webhook-dispatcher-stack.ts";
