/** Reading the observability tests' objects out of a run: a Helm release's inputs, the NetworkPolicies, a peer's namespace. */
import { findResource, ofType, ProgramRun } from "../tools/harness";

/** The inputs of the Helm release `<name>-release`. */
export const release = (run: ProgramRun, name: string) =>
    findResource(run, "kubernetes:helm.sh/v3:Release", `${name}-release`).inputs;
/** Every NetworkPolicy's inputs. */
export const policies = (run: ProgramRun) =>
    ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs);
/** The namespace a NetworkPolicy peer selects by its metadata name label. */
export const peerNamespace = (peer: any) =>
    peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
