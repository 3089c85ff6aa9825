/** The EKS control plane: Kubernetes versions the platform is built for, and its log types. */

/** Kubernetes versions in EKS standard support that the platform is built and tested for. */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.32", "1.33", "1.34"] as const;

/** The five EKS control-plane log types. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
