/** The argocd namespace's NetworkPolicy needs: the API server, HTTPS out of the repo server (and the server under SSO), the load balancer to the server. */
import {
    allowApiServer,
    allowAwsApis,
    allowFromLoadBalancer,
    AllowRule,
    allowWithinNamespace,
} from "../../network-policies";
import type { ArgoCdArgs } from "./settings";

/** The rules of the argocd namespace. */
export function argoCdAllowRules(
    args: Pick<ArgoCdArgs, "vpcCidr" | "publicSubnetCidrs" | "argocd">,
): AllowRule[] {
    const sso = args.argocd.oidc;
    const serverLabels = { "app.kubernetes.io/name": "argocd-server" };
    const repoServerLabels = { "app.kubernetes.io/name": "argocd-repo-server" };
    return [
        allowWithinNamespace(),
        allowApiServer(args.vpcCidr),
        // The repo server fetches this repository over HTTPS; the server reaches SSO.
        { ...allowAwsApis(repoServerLabels), name: "repo-server-https" },
        ...(sso ? [{ ...allowAwsApis(serverLabels), name: "server-https" }] : []),
        allowFromLoadBalancer(args.publicSubnetCidrs, [8080], serverLabels),
    ];
}
