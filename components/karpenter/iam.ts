import { IamPolicyDocument } from "../iamTypes";
import { boundedName, NAME_LIMITS } from "../naming";

// Karpenter's controller permissions, statement for statement as the official v1.14.1
// getting-started CloudFormation template grants them (tests/contract/karpenterIam.spec.ts
// compares every Sid against ../shared/fixtures/karpenter/karpenter-cloudformation.yaml).
// Do not widen a statement here without widening it there first.

/** Everything the policies are scoped by. */
export interface KarpenterIamScope {
    clusterName: string;
    partition: string;
    region: string;
    accountId: string;
    /** ARN of the role Karpenter's nodes run as (the only role it may pass to EC2). */
    nodeRoleArn: string;
    /** ARN of the Spot interruption queue. */
    interruptionQueueArn: string;
}

/** The six controller policies of the template, in its order. */
export const KARPENTER_CONTROLLER_POLICY_KINDS = [
    "NodeLifecycle",
    "IAMIntegration",
    "EKSIntegration",
    "Interruption",
    "ZonalShift",
    "ResourceDiscovery",
] as const;
export type KarpenterControllerPolicyKind = (typeof KARPENTER_CONTROLLER_POLICY_KINDS)[number];

/** `KarpenterController<Kind>Policy-<cluster>`, the template's ManagedPolicyName. */
export function karpenterControllerPolicyName(kind: KarpenterControllerPolicyKind, clusterName: string): string {
    return boundedName(`KarpenterController${kind}Policy-`, clusterName, NAME_LIMITS.iamPolicy);
}

/** `KarpenterNodeRole-<cluster>`, the template's node role name. */
export function karpenterNodeRoleName(clusterName: string): string {
    return boundedName("KarpenterNodeRole-", clusterName, NAME_LIMITS.iamRole);
}

/** The controller's role, assumed through EKS Pod Identity. */
export function karpenterControllerRoleName(clusterName: string): string {
    return boundedName("KarpenterControllerRole-", clusterName, NAME_LIMITS.iamRole);
}

export function karpenterControllerPolicies(s: KarpenterIamScope): Record<KarpenterControllerPolicyKind, IamPolicyDocument> {
    const ec2 = `arn:${s.partition}:ec2:${s.region}`;
    const instanceProfiles = `arn:${s.partition}:iam::${s.accountId}:instance-profile/*`;
    const clusterArn = `arn:${s.partition}:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`;
    const owned = `kubernetes.io/cluster/${s.clusterName}`;
    const taggedResources = [
        `${ec2}:*:fleet/*`,
        `${ec2}:*:instance/*`,
        `${ec2}:*:volume/*`,
        `${ec2}:*:network-interface/*`,
        `${ec2}:*:launch-template/*`,
        `${ec2}:*:spot-instances-request/*`,
    ];
    return {
        NodeLifecycle: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowScopedEC2InstanceAccessActions",
                    Effect: "Allow",
                    Resource: [
                        `${ec2}::image/*`,
                        `${ec2}::snapshot/*`,
                        `${ec2}:*:security-group/*`,
                        `${ec2}:*:subnet/*`,
                        `${ec2}:*:capacity-reservation/*`,
                        `${ec2}:*:placement-group/*`,
                    ],
                    Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                },
                {
                    Sid: "AllowScopedEC2LaunchTemplateAccessActions",
                    Effect: "Allow",
                    Resource: `${ec2}:*:launch-template/*`,
                    Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                    Condition: {
                        StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" },
                        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                    },
                },
                {
                    Sid: "AllowScopedEC2InstanceActionsWithTags",
                    Effect: "Allow",
                    Resource: taggedResources,
                    Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
                    Condition: {
                        StringEquals: {
                            [`aws:RequestTag/${owned}`]: "owned",
                            "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
                        },
                        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
                    },
                },
                {
                    Sid: "AllowScopedResourceCreationTagging",
                    Effect: "Allow",
                    Resource: taggedResources,
                    Action: "ec2:CreateTags",
                    Condition: {
                        StringEquals: {
                            [`aws:RequestTag/${owned}`]: "owned",
                            "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
                            "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
                        },
                        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
                    },
                },
                {
                    Sid: "AllowScopedResourceTagging",
                    Effect: "Allow",
                    Resource: `${ec2}:*:instance/*`,
                    Action: "ec2:CreateTags",
                    Condition: {
                        StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" },
                        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": s.clusterName },
                        "ForAllValues:StringEquals": {
                            "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
                        },
                    },
                },
                {
                    Sid: "AllowScopedDeletion",
                    Effect: "Allow",
                    Resource: [`${ec2}:*:instance/*`, `${ec2}:*:launch-template/*`],
                    Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
                    Condition: {
                        StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" },
                        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                    },
                },
            ],
        },
        IAMIntegration: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowPassingInstanceRole",
                    Effect: "Allow",
                    Resource: s.nodeRoleArn,
                    Action: "iam:PassRole",
                    Condition: {
                        StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] },
                    },
                },
                {
                    Sid: "AllowScopedInstanceProfileCreationActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: ["iam:CreateInstanceProfile"],
                    Condition: {
                        StringEquals: {
                            [`aws:RequestTag/${owned}`]: "owned",
                            "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
                            "aws:RequestTag/topology.kubernetes.io/region": s.region,
                        },
                        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
                {
                    Sid: "AllowScopedInstanceProfileTagActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: ["iam:TagInstanceProfile"],
                    Condition: {
                        StringEquals: {
                            [`aws:ResourceTag/${owned}`]: "owned",
                            "aws:ResourceTag/topology.kubernetes.io/region": s.region,
                            [`aws:RequestTag/${owned}`]: "owned",
                            "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
                            "aws:RequestTag/topology.kubernetes.io/region": s.region,
                        },
                        StringLike: {
                            "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
                            "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
                        },
                    },
                },
                {
                    Sid: "AllowScopedInstanceProfileActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
                    Condition: {
                        StringEquals: {
                            [`aws:ResourceTag/${owned}`]: "owned",
                            "aws:ResourceTag/topology.kubernetes.io/region": s.region,
                        },
                        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
            ],
        },
        EKSIntegration: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowAPIServerEndpointDiscovery",
                    Effect: "Allow",
                    Resource: clusterArn,
                    Action: "eks:DescribeCluster",
                },
            ],
        },
        Interruption: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowInterruptionQueueActions",
                    Effect: "Allow",
                    Resource: s.interruptionQueueArn,
                    Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
                },
            ],
        },
        ZonalShift: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowZonalShiftStatusReadOnly",
                    Effect: "Allow",
                    Resource: "*",
                    Action: ["arc-zonal-shift:GetManagedResource"],
                    Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
                },
            ],
        },
        ResourceDiscovery: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowRegionalReadActions",
                    Effect: "Allow",
                    Resource: "*",
                    Action: [
                        "ec2:DescribeCapacityReservations",
                        "ec2:DescribeImages",
                        "ec2:DescribeInstances",
                        "ec2:DescribeInstanceStatus",
                        "ec2:DescribeInstanceTypeOfferings",
                        "ec2:DescribeInstanceTypes",
                        "ec2:DescribeLaunchTemplates",
                        "ec2:DescribePlacementGroups",
                        "ec2:DescribeSecurityGroups",
                        "ec2:DescribeSpotPriceHistory",
                        "ec2:DescribeSubnets",
                    ],
                    Condition: { StringEquals: { "aws:RequestedRegion": s.region } },
                },
                {
                    Sid: "AllowSSMReadActions",
                    Effect: "Allow",
                    Resource: `arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`,
                    Action: "ssm:GetParameter",
                },
                { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
                {
                    Sid: "AllowUnscopedInstanceProfileListAction",
                    Effect: "Allow",
                    Resource: "*",
                    Action: "iam:ListInstanceProfiles",
                },
                {
                    Sid: "AllowInstanceProfileReadActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: "iam:GetInstanceProfile",
                },
            ],
        },
    };
}
