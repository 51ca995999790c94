import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ec2TrustPolicy, podIdentityTrustPolicy } from "../iamTypes";
import {
    KARPENTER_CONTROLLER_POLICY_KINDS,
    karpenterControllerPolicies,
    karpenterControllerPolicyName,
    karpenterControllerRoleName,
    karpenterNodeRoleName,
} from "../karpenter/iam";
import {
    INTERRUPTION_QUEUE_RETENTION_SECONDS,
    INTERRUPTION_RULES,
    INTERRUPTION_TARGET_ID,
    interruptionEventPattern,
    interruptionQueueName,
    interruptionQueuePolicy,
} from "../karpenter/interruption";
import { KARPENTER_CHART_REPOSITORY, KARPENTER_NAMESPACE, KARPENTER_SERVICE_ACCOUNT, karpenterChartValues } from "../karpenter/values";
import { ResolvedKarpenterClusterArgs } from "./args";
import { attachWorkerNodePolicies, AwsScope } from "./scope";

export function createInterruptionHandling(name: string, a: ResolvedKarpenterClusterArgs, parent: pulumi.Resource) {
    const queue = new aws.sqs.Queue(
        `${name}-interruption-queue`,
        {
            name: interruptionQueueName(a.clusterName),
            messageRetentionSeconds: INTERRUPTION_QUEUE_RETENTION_SECONDS,
            sqsManagedSseEnabled: true,
            tags: a.tags,
        },
        { parent },
    );
    const queuePolicy = new aws.sqs.QueuePolicy(
        `${name}-interruption-queue-policy`,
        { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))) },
        { parent },
    );
    const targets = INTERRUPTION_RULES.map((r) => {
        const rule = new aws.cloudwatch.EventRule(
            `${name}-${r.name}`,
            {
                description: `Karpenter interruption handling for ${a.clusterName}: ${r.detailType}`,
                eventPattern: JSON.stringify(interruptionEventPattern(r)),
                tags: a.tags,
            },
            { parent },
        );
        return new aws.cloudwatch.EventTarget(
            `${name}-${r.name}-target`,
            { rule: rule.name, arn: queue.arn, targetId: INTERRUPTION_TARGET_ID },
            { parent },
        );
    });
    return { queue, queuePolicy, targets };
}

export function createKarpenterNodeRole(name: string, a: ResolvedKarpenterClusterArgs, cluster: eks.Cluster, scope: AwsScope, parent: pulumi.Resource) {
    const role = new aws.iam.Role(
        `${name}-karpenter-node-role`,
        {
            name: karpenterNodeRoleName(a.clusterName),
            description: `Nodes that Karpenter launches for EKS cluster ${a.clusterName}`,
            assumeRolePolicy: scope.dnsSuffix.apply((s) => JSON.stringify(ec2TrustPolicy(s))),
            tags: a.tags,
        },
        { parent },
    );
    const policyAttachments = attachWorkerNodePolicies(`${name}-karpenter-node-policy`, role, scope, parent);
    // EC2_LINUX lets the node's kubelet join as system:node; a STANDARD entry would let the
    // instances launch and then never register, billing while Karpenter retries.
    const accessEntry = new aws.eks.AccessEntry(
        `${name}-karpenter-node-access`,
        { clusterName: cluster.eksCluster.name, principalArn: role.arn, type: "EC2_LINUX", tags: a.tags },
        { parent },
    );
    return { role, policyAttachments, accessEntry };
}

export function createKarpenterController(
    name: string,
    a: ResolvedKarpenterClusterArgs,
    cluster: eks.Cluster,
    scope: AwsScope,
    nodeRole: aws.iam.Role,
    queue: aws.sqs.Queue,
    podIdentityAgent: aws.eks.Addon,
    parent: pulumi.Resource,
) {
    const role = new aws.iam.Role(
        `${name}-karpenter-controller-role`,
        {
            name: karpenterControllerRoleName(a.clusterName),
            description: `Karpenter controller of EKS cluster ${a.clusterName}, through EKS Pod Identity`,
            assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()),
            tags: a.tags,
        },
        { parent },
    );
    const documents = pulumi
        .all([scope.partition, scope.region, scope.accountId, nodeRole.arn, queue.arn])
        .apply(([partition, region, accountId, nodeRoleArn, interruptionQueueArn]) =>
            karpenterControllerPolicies({ clusterName: a.clusterName, partition, region, accountId, nodeRoleArn, interruptionQueueArn }),
        );
    const policyAttachments = KARPENTER_CONTROLLER_POLICY_KINDS.map((kind) => {
        const policy = new aws.iam.Policy(
            `${name}-karpenter-${kind.toLowerCase()}-policy`,
            {
                name: karpenterControllerPolicyName(kind, a.clusterName),
                policy: documents.apply((d) => JSON.stringify(d[kind])),
                tags: a.tags,
            },
            { parent },
        );
        return new aws.iam.RolePolicyAttachment(
            `${name}-karpenter-${kind.toLowerCase()}-attachment`,
            { role: role.name, policyArn: policy.arn },
            { parent },
        );
    });
    const podIdentityAssociation = new aws.eks.PodIdentityAssociation(
        `${name}-karpenter-pod-identity`,
        {
            clusterName: cluster.eksCluster.name,
            namespace: KARPENTER_NAMESPACE,
            serviceAccount: KARPENTER_SERVICE_ACCOUNT,
            roleArn: role.arn,
            tags: a.tags,
        },
        { parent, dependsOn: [podIdentityAgent] },
    );
    return { role, policyAttachments, podIdentityAssociation };
}

export interface KarpenterChartDeps {
    provider: k8s.Provider;
    cluster: eks.Cluster;
    scope: AwsScope;
    queue: aws.sqs.Queue;
    podIdentityAssociation: aws.eks.PodIdentityAssociation;
    /** Everything the controller needs before it starts and that must outlive it on destroy. */
    prerequisites: pulumi.Input<pulumi.Resource>[];
    /** What the karpenter-crd release waits for (the nodes it runs on). */
    crdPrerequisites: pulumi.Input<pulumi.Resource>[];
}

/** The karpenter-crd and karpenter Helm releases. */
export function createKarpenterCharts(name: string, a: ResolvedKarpenterClusterArgs, deps: KarpenterChartDeps, parent: pulumi.Resource) {
    const chartOpts = { parent, provider: deps.provider };
    const crdRelease = new k8s.helm.v3.Release(
        `${name}-karpenter-crd`,
        {
            name: "karpenter-crd",
            chart: `${KARPENTER_CHART_REPOSITORY}/karpenter-crd`,
            version: a.karpenterVersion,
            namespace: KARPENTER_NAMESPACE,
            // The CRDs are this chart's templates, so `helm upgrade` upgrades them; the main
            // chart ships them under crds/, which Helm installs once and never upgrades.
            timeout: 300,
        },
        {
            ...chartOpts,
            dependsOn: deps.crdPrerequisites,
            // The chart's CRDs carry no helm.sh/resource-policy: keep, so uninstalling the release
            // deletes the CRDs and Kubernetes then deletes every NodePool, EC2NodeClass and NodeClaim
            // (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/): never uninstall it.
            retainOnDelete: true,
            protect: a.protectKarpenterCrds,
        },
    );
    const values = pulumi
        .all([deps.queue.name, deps.cluster.eksCluster.endpoint, deps.scope.region, deps.podIdentityAssociation.associationId])
        .apply(([queueName, clusterEndpoint, region, podIdentityAssociationId]) =>
            karpenterChartValues({
                clusterName: a.clusterName,
                clusterEndpoint,
                region,
                interruptionQueueName: queueName,
                replicas: a.karpenterReplicas,
                managedVcpus: a.karpenterManagedVcpus,
                podIdentityAssociationId,
            }),
        );
    const karpenterRelease = new k8s.helm.v3.Release(
        `${name}-karpenter`,
        {
            name: "karpenter",
            chart: `${KARPENTER_CHART_REPOSITORY}/karpenter`,
            version: a.karpenterVersion,
            namespace: KARPENTER_NAMESPACE,
            skipCrds: true,
            values,
            // Wait for the controller to be Ready: NodePools applied before it would sit unreconciled.
            waitForJobs: true,
            timeout: 600,
        },
        // Everything the controller needs exists before it starts and outlives it on destroy,
        // so that it can still terminate the instances it launched. The Pod Identity association
        // in particular: a pod started before it never gets credentials (recovery: README, Operations).
        { ...chartOpts, dependsOn: [crdRelease, deps.podIdentityAssociation, ...deps.prerequisites] },
    );
    return { crdRelease, karpenterRelease };
}
