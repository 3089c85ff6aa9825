/** The command-line shape the offline tools share: `--stack <name>`, exit 2 on any error. */

/** The value of `--stack`, or undefined when it is missing. */
export function stackArgument(argv = process.argv): string | undefined {
    return optionValue("--stack", argv);
}

/** The value after `flag` (e.g. `--upgrade-to`), or undefined when the flag is missing. */
export function optionValue(flag: string, argv = process.argv): string | undefined {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
}

/**
 * Runs a tool's body and exits with its code; a missing `--stack` prints `usage` and an error
 * prints `<tool>: <message>`, both with exit code 2.
 */
export function runCli(tool: string, usage: string, body: (stack: string) => Promise<number>): void {
    const stack = stackArgument();
    const run = stack
        ? body(stack)
        : Promise.reject(Object.assign(new Error(`usage: ${usage}`), { usage: true }));
    run.then(
        (code) => process.exit(code),
        (e: Error & { usage?: boolean }) => {
            console.error(e.usage ? e.message : `${tool}: ${e.message}`);
            process.exit(2);
        },
    );
}
