import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PRIORITY_CLASSES } from "../../vocabulary/placement";

/** The platform's PriorityClasses (vocabulary/placement.ts); every pod that names one depends on them. */
export class PriorityClasses extends pulumi.ComponentResource {
    public readonly classes: k8s.scheduling.v1.PriorityClass[];

    constructor(
        name: string,
        args: { labels: Record<string, string> },
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("tacos:k8s:PriorityClasses", name, {}, opts);
        this.classes = Object.values(PRIORITY_CLASSES).map(
            (pc) =>
                new k8s.scheduling.v1.PriorityClass(
                    `${name}-${pc.name}`,
                    {
                        metadata: { name: pc.name, labels: args.labels },
                        value: pc.value,
                        globalDefault: false,
                        preemptionPolicy: "PreemptLowerPriority",
                        description: pc.description,
                    },
                    { parent: this },
                ),
        );
        this.registerOutputs({ classes: this.classes.map((c) => c.metadata.name) });
    }
}
