/**
 * The AWS resource types that cost nothing by themselves, each with the reason from its service's
 * pricing page (what their use costs is priced elsewhere: the load model, another line).
 */

const NETWORK =
    "no charge for the VPC's own objects (aws.amazon.com/vpc/pricing charges NAT, IPv4, endpoints)";
const IAM = "IAM is offered at no additional charge (aws.amazon.com/iam)";
const EVENTS =
    "no charge for buses, rules and targets; events published are priced by the load model (aws.amazon.com/eventbridge/pricing)";
const EKS_ACCESS = "part of the cluster, priced by the control plane's hour (aws.amazon.com/eks/pricing)";

/** Each free type with why it costs nothing. */
export const FREE_TYPES: Record<string, string> = {
    "aws:ec2/vpc:Vpc": NETWORK,
    "aws:ec2/subnet:Subnet": NETWORK,
    "aws:ec2/routeTable:RouteTable": NETWORK,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": NETWORK,
    "aws:ec2/internetGateway:InternetGateway": NETWORK,
    "aws:ec2/securityGroup:SecurityGroup": NETWORK,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": NETWORK,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": NETWORK,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": NETWORK,
    "aws:ec2/securityGroupRule:SecurityGroupRule": NETWORK,
    "aws:ec2/flowLog:FlowLog":
        "no charge for the flow log itself; its records are priced as log ingestion by the load model (aws.amazon.com/cloudwatch/pricing, vended logs)",
    "aws:ec2/launchTemplate:LaunchTemplate":
        "no charge for launch templates (the instances they launch are priced)",
    "aws:ec2/tag:Tag": "tags cost nothing",
    "aws:iam/role:Role": IAM,
    "aws:iam/rolePolicy:RolePolicy": IAM,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": IAM,
    "aws:iam/policy:Policy": IAM,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": IAM,
    "aws:kms/alias:Alias": "no charge for aliases; the key is priced (aws.amazon.com/kms/pricing)",
    "aws:sqs/queuePolicy:QueuePolicy":
        "part of the queue; SQS charges requests only (aws.amazon.com/sqs/pricing)",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy":
        "part of the queue; SQS charges requests only (aws.amazon.com/sqs/pricing)",
    "aws:secretsmanager/secretVersion:SecretVersion":
        "versions are part of the secret, priced per secret-month (aws.amazon.com/secrets-manager/pricing)",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": EKS_ACCESS,
    "aws:eks/accessEntry:AccessEntry": EKS_ACCESS,
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": EKS_ACCESS,
    "aws:eks/addon:Addon":
        "no charge for EKS add-ons; their pods are priced as the nodes' share (aws.amazon.com/eks/pricing)",
    "aws:elasticache/subnetGroup:SubnetGroup": "no charge for subnet groups; the nodes are priced",
    "aws:scheduler/scheduleGroup:ScheduleGroup":
        "no charge for schedule groups; invocations are priced by the load model (aws.amazon.com/eventbridge/pricing)",
    "aws:cloudwatch/eventBus:EventBus": EVENTS,
    "aws:cloudwatch/eventRule:EventRule": EVENTS,
    "aws:cloudwatch/eventTarget:EventTarget": EVENTS,
    "aws:cloudwatch/logGroup:LogGroup":
        "no charge for a log group; what it ingests is priced by the load model (aws.amazon.com/cloudwatch/pricing)",
    "aws:sns/topic:Topic":
        "no charge for a topic; alert deliveries are a few a month (the first 1,000 emails free, aws.amazon.com/sns/pricing)",
    "aws:sns/topicPolicy:TopicPolicy": "part of the topic",
    "aws:sns/topicSubscription:TopicSubscription": "no charge for a subscription; deliveries as the topic's",
    "aws:budgets/budget:Budget":
        "budgets without actions cost nothing (aws.amazon.com/aws-cost-management/aws-budgets/pricing)",
    "aws:costexplorer/anomalyMonitor:AnomalyMonitor":
        "Cost Anomaly Detection is free (aws.amazon.com/aws-cost-management/aws-cost-anomaly-detection/pricing)",
    "aws:costexplorer/anomalySubscription:AnomalySubscription":
        "Cost Anomaly Detection is free (aws.amazon.com/aws-cost-management/aws-cost-anomaly-detection/pricing)",
    "aws:codebuild/project:Project":
        "no charge for a project; builds are charged per build minute (aws.amazon.com/codebuild/pricing): CI use, not the platform's load",
    "aws:codebuild/webhook:Webhook": "part of the project",
    "random:index/randomPassword:RandomPassword": "not an AWS resource",
};
