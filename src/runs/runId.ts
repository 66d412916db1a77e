/**
 * Run ids sort by start time as plain strings (`20261129-015203`), so a
 * directory listing is already in chronological order.
 */
export function runIdFor(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

/** A file-system-safe folder name for an experiment name (letters, digits, `-`, `_`, `.`). */
export function experimentFolderName(name: string): string {
  const safe = name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return safe.length > 0 ? safe : 'experiment';
}
