// The command line of `npm run backup -- DIR` and `npm run restore -- DIR`: one directory, or --help.

/** Asked for the usage (--help, -h): printed on stdout, exit 0, and nothing else done. */
export class HelpAsked extends Error {}

/**
 * The DIR of the command line. Anything starting with "-" is an option, never a directory: `--help` taken as
 * one had a whole backup written into ./--help. A mistake is an Error whose message says what is wrong, then
 * the usage; the CLI prints it and exits 1, as for any other refusal.
 */
export function directoryArgument(argv: string[], usage: string): string {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) throw new HelpAsked(usage);
  const option = argv.find((arg) => arg.startsWith('-'));
  if (option) throw new Error(`unknown option ${option} (for a directory of that name, write ./${option})\n${usage}`);
  if (argv.length !== 1) throw new Error(`${argv.length === 0 ? 'no DIR given' : `one DIR, not ${argv.length}`}\n${usage}`);
  return argv[0];
}

/** The end of the CLI: the usage on stdout for --help, exit 0; any other error's message on stderr, exit 1. */
export function exitOn(error: unknown): never {
  if (error instanceof HelpAsked) {
    console.log(error.message);
    process.exit(0);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
