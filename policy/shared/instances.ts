/** The EC2 instance types node groups may use: vCPU, memory (GiB) and CPU architecture. */

export type Architecture = "arm64" | "x86_64";

export interface InstanceCapacity {
    vcpu: number;
    memoryGiB: number;
    architecture: Architecture;
}

const graviton = (vcpu: number, memoryGiB: number): InstanceCapacity => ({ vcpu, memoryGiB, architecture: "arm64" });
const x86 = (vcpu: number, memoryGiB: number): InstanceCapacity => ({ vcpu, memoryGiB, architecture: "x86_64" });

export const INSTANCE_CAPACITY: Record<string, InstanceCapacity> = {
    "t4g.medium": graviton(2, 4),
    "t4g.large": graviton(2, 8),
    "m7g.large": graviton(2, 8),
    "m7g.xlarge": graviton(4, 16),
    "m7g.2xlarge": graviton(8, 32),
    "m7g.4xlarge": graviton(16, 64),
    "m6g.large": graviton(2, 8),
    "m6g.xlarge": graviton(4, 16),
    "m6g.2xlarge": graviton(8, 32),
    "m6g.4xlarge": graviton(16, 64),
    "c7g.xlarge": graviton(4, 8),
    "c7g.2xlarge": graviton(8, 16),
    "c7g.4xlarge": graviton(16, 32),
    "c6g.2xlarge": graviton(8, 16),
    "r7g.xlarge": graviton(4, 32),
    "m7i.large": x86(2, 8),
    "m7i.xlarge": x86(4, 16),
    "m7i.2xlarge": x86(8, 32),
    "c7i.2xlarge": x86(8, 16),
};
