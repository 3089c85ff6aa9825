/** A pod that passes the restricted level, and the shape of a one-change failing case of the Pod Security engine. */
import type { PodMetadata, PodSpec } from "../vocabulary/pod-security";

const restrictedContainer = (name: string) => ({
    name,
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
});

/** Passes restricted: pod-level runAsNonRoot and seccomp, containers drop ALL and forbid escalation. */
export function restrictedPod(): { spec: PodSpec; metadata: PodMetadata } {
    return {
        metadata: {
            name: "api",
            annotations: { "container.apparmor.security.beta.kubernetes.io/app": "runtime/default" },
        },
        spec: {
            securityContext: {
                runAsNonRoot: true,
                runAsUser: 1000,
                seccompProfile: { type: "RuntimeDefault" },
                sysctls: [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }],
            },
            initContainers: [restrictedContainer("init")],
            containers: [
                {
                    ...restrictedContainer("app"),
                    securityContext: {
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
                        seLinuxOptions: { type: "container_t" },
                    },
                    ports: [{ containerPort: 8080 }],
                    livenessProbe: { httpGet: { host: "" } },
                },
            ],
            volumes: [
                { name: "tmp", emptyDir: {} },
                { name: "config", configMap: { name: "api" } },
                { name: "token", projected: { sources: [] } },
            ],
        },
    };
}

export const app = (spec: PodSpec) => spec.containers![0];

export interface Case {
    name: string;
    change: (pod: { spec: PodSpec; metadata: PodMetadata }) => void;
    baseline: string[];
    restricted: string[];
}
