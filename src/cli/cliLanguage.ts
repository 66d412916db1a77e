/**
 * The CLI's language, as command-line tools choose it: `--lang <tag>` (or `--lang=<tag>`) first,
 * then the POSIX locale variables in their order of precedence (LC_ALL, LC_MESSAGES, LANG).
 * Read before commander parses anything, since the help texts are translated too.
 */
export function cliLanguage(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--lang' && argv[i + 1]) return argv[i + 1];
    if (argv[i].startsWith('--lang=')) return argv[i].slice('--lang='.length);
  }
  return env.LC_ALL || env.LC_MESSAGES || env.LANG || 'en';
}
