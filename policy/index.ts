// The tacos-platform CrossGuard pack: `pulumi preview --policy-pack policy --policy-pack-config policy/<stack>.json`.
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./policies";

new PolicyPack("tacos-platform", {
    description: "Security, FinOps and performance guard rails of the Traffic Tacos platform.",
    enforcementLevel: "mandatory",
    policies: ALL_POLICIES,
});
