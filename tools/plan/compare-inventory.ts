/**
 * The inventory part of a plan comparison: the registrations added, removed and changed (by URN),
 * counted by type, and the replacements of stateful resources, which lose what they hold.
 */
import { isDeepStrictEqual } from "util";

/** What the comparison keeps of one registration. */
export interface ResourceRecord {
    urn: string;
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** A stateful type: the inputs that fix a resource's identity (a change replaces it), and what a replacement loses. */
interface StatefulType {
    identity: string[];
    reason: string;
}

/**
 * The stateful types whose replacement loses data or workloads, each with the inputs (as
 * @pulumi/aws 7.48.0 and @pulumi/eks name them) that AWS cannot change in place. Sources: a KMS
 * key's KeySpec, KeyUsage and MultiRegion are immutable (AWS CloudFormation User Guide,
 * AWS::KMS::Key: "If you change the value of the KeySpec, KeyUsage, Origin, or MultiRegion
 * properties of an existing KMS key, the update request fails"); a queue's type cannot change
 * (Amazon SQS API Reference, CreateQueue) and its name is its URL; a table's name and key schema
 * are set by CreateTable and UpdateTable changes neither (Amazon DynamoDB API Reference); an EKS
 * cluster's name is fixed by CreateCluster (Amazon EKS API Reference).
 */
export const STATEFUL_TYPES: Record<string, StatefulType> = {
    "aws:dynamodb/table:Table": {
        identity: ["name", "hashKey", "rangeKey"],
        reason: "a new table starts empty; the old one's items go with it",
    },
    "aws:kms/key:Key": {
        identity: ["customerMasterKeySpec", "keyUsage", "multiRegion"],
        reason: "a new key cannot decrypt what the old one encrypted, and the old one is scheduled for deletion",
    },
    "aws:sqs/queue:Queue": {
        identity: ["name", "fifoQueue"],
        reason: "a new queue starts empty; the messages waiting in the old one are lost",
    },
    "eks:index:Cluster": {
        identity: ["name"],
        reason: "a new cluster: every node and workload on the old one is recreated",
    },
};

/** One stateful resource the change replaces, and how the comparison detected it. */
export interface Replacement {
    type: string;
    /** The base's URN, and the working tree's (the same when an identity input changed). */
    before: string;
    after: string;
    /**
     * The identity inputs that differ; or "urn" when the resource is removed while one of its type
     * is added (the one of the same name when there is one, else each added one of the type).
     */
    changed: string[];
    reason: string;
}

export interface InventoryComparison {
    /** Counts by type. */
    added: Record<string, number>;
    removed: Record<string, number>;
    /** Same URN, different inputs. */
    changed: Record<string, number>;
    replacements: Replacement[];
}

function count(resources: ResourceRecord[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return counts;
}

/** Compares two runs' registrations by URN. */
export function compareInventory(before: ResourceRecord[], after: ResourceRecord[]): InventoryComparison {
    const old = new Map(before.map((r) => [r.urn, r]));
    const now = new Map(after.map((r) => [r.urn, r]));
    const added = after.filter((r) => !old.has(r.urn));
    const removed = before.filter((r) => !now.has(r.urn));
    const changed = after.filter(
        (r) => old.has(r.urn) && !isDeepStrictEqual(old.get(r.urn)!.inputs, r.inputs),
    );
    const replacements: Replacement[] = [];
    for (const r of changed) {
        const stateful = STATEFUL_TYPES[r.type];
        const inputs = old.get(r.urn)!.inputs;
        const differing =
            stateful?.identity.filter((key) => !isDeepStrictEqual(inputs[key], r.inputs[key])) ?? [];
        if (differing.length > 0) {
            replacements.push({
                type: r.type,
                before: r.urn,
                after: r.urn,
                changed: differing,
                reason: stateful.reason,
            });
        }
    }
    for (const gone of removed) {
        const stateful = STATEFUL_TYPES[gone.type];
        const sameType = added.filter((r) => r.type === gone.type);
        const sameName = sameType.filter((r) => r.name === gone.name);
        const successors = sameName.length > 0 ? sameName : sameType;
        if (stateful && successors.length > 0) {
            for (const next of successors) {
                replacements.push({
                    type: gone.type,
                    before: gone.urn,
                    after: next.urn,
                    changed: ["urn"],
                    reason: stateful.reason,
                });
            }
        }
    }
    return { added: count(added), removed: count(removed), changed: count(changed), replacements };
}
