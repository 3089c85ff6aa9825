/** Views of a program run's Kubernetes objects, shared by the cluster platform's test files. */
import { ProgramRun } from "../tools/harness";

/** Kubernetes objects the program registers (custom resources of the kubernetes provider, not releases or bundles). */
export const k8sObjects = (run: ProgramRun) =>
    run.resources.filter(
        (r) =>
            r.custom &&
            r.type.startsWith("kubernetes:") &&
            !r.type.startsWith("kubernetes:helm.sh") &&
            !r.type.startsWith("kubernetes:yaml"),
    );

/** The Kubernetes objects of one kind the program registers. */
export const byKind = (run: ProgramRun, kind: string) =>
    k8sObjects(run).filter((r) => r.inputs.kind === kind);
