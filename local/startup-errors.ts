import { ConfigError } from "../functions/core/kernel/errors.ts";

/** A reason the local stack cannot start that the user can fix: its message is all they need to see. */
export class LocalStackError extends Error {
  override readonly name: string = "LocalStackError";
}

/** Another local stack, still running, holds the data directory. */
export class DataDirInUseError extends LocalStackError {
  override readonly name = "DataDirInUseError";
  /** The PID of the process that holds the directory. */
  readonly holderPid: number;
  constructor(dataDir: string, holderPid: number, lockFile: string) {
    super(
      `${dataDir} is in use by another local stack (PID ${holderPid}): stop it (kill ${holderPid}), or use another DATA_DIR or --in-memory; if PID ${holderPid} is no local stack, delete ${lockFile}`,
    );
    this.holderPid = holderPid;
  }
}

/**
 * The error to report when a server of ours could not listen on the port `variable` asked for: a
 * busy or privileged port is the user's to fix, so it becomes one line naming the variable.
 */
export function listenFailure(variable: string, port: number, error: unknown): unknown {
  const reasons: Record<string, string> = {
    EADDRINUSE: `port ${port} is in use on 127.0.0.1: stop what listens there, or set ${variable} to another port`,
    EACCES: `port ${port} needs privileges this user lacks: set ${variable} to 1024 or above`,
  };
  const reason = reasons[String((error as { code?: unknown } | undefined)?.code)];
  return reason === undefined ? error : new LocalStackError(reason, { cause: error });
}

/**
 * The one line to print for a failure the user can fix (a setting, a port, a data directory in use,
 * an unknown option); undefined for anything else, which is a bug and keeps its stack trace.
 */
export function userFacingMessage(error: unknown): string | undefined {
  if (error instanceof LocalStackError || error instanceof ConfigError) return error.message;
  const code = (error as { code?: unknown } | undefined)?.code;
  // node:util parseArgs: an unknown or malformed option.
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) return (error as Error).message.split("\n")[0];
  return undefined;
}

/** Ends the process on a startup failure: one line for the user's mistakes, the stack trace for bugs. */
export function failStartup(command: string, error: unknown): never {
  const message = userFacingMessage(error);
  if (message === undefined) throw error;
  process.stderr.write(`${command}: ${message}\n`);
  process.exit(1);
}
