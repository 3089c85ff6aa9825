/** The gateway namespace's NetworkPolicy needs: the controller reaches the API server and AWS, the control plane its webhook. */
import { allowApiServer, allowAwsApis, allowFromControlPlane, AllowRule } from "../../network-policies";
import { CONTROLLER_LABELS } from "./values";

/** The controller's rules. */
export function controllerAllowRules(args: { vpcCidr: string }): AllowRule[] {
    return [
        allowApiServer(args.vpcCidr, CONTROLLER_LABELS),
        allowAwsApis(CONTROLLER_LABELS),
        allowFromControlPlane(args.vpcCidr, [9443], CONTROLLER_LABELS),
    ];
}
