/**
 * Lambda's application log filter for JSON-format logs, as its documentation states it
 * (docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html): a line is kept
 * when its level is at or above the function's level; a line whose `level` is missing or invalid
 * is treated as INFO.
 */
const RANKS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/** Whether Lambda sends the JSON line to CloudWatch Logs under the given application log level. */
export function lambdaKeeps(line: Record<string, unknown>, applicationLogLevel: string): boolean {
  const given = typeof line.level === "string" ? line.level.toUpperCase() : "";
  const level = RANKS.includes(given) ? given : "INFO";
  return RANKS.indexOf(level) >= RANKS.indexOf(applicationLogLevel.toUpperCase());
}
