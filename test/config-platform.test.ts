/**
 * Stack config rejections in the platform sections (Gateway, Argo CD, CI, observability, the
 * PerformanceProfile, delivery), the secrets and unknown keys: each refused naming its field.
 */
import { itRejects } from "./config-problems";

describe("stack config: platform sections", () => {
    itRejects([
        {
            name: "an unknown top-level key",
            edit: (c) => (c["tacos:clsuter"] = {}),
            expect: "clsuter is not a known setting",
        },
        {
            name: "a malformed CodeConnections ARN",
            edit: (c) =>
                (c["tacos:ci"].runner.codeConnectionArn =
                    "arn:aws:codeconnections:ap-northeast-2:111122223333:connection/x"),
            expect: "ci.runner.codeConnectionArn must be a CodeConnections connection ARN",
        },
        {
            name: "a malformed certificate ARN",
            edit: (c) =>
                (c["tacos:gateway"].certificateArn = "arn:aws:acm:ap-northeast-2:111122223333:cert/x"),
            expect: "gateway.certificateArn must be an ACM certificate ARN",
        },
        {
            name: "an unsupported region",
            edit: (c) => (c["aws:region"] = "mars-east-1"),
            expect: "aws:region must be one of us-east-1, us-west-2, eu-west-1, ap-northeast-2",
        },
        {
            name: "an exposed Gateway without a certificate",
            edit: (c) => delete c["tacos:gateway"].certificateArn,
            expect: "gateway.certificateArn is required when the Gateway is exposed",
        },
        {
            name: "no admin password and no SSO",
            edit: (c) => delete c["tacos:argocdAdminPasswordHash"],
            expect: "argocdAdminPasswordHash is required unless argocd.oidc is set",
        },
        {
            name: "an admin password that is not a bcrypt hash",
            edit: (c) => (c["tacos:argocdAdminPasswordHash"] = "hunter2hunter2"),
            expect: "argocdAdminPasswordHash must be a bcrypt hash",
        },
        {
            name: "SSO without its client secret",
            edit: (c) => (c["tacos:argocd"].oidc = { issuer: "https://sso.example.com", clientId: "argocd" }),
            expect: "argocdOidcClientSecret is required when argocd.oidc is set",
        },
        {
            name: "a host name that is not a DNS name",
            edit: (c) => (c["tacos:argocd"].hostname = "Argo CD"),
            expect: "argocd.hostname must be a fully qualified lower-case DNS name",
        },
        {
            name: "min > max replicas of a service",
            edit: (c) =>
                (c["tacos:performanceProfile"].services["gateway-api"] = {
                    minReplicas: 20,
                    maxReplicas: 10,
                }),
            expect: "performanceProfile.services.gateway-api.maxReplicas must be >= minReplicas",
        },
        {
            name: "an unknown service",
            edit: (c) => (c["tacos:performanceProfile"].services["gateway"] = {}),
            expect: "performanceProfile.services.gateway is not a known setting",
        },
        {
            name: "a scale-up period shorter than the HPA's sync",
            edit: (c) => (c["tacos:performanceProfile"].scaleUp = { periodSeconds: 5 }),
            expect: "performanceProfile.scaleUp.periodSeconds must be >= 15",
        },
        {
            name: "a canary in helm mode",
            edit: (c) => (c["tacos:delivery"].mode = "helm"),
            expect: "delivery.canary needs delivery.mode argocd",
        },
        {
            name: "falling canary weights",
            edit: (c) =>
                (c["tacos:delivery"].canary.steps = [
                    { weight: 60, minutes: 1 },
                    { weight: 50, minutes: 1 },
                    { weight: 100, minutes: 1 },
                ]),
            expect: "delivery.canary.steps.1.weight must be above the previous step's 60",
        },
        {
            name: "a last canary step short of 100%",
            edit: (c) => (c["tacos:delivery"].canary.steps = [{ weight: 50, minutes: 1 }]),
            expect: "delivery.canary.steps.0.weight must be 100",
        },
        {
            name: "a canary step too short to fail",
            edit: (c) => (c["tacos:delivery"].canary.analysis = { intervalSeconds: 60, failureLimit: 1 }),
            expect: "delivery.canary.steps.0.minutes must allow more than analysis.failureLimit (1) measurements 60 s apart",
        },
        {
            name: "canary measurements between two scrapes",
            edit: (c) => (c["tacos:observability"].prometheus = { scrapeIntervalSeconds: 60 }),
            expect: "delivery.canary.analysis.intervalSeconds must be at least observability.prometheus.scrapeIntervalSeconds (60)",
        },
    ]);
});
