/**
 * Reads a text file the user pointed Model Lab at (an experiment, a CSV, a
 * text corpus) and says plainly why it cannot be read: a folder, a pipe or
 * device (reading one would block forever), missing, unreadable, or not
 * UTF-8 (decoding it anyway would train on replacement characters).
 */
import * as l10n from '@vscode/l10n';
import { readFile, stat } from 'node:fs/promises';

export type UserText =
  | { ok: true; text: string }
  /** `reason` completes "<file>: …"; `line` is 1-based where one is at fault. */
  | { ok: false; reason: string; line?: number };

/** `what` names the file's role in messages, e.g. "the experiment file". */
export async function readUserText(path: string, what: string): Promise<UserText> {
  let bytes: Buffer;
  try {
    // stat first: opening a FIFO for reading would wait for a writer forever.
    const info = await stat(path);
    if (info.isDirectory())
      return {
        ok: false,
        reason: l10n.t('{0} is a folder, not a file; give the path of the file itself', what),
      };
    if (!info.isFile())
      return {
        ok: false,
        reason: l10n.t(
          '{0} is not a regular file (a pipe, socket or device); point Model Lab at a file on disk',
          what,
        ),
      };
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, reason: unreadableReason(error, what) };
  }
  const badByte = firstInvalidUtf8Byte(bytes);
  if (badByte !== undefined) {
    return {
      ok: false,
      reason: l10n.t(
        '{0} is not valid UTF-8 text (byte {1} cannot be decoded); save it with UTF-8 encoding',
        what,
        badByte + 1,
      ),
      line: lineOfByte(bytes, badByte),
    };
  }
  // A byte-order mark is not content: the editor hides it, so must every reader.
  return { ok: true, text: bytes.toString('utf8').replace(/^\uFEFF/, '') };
}

function unreadableReason(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return l10n.t('{0} does not exist', what);
  if (code === 'EACCES' || code === 'EPERM')
    return l10n.t('{0} cannot be read: permission denied — make it readable', what);
  return l10n.t('{0} cannot be read: {1}', what, error instanceof Error ? error.message : String(error));
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence; undefined when all are valid. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    // Rare path: find where, sequence by sequence (RFC 3629 ranges).
  }
  for (let i = 0; i < bytes.length;) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return undefined;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  const continuation = (k: number, low = 0x80, high = 0xbf): boolean =>
    i + k < bytes.length && bytes[i + k] >= low && bytes[i + k] <= high;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return continuation(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const low = b === 0xe0 ? 0xa0 : 0x80;
    const high = b === 0xed ? 0x9f : 0xbf;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const low = b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xf4 ? 0x8f : 0xbf;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
