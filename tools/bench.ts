/**
 * What `npm run bench` is made of: wall times of fresh processes, progress on stderr while the
 * minutes pass, and figures held against their targets (a miss is marked, never fatal: the bench
 * reports, it does not test).
 */
import { spawnSync } from "child_process";
import { REPO_ROOT } from "./harness";

/** One measured figure against its target. */
export interface Figure {
    name: string;
    /** The measurement, in words and numbers. */
    value: string;
    /** The target, in words. */
    target: string;
    met: boolean;
}

/** Seconds since `start` (a process.hrtime.bigint()). */
export const secondsSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** The middle of `xs`, sorted: its median, or the upper of the two middles when their number is even. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A command the bench times: what to run, with which extra environment. */
export interface Timed {
    label: string;
    command: string;
    args: string[];
    env?: NodeJS.ProcessEnv;
}

/**
 * The median wall time of each command over `runs` rounds. The commands take turns within a round,
 * so that a machine busy for part of the run weighs on each of them alike.
 */
export function interleavedTimes(commands: Timed[], runs: number): number[] {
    const times = commands.map(() => [] as number[]);
    for (let round = 0; round < runs; round++) {
        commands.forEach((c, i) => {
            progress(`  ${c.label} (${round + 1}/${runs})`);
            const start = process.hrtime.bigint();
            const result = spawnSync(c.command, c.args, {
                cwd: REPO_ROOT,
                encoding: "utf8",
                env: { ...process.env, ...c.env },
                maxBuffer: 1 << 28,
            });
            if (result.status !== 0 && result.status !== 1) {
                throw new Error(`${c.command} ${c.args.join(" ")} failed: ${result.stderr}`);
            }
            times[i].push(secondsSince(start));
        });
    }
    return times.map(median);
}

/** A line on stderr: where the bench is, while its figures go to stdout. */
export function progress(line: string): void {
    process.stderr.write(`${line}\n`);
}

/** `measured` against `baseline`, met when the ratio is at most `most`; `target` says it in words. */
export function ratioFigure(
    name: string,
    measured: number,
    baseline: number,
    most: number,
    target: string,
): Figure {
    const ratio = measured / baseline;
    return {
        name,
        value: `${measured.toFixed(2)} s vs ${baseline.toFixed(2)} s: ${ratio.toFixed(2)}x`,
        target,
        met: ratio <= most,
    };
}

/** The figures as printed: each with its target, a miss marked. */
export function formatFigures(figures: Figure[]): string {
    const lines = figures.map(
        (f, i) => `${i + 1}. ${f.met ? "ok  " : "MISS"} ${f.name}: ${f.value} (target: ${f.target})`,
    );
    const missed = figures.filter((f) => !f.met).length;
    return [
        ...lines,
        "",
        missed === 0
            ? "every figure meets its target"
            : `${missed} of ${figures.length} figures miss their target`,
    ].join("\n");
}
