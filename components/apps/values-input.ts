/** The chart values the program builds before Pulumi resolves them: any value may still be a stack output. */
import * as pulumi from "@pulumi/pulumi";

/** `T` with any of its values given as a Pulumi input (a stack output), resolved before the chart sees it. */
export type ValuesInput<T> = T extends string | number | boolean
    ? pulumi.Input<T>
    : T extends (infer E)[]
      ? ValuesInput<E>[]
      : T extends object
        ? { [K in keyof T]: ValuesInput<T[K]> }
        : T;
