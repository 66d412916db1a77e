// How the set-up steps fail: a SetupError's message says what went wrong and what to
// do, and the scripts print it as it is, without a stack trace.
import { fileURLToPath } from 'node:url';

export class SetupError extends Error {}

/** Runs the set-up `step`; a SetupError ends the process with its message and exit 1. */
export async function setUpOrExit(step) {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(`\n${error.message}`);
    process.exit(1);
  }
}

/** Runs `step` with the command-line arguments when `moduleUrl` is the script Node was started with. */
export async function runWhenMain(moduleUrl, step) {
  if (process.argv[1] === fileURLToPath(moduleUrl)) await setUpOrExit(() => step(process.argv.slice(2)));
}
