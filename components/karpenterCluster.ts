import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NatGatewayStrategy } from "./enums";
import { ec2TrustPolicy, eksSecretsKeyPolicy, eksServiceTrustPolicy, eksWorkerNodePolicyArns, podIdentityTrustPolicy } from "./iamTypes";
import {
    KARPENTER_CONTROLLER_POLICY_KINDS,
    karpenterControllerPolicies,
    karpenterControllerPolicyName,
    karpenterControllerRoleName,
    karpenterNodeRoleName,
} from "./karpenter/iam";
import {
    INTERRUPTION_QUEUE_RETENTION_SECONDS,
    INTERRUPTION_RULES,
    INTERRUPTION_TARGET_ID,
    interruptionEventPattern,
    interruptionQueueName,
    interruptionQueuePolicy,
} from "./karpenter/interruption";
import {
    KARPENTER_CHART_REPOSITORY,
    KARPENTER_NAMESPACE,
    KARPENTER_SERVICE_ACCOUNT,
    karpenterChartValues,
    SYSTEM_NODE_LABEL,
    SYSTEM_NODE_TAINT,
    systemNodeSelector,
    systemTolerations,
    Toleration,
} from "./karpenter/values";
import { DEFAULT_KARPENTER_VERSION, DEFAULT_KUBERNETES_VERSION, kubernetesSupportProblem } from "./karpenter/versions";
import { ArgChecker, EKS_CLUSTER_NAME, IPV4_CIDR, KUBERNETES_VERSION, SEMVER } from "./validation";

const kubernetesProviders = new WeakMap<KarpenterCluster, k8s.Provider>();

/** The tag Karpenter's EC2NodeClass selectors look for on subnets and security groups. */
export const DISCOVERY_TAG_KEY = "karpenter.sh/discovery";

/** Every control-plane log type EKS can send to CloudWatch. */
export const EKS_CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export interface KarpenterClusterArgs {
    /**
     * The EKS cluster's name: 1-100 letters, digits, hyphens and underscores. It also names the
     * interruption queue and Karpenter's IAM roles and policies, and is the discovery tag's value.
     * Changing it replaces the cluster.
     * @default the component's resource name
     */
    clusterName?: string;
    /**
     * Kubernetes minor version of the control plane and system nodes, e.g. "1.35". Must be one
     * that the chosen Karpenter release supports.
     * @default "1.35"
     */
    kubernetesVersion?: string;
    /**
     * Karpenter release installed from oci://public.ecr.aws/karpenter (both the karpenter-crd and
     * the karpenter chart). Upgrade one minor version at a time.
     * @default "1.14.1"
     */
    karpenterVersion?: string;
    /**
     * Number of availability zones for the created VPC's subnets. EKS needs at least two; three
     * keeps Spot capacity plentiful and survives a zone outage.
     * @default 3
     */
    availabilityZoneCount?: number;
    /**
     * NAT gateways for the created VPC: "Single" (cheapest, for dev) or "OnePerAz" (zone-independent
     * egress, for prod).
     * @default "Single"
     */
    natGateways?: NatGatewayStrategy;
    /**
     * CIDR block of the created VPC, a /8 to /17: each zone gets a /19 private subnet for nodes and
     * pods (the VPC CNI gives every pod a VPC address) and a /22 public subnet.
     * @default "10.0.0.0/16"
     */
    vpcCidrBlock?: string;
    /**
     * An existing VPC to use instead of creating one. Requires existingPrivateSubnetIds.
     */
    existingVpcId?: pulumi.Input<string>;
    /**
     * Private subnets of the existing VPC for the control plane and all nodes, in at least two
     * zones. They get the karpenter.sh/discovery tag.
     */
    existingPrivateSubnetIds?: pulumi.Input<string>[];
    /**
     * CIDR blocks allowed to reach the public Kubernetes API endpoint; an empty list makes the
     * endpoint private (pulumi up must then run inside the VPC). The default is EKS's own, so that
     * `pulumi up` works from anywhere; production stacks should list their networks (the policy
     * pack rejects 0.0.0.0/0 in prod).
     * @default ["0.0.0.0/0"]
     */
    endpointPublicAccessCidrs?: string[];
    /**
     * Send all five control-plane log types to CloudWatch Logs. On by default: audit logs are the
     * only record of who changed the cluster. Costs CloudWatch ingestion per GB.
     * @default true
     */
    controlPlaneLogging?: boolean;
    /**
     * Envelope-encrypt Kubernetes secrets with a dedicated KMS key (1 USD a month). On by default
     * because it cannot be turned off once on, and turning it on later re-encrypts every secret.
     * @default true
     */
    secretsEncryption?: boolean;
    /**
     * EKS deletion protection: the cluster cannot be deleted until it is turned off. On by default
     * because a deleted cluster kills every running job; dev stacks turn it off.
     * @default true
     */
    deletionProtection?: boolean;
    /**
     * Instance types of the On-Demand system node group that runs Karpenter, CoreDNS and the Spark
     * Operator. All of one architecture. Graviton by default because it is the cheapest type that
     * fits Karpenter's two 1-CPU replicas next to the add-ons.
     * @default ["m7g.large"]
     */
    systemNodeInstanceTypes?: string[];
    /**
     * Number of system nodes, spread over the zones. Karpenter's replicas need one node each.
     * @default 2
     */
    systemNodeCount?: number;
    /**
     * Karpenter controller replicas (leader-elected, one per system node). Two survive a node loss.
     * @default 2
     */
    karpenterReplicas?: number;
    /**
     * Tags for every AWS resource the component creates.
     * @default {}
     */
    tags?: Record<string, string>;
}

/** The arguments with every default applied and every value checked. */
export interface ResolvedKarpenterClusterArgs {
    clusterName: string;
    kubernetesVersion: string;
    karpenterVersion: string;
    availabilityZoneCount: number;
    natGateways: NatGatewayStrategy;
    vpcCidrBlock: string;
    existingVpcId?: pulumi.Input<string>;
    existingPrivateSubnetIds?: pulumi.Input<string>[];
    endpointPublicAccessCidrs: string[];
    controlPlaneLogging: boolean;
    secretsEncryption: boolean;
    deletionProtection: boolean;
    systemNodeInstanceTypes: string[];
    systemNodeArchitecture: "arm64" | "amd64";
    systemNodeCount: number;
    karpenterReplicas: number;
    tags: Record<string, string>;
}

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

/** Graviton families carry a `g` after the generation digit: t4g, m7g, c7gn, r8gd, x2gd. */
function isGraviton(instanceType: string): boolean {
    return /^[a-z]+\d+[a-z-]*g/.test(instanceType.split(".")[0]);
}

/** Applies the defaults (all in this one place) and validates; throws before anything is registered. */
export function resolveKarpenterClusterArgs(name: string, args: KarpenterClusterArgs): ResolvedKarpenterClusterArgs {
    const check: ArgChecker = new ArgChecker("KarpenterCluster", name);
    const clusterName = check.string(
        "clusterName",
        args.clusterName ?? name,
        EKS_CLUSTER_NAME,
        "1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit (EKS's rule)",
    );
    const karpenterVersion = check.string(
        "karpenterVersion",
        args.karpenterVersion ?? DEFAULT_KARPENTER_VERSION,
        SEMVER,
        'a Karpenter release version without a "v", e.g. "1.14.1"',
    );
    const kubernetesVersion = check.string(
        "kubernetesVersion",
        args.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
        KUBERNETES_VERSION,
        'a Kubernetes minor version such as "1.35"',
    );
    const unsupported = kubernetesSupportProblem(karpenterVersion, kubernetesVersion);
    if (unsupported) {
        check.fail("kubernetesVersion", kubernetesVersion, unsupported);
    }
    const existingVpcId = args.existingVpcId;
    const existingPrivateSubnetIds = args.existingPrivateSubnetIds;
    if ((existingVpcId === undefined) !== (existingPrivateSubnetIds === undefined)) {
        check.fail(
            "existingPrivateSubnetIds",
            existingPrivateSubnetIds,
            "existingVpcId and existingPrivateSubnetIds together, or neither (to create a VPC)",
        );
    }
    if (existingPrivateSubnetIds !== undefined && existingPrivateSubnetIds.length < 2) {
        check.fail("existingPrivateSubnetIds", existingPrivateSubnetIds, "at least 2 subnets, in different availability zones");
    }
    const cidrs = args.endpointPublicAccessCidrs ?? ["0.0.0.0/0"];
    if (!Array.isArray(cidrs) || cidrs.some((c) => typeof c !== "string" || !IPV4_CIDR.test(c))) {
        check.fail("endpointPublicAccessCidrs", cidrs, 'a list of IPv4 CIDR blocks such as "203.0.113.0/24" (empty for a private endpoint)');
    }
    const vpcCidrBlock = check.string("vpcCidrBlock", args.vpcCidrBlock ?? "10.0.0.0/16", IPV4_CIDR, "an IPv4 CIDR block from /8 to /17");
    if (Number(vpcCidrBlock.split("/")[1]) > 17) {
        check.fail("vpcCidrBlock", vpcCidrBlock, "an IPv4 CIDR block from /8 to /17");
    }
    const systemNodeInstanceTypes = check.listMatching(
        "systemNodeInstanceTypes",
        args.systemNodeInstanceTypes ?? ["m7g.large"],
        INSTANCE_TYPE,
        'a non-empty list of distinct EC2 instance types such as "m7g.large"',
    );
    const graviton = systemNodeInstanceTypes.map(isGraviton);
    if (graviton.some((g) => g !== graviton[0])) {
        check.fail("systemNodeInstanceTypes", systemNodeInstanceTypes, "instance types of one architecture (all Graviton or all x86)");
    }
    const systemNodeCount = check.integer("systemNodeCount", args.systemNodeCount ?? 2, 1, 20);
    const karpenterReplicas = check.integer("karpenterReplicas", args.karpenterReplicas ?? 2, 1, 5);
    if (karpenterReplicas > systemNodeCount) {
        check.fail(
            "karpenterReplicas",
            karpenterReplicas,
            `at most systemNodeCount (${systemNodeCount}): the chart runs one replica per node, so extra replicas stay Pending`,
        );
    }
    return {
        clusterName,
        kubernetesVersion,
        karpenterVersion,
        availabilityZoneCount: check.integer("availabilityZoneCount", args.availabilityZoneCount ?? 3, 2, 6),
        natGateways: check.oneOf("natGateways", args.natGateways ?? NatGatewayStrategy.Single, NatGatewayStrategy),
        vpcCidrBlock,
        existingVpcId,
        existingPrivateSubnetIds,
        endpointPublicAccessCidrs: cidrs,
        controlPlaneLogging: check.boolean("controlPlaneLogging", args.controlPlaneLogging ?? true),
        secretsEncryption: check.boolean("secretsEncryption", args.secretsEncryption ?? true),
        deletionProtection: check.boolean("deletionProtection", args.deletionProtection ?? true),
        systemNodeInstanceTypes,
        systemNodeArchitecture: graviton[0] ? "arm64" : "amd64",
        systemNodeCount,
        karpenterReplicas,
        tags: { ...(args.tags ?? {}), "karpenter-spark.io/cluster": clusterName },
    };
}

/**
 * An EKS cluster ready for Karpenter: VPC, control plane, a small tainted On-Demand system node
 * group, Karpenter's IAM through EKS Pod Identity, the Spot interruption queue and its
 * EventBridge rules, and the karpenter-crd and karpenter Helm releases.
 */
export class KarpenterCluster extends pulumi.ComponentResource {
    /** The EKS cluster's name. */
    public readonly clusterName: pulumi.Output<string>;
    /** The Kubernetes API server endpoint. */
    public readonly endpoint: pulumi.Output<string>;
    /** The control plane's Kubernetes version. */
    public readonly kubernetesVersion: pulumi.Output<string>;
    /** Kubeconfig for the cluster (uses `aws eks get-token`), as JSON. Secret. Other languages build their Kubernetes provider from it. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The cluster's OIDC issuer URL. */
    public readonly oidcIssuer: pulumi.Output<string>;
    /** The VPC the cluster runs in. */
    public readonly vpcId: pulumi.Output<string>;
    /** The private subnets of the nodes (tagged for Karpenter discovery). */
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Name of the IAM role Karpenter's nodes run as; EC2NodeClasses reference it. */
    public readonly nodeRoleName: pulumi.Output<string>;
    /** Name of the SQS queue that receives Spot interruption and rebalance events. */
    public readonly interruptionQueueName: pulumi.Output<string>;
    /** Value of the karpenter.sh/discovery tag on the node subnets and security group. */
    public readonly discoveryTagValue: pulumi.Output<string>;
    /** The Karpenter version installed. */
    public readonly karpenterVersion: pulumi.Output<string>;
    /** The Karpenter controller's Helm release; NodePools must be applied after it is ready. */
    public readonly karpenterRelease: k8s.helm.v3.Release;
    /** Node selector that places a pod on the system node group. */
    public readonly systemNodeSelector: Record<string, string>;
    /** Tolerations that admit a pod to the system node group. */
    public readonly systemTolerations: Toleration[];

    /**
     * A Kubernetes provider for this cluster, for TypeScript programs: pass it to the components
     * that deploy into it. An accessor rather than a property, because Pulumi's schema cannot
     * publish a provider as a component output (other languages build one from `kubeconfig`).
     */
    get kubernetesProvider(): k8s.Provider {
        return kubernetesProviders.get(this) as k8s.Provider;
    }

    constructor(name: string, args: KarpenterClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = resolveKarpenterClusterArgs(name, args);
        super("karpenter-spark:index:KarpenterCluster", name, {}, opts);
        const parent = this;

        const scope = awsScope(parent);
        const network = createNetwork(name, a, parent);
        const cluster = createControlPlane(name, a, network, scope, parent);
        const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true }, { parent });
        const systemNodes = createSystemNodeGroup(name, a, cluster, network, scope, parent);
        const podIdentityAgent = new aws.eks.Addon(
            `${name}-pod-identity-agent`,
            {
                clusterName: cluster.eksCluster.name,
                addonName: "eks-pod-identity-agent",
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "PRESERVE",
                tags: a.tags,
            },
            { parent, dependsOn: [systemNodes.nodeGroup] },
        );
        const queue = createInterruptionHandling(name, a, parent);
        const nodeRole = createKarpenterNodeRole(name, a, cluster, scope, parent);
        const controller = createKarpenterController(name, a, cluster, scope, nodeRole.role, queue.queue, podIdentityAgent, parent);

        const chartOpts = { parent, provider };
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
            { ...chartOpts, dependsOn: [systemNodes.nodeGroup] },
        );
        const karpenterRelease = new k8s.helm.v3.Release(
            `${name}-karpenter`,
            {
                name: "karpenter",
                chart: `${KARPENTER_CHART_REPOSITORY}/karpenter`,
                version: a.karpenterVersion,
                namespace: KARPENTER_NAMESPACE,
                skipCrds: true,
                values: queue.queue.name.apply((queueName) =>
                    karpenterChartValues({ clusterName: a.clusterName, interruptionQueueName: queueName, replicas: a.karpenterReplicas }),
                ),
                // Wait for the controller to be Ready: NodePools applied before it would sit unreconciled.
                waitForJobs: true,
                timeout: 600,
            },
            {
                ...chartOpts,
                // Everything the controller needs exists before it starts and outlives it on destroy,
                // so that it can still terminate the instances it launched.
                dependsOn: [
                    crdRelease,
                    systemNodes.nodeGroup,
                    controller.podIdentityAssociation,
                    ...controller.policyAttachments,
                    nodeRole.accessEntry,
                    ...nodeRole.policyAttachments,
                    queue.queuePolicy,
                    ...queue.targets,
                ],
            },
        );

        this.clusterName = pulumi.output(a.clusterName);
        this.endpoint = cluster.eksCluster.endpoint;
        this.kubernetesVersion = cluster.eksCluster.version;
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        kubernetesProviders.set(this, provider);
        this.oidcIssuer = cluster.oidcIssuer;
        this.vpcId = network.vpcId;
        this.privateSubnetIds = network.privateSubnetIds;
        this.nodeRoleName = nodeRole.role.name;
        this.interruptionQueueName = queue.queue.name;
        this.discoveryTagValue = pulumi.output(a.clusterName);
        this.karpenterVersion = pulumi.output(a.karpenterVersion);
        this.karpenterRelease = karpenterRelease;
        this.systemNodeSelector = systemNodeSelector();
        this.systemTolerations = systemTolerations();
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            kubernetesVersion: this.kubernetesVersion,
            kubeconfig: this.kubeconfig,
            oidcIssuer: this.oidcIssuer,
            vpcId: this.vpcId,
            privateSubnetIds: this.privateSubnetIds,
            nodeRoleName: this.nodeRoleName,
            interruptionQueueName: this.interruptionQueueName,
            discoveryTagValue: this.discoveryTagValue,
            karpenterVersion: this.karpenterVersion,
            karpenterRelease: this.karpenterRelease,
            systemNodeSelector: this.systemNodeSelector,
            systemTolerations: this.systemTolerations,
        });
    }
}

/** Account, partition and region of the provider the component runs with. */
interface AwsScope {
    accountId: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    dnsSuffix: pulumi.Output<string>;
    region: pulumi.Output<string>;
}

function awsScope(parent: pulumi.Resource): AwsScope {
    const identity = aws.getCallerIdentityOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent });
    const region = aws.getRegionOutput({}, { parent });
    return {
        accountId: identity.accountId,
        partition: partition.partition,
        dnsSuffix: partition.dnsSuffix,
        region: region.region,
    };
}

interface Network {
    vpcId: pulumi.Output<string>;
    privateSubnetIds: pulumi.Output<string[]>;
    publicSubnetIds?: pulumi.Output<string[]>;
}

function createNetwork(name: string, a: ResolvedKarpenterClusterArgs, parent: pulumi.Resource): Network {
    const discovery = { [DISCOVERY_TAG_KEY]: a.clusterName };
    if (a.existingVpcId !== undefined && a.existingPrivateSubnetIds !== undefined) {
        a.existingPrivateSubnetIds.forEach(
            (subnetId, i) =>
                new aws.ec2.Tag(
                    `${name}-subnet-${i}-discovery`,
                    { resourceId: subnetId, key: DISCOVERY_TAG_KEY, value: a.clusterName },
                    { parent },
                ),
        );
        return { vpcId: pulumi.output(a.existingVpcId), privateSubnetIds: pulumi.output(a.existingPrivateSubnetIds) };
    }
    const vpc = new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
            cidrBlock: a.vpcCidrBlock,
            numberOfAvailabilityZones: a.availabilityZoneCount,
            natGateways: { strategy: a.natGateways },
            subnetStrategy: "Auto",
            subnetSpecs: [
                {
                    type: "Private",
                    cidrMask: 19,
                    tags: { ...a.tags, ...discovery, "kubernetes.io/role/internal-elb": "1" },
                },
                { type: "Public", cidrMask: 22, tags: { ...a.tags, "kubernetes.io/role/elb": "1" } },
            ],
            enableDnsHostnames: true,
            tags: a.tags,
        },
        { parent },
    );
    return { vpcId: vpc.vpcId, privateSubnetIds: vpc.privateSubnetIds, publicSubnetIds: vpc.publicSubnetIds };
}

function createControlPlane(name: string, a: ResolvedKarpenterClusterArgs, network: Network, scope: AwsScope, parent: pulumi.Resource): eks.Cluster {
    const secretsKey = a.secretsEncryption
        ? new aws.kms.Key(
              `${name}-secrets-key`,
              {
                  description: `Envelope encryption of Kubernetes secrets in EKS cluster ${a.clusterName}`,
                  enableKeyRotation: true,
                  deletionWindowInDays: 30,
                  tags: a.tags,
              },
              { parent },
          )
        : undefined;
    // The cluster's own service role, rather than the one @pulumi/eks would make, so that it can
    // be granted the secrets key: EKS encrypts and decrypts with the cluster role's permissions.
    const serviceRole = new aws.iam.Role(
        `${name}-eks-role`,
        {
            description: `EKS control plane of ${a.clusterName}`,
            assumeRolePolicy: JSON.stringify(eksServiceTrustPolicy()),
            tags: a.tags,
        },
        { parent },
    );
    const serviceRolePolicies: pulumi.Resource[] = [
        new aws.iam.RolePolicyAttachment(
            `${name}-eks-role-cluster-policy`,
            { role: serviceRole.name, policyArn: pulumi.interpolate`arn:${scope.partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
            { parent },
        ),
    ];
    if (secretsKey) {
        serviceRolePolicies.push(
            new aws.iam.RolePolicy(
                `${name}-eks-role-secrets-key`,
                { role: serviceRole.name, policy: secretsKey.arn.apply((arn) => JSON.stringify(eksSecretsKeyPolicy(arn))) },
                { parent },
            ),
        );
    }
    const cluster = new eks.Cluster(
        `${name}-eks`,
        {
            name: a.clusterName,
            version: a.kubernetesVersion,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            publicSubnetIds: network.publicSubnetIds,
            // Access entries only: the aws-auth ConfigMap is deprecated and cannot express EC2_LINUX entries.
            authenticationMode: eks.AuthenticationMode.Api,
            createOidcProvider: true,
            skipDefaultNodeGroup: true,
            // Without the extra security groups every node (system and Karpenter's) uses the cluster's
            // primary security group, which already allows node, pod and control-plane traffic.
            skipDefaultSecurityGroups: true,
            nodeAssociatePublicIpAddress: false,
            endpointPrivateAccess: true,
            endpointPublicAccess: a.endpointPublicAccessCidrs.length > 0,
            publicAccessCidrs: a.endpointPublicAccessCidrs.length > 0 ? a.endpointPublicAccessCidrs : undefined,
            enabledClusterLogTypes: a.controlPlaneLogging ? EKS_CONTROL_PLANE_LOG_TYPES : [],
            encryptionConfigKeyArn: secretsKey?.arn,
            serviceRole,
            deletionProtection: a.deletionProtection,
            tags: a.tags,
        },
        { parent, dependsOn: serviceRolePolicies },
    );
    // Karpenter's EC2NodeClass selects this group by tag, so its nodes share the system nodes' rules.
    new aws.ec2.Tag(
        `${name}-cluster-sg-discovery`,
        { resourceId: cluster.eksCluster.vpcConfig.clusterSecurityGroupId, key: DISCOVERY_TAG_KEY, value: a.clusterName },
        { parent },
    );
    return cluster;
}

/** Attaches the four AWS-managed policies every EKS worker node needs. */
function attachWorkerNodePolicies(name: string, role: aws.iam.Role, scope: AwsScope, parent: pulumi.Resource): aws.iam.RolePolicyAttachment[] {
    const arns = scope.partition.apply((p) => eksWorkerNodePolicyArns(p));
    return [0, 1, 2, 3].map(
        (i) => new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn: arns.apply((list) => list[i]) }, { parent }),
    );
}

function createSystemNodeGroup(
    name: string,
    a: ResolvedKarpenterClusterArgs,
    cluster: eks.Cluster,
    network: Network,
    scope: AwsScope,
    parent: pulumi.Resource,
) {
    const role = new aws.iam.Role(
        `${name}-system-node-role`,
        {
            description: `System nodes of EKS cluster ${a.clusterName} (Karpenter, CoreDNS, Spark Operator)`,
            assumeRolePolicy: scope.dnsSuffix.apply((s) => JSON.stringify(ec2TrustPolicy(s))),
            tags: a.tags,
        },
        { parent },
    );
    const policyAttachments = attachWorkerNodePolicies(`${name}-system-node-policy`, role, scope, parent);
    const nodeGroup = new eks.ManagedNodeGroup(
        `${name}-system`,
        {
            cluster,
            nodeGroupName: "system",
            // Follows the control plane: a version change upgrades the nodes in place after it.
            version: a.kubernetesVersion,
            nodeRole: role,
            instanceTypes: a.systemNodeInstanceTypes,
            amiType: a.systemNodeArchitecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
            capacityType: "ON_DEMAND",
            subnetIds: network.privateSubnetIds,
            scalingConfig: { minSize: a.systemNodeCount, desiredSize: a.systemNodeCount, maxSize: a.systemNodeCount + 1 },
            labels: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
            taints: [{ key: SYSTEM_NODE_TAINT.key, value: SYSTEM_NODE_TAINT.value, effect: "NO_SCHEDULE" }],
            tags: a.tags,
        },
        // Explicit: the SDK leaves resource references out of a remote component's dependencies,
        // and destroy must remove the node group before the cluster it runs in.
        { parent, dependsOn: [cluster, ...policyAttachments] },
    );
    return { role, nodeGroup };
}

function createInterruptionHandling(name: string, a: ResolvedKarpenterClusterArgs, parent: pulumi.Resource) {
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

function createKarpenterNodeRole(name: string, a: ResolvedKarpenterClusterArgs, cluster: eks.Cluster, scope: AwsScope, parent: pulumi.Resource) {
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

function createKarpenterController(
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
