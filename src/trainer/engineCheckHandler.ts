// Training-process side of src/protocol/engineCheck.ts: answers one request.
import { type EngineCheckReply, isEngineCheckRequest } from '../protocol/engineCheck';
import { runEngineCheck } from './engineCheck';

/** Handles `message` when it is an engine-check request; returns false otherwise. */
export function handleEngineCheckMessage(message: unknown, send: (reply: EngineCheckReply) => void): boolean {
  if (!isEngineCheckRequest(message)) return false;
  runEngineCheck().then(
    (report) => send({ type: 'engineCheck/report', report }),
    (error: unknown) =>
      send({ type: 'engineCheck/failure', message: error instanceof Error ? error.message : String(error) }),
  );
  return true;
}
