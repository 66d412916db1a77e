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

/**
 * The CLI's language as Intl takes it, for dates: `zh_CN.UTF-8` → `zh-CN`; English for C, POSIX
 * and languages Intl has no formats for (rather than whatever locale the runtime falls back to).
 */
export function intlLocale(language: string): string {
  const tag = language.split(/[.@]/)[0].replace(/_/g, '-');
  if (/^(c|posix)?$/i.test(tag)) return 'en';
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag])[0] ?? 'en';
  } catch {
    // Not a language tag at all (RangeError).
    return 'en';
  }
}
