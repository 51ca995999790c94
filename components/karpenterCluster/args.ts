import * as pulumi from "@pulumi/pulumi";
import { EksAccessPolicy, NatGatewayStrategy } from "../enums";
import { DEFAULT_KARPENTER_VERSION, DEFAULT_KUBERNETES_VERSION, kubernetesSupportProblem } from "../karpenter/versions";
import { ArgChecker, EKS_CLUSTER_NAME, IPV4_CIDR, KUBERNETES_VERSION, SEMVER } from "../validation";

/** An IAM principal given access to the cluster through an EKS access entry. */
export interface AdminPrincipal {
    /**
     * ARN of an IAM role or user, e.g. "arn:aws:iam::111122223333:role/platform-admins" (not an STS
     * assumed-role ARN). Plain, not an Input: it names the access entry's child resources and is
     * checked (form, duplicates) before anything is registered.
     */
    principalArn: string;
    /**
     * The EKS access policy associated with the entry.
     * @default "AmazonEKSClusterAdminPolicy"
     */
    accessPolicy?: EksAccessPolicy;
    /**
     * Namespaces the policy is limited to; cluster-wide when unset.
     * @default cluster-wide
     */
    namespaces?: string[];
}

export interface KarpenterClusterArgs {
    /**
     * The EKS cluster's name: 1-100 letters, digits, hyphens and underscores. It also names the
     * interruption queue and Karpenter's IAM roles and policies, and is the discovery tag's value.
     * Changing it replaces the cluster. Plain, not an Input: this component creates the cluster, and
     * the name is checked against EKS's rules before anything is registered.
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
     * An existing VPC to use instead of creating one (another stack's or resource's output is
     * fine). Requires existingPrivateSubnetIds.
     */
    existingVpcId?: pulumi.Input<string>;
    /**
     * Private subnets of the existing VPC for the control plane and all nodes, in at least two
     * zones. They get the karpenter.sh/discovery tag. Each id may be another resource's output; the
     * list itself is plain because its length is checked and one tag resource is made per subnet.
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
     * Total vCPUs of the NodePools Karpenter will manage (the sum of their CPU limits). Sizes the
     * controller's requests and limits: Karpenter's memory grows with the nodes and pods it tracks.
     * @default 1000
     */
    karpenterManagedVcpus?: number;
    /**
     * Protect the karpenter-crd Helm release (`protect`): deleting it deletes Karpenter's CRDs and
     * with them every NodePool, EC2NodeClass and NodeClaim, so every node and job. It is always
     * retained on delete. Dev stacks turn protection off so that `pulumi destroy` runs unattended.
     * @default true
     */
    protectKarpenterCrds?: boolean;
    /**
     * IAM roles or users besides the deployer that get an EKS access entry and access policy.
     * @default []
     */
    adminPrincipals?: AdminPrincipal[];
    /**
     * With existingVpcId: tag the existing subnets for Karpenter's discovery (an aws.ec2.Tag per
     * subnet). Turn off when the subnets are tagged elsewhere; they are then checked at preview.
     * @default true
     */
    tagExistingSubnets?: boolean;
    /**
     * An S3 gateway VPC endpoint on the private subnets' route tables (free; S3 traffic then
     * skips the NAT gateways). Turn off when the VPC already has one for these route tables.
     * @default true
     */
    s3GatewayEndpoint?: boolean;
    /**
     * Tags for every AWS resource the component creates.
     * @default {}
     */
    tags?: Record<string, string>;
}

export interface ResolvedAdminPrincipal {
    principalArn: string;
    accessPolicy: EksAccessPolicy;
    namespaces?: string[];
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
    karpenterManagedVcpus: number;
    protectKarpenterCrds: boolean;
    adminPrincipals: ResolvedAdminPrincipal[];
    tagExistingSubnets: boolean;
    s3GatewayEndpoint: boolean;
    tags: Record<string, string>;
}

/** An IAM role or user ARN, as EKS access entries take it (partition, 12-digit account, role/ or user/ with an optional path). */
export const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:(role|user)\/[\w+=,.@\/-]{1,512}$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function checkAdminPrincipals(check: ArgChecker, value: unknown): ResolvedAdminPrincipal[] {
    const allowed = 'a list of {principalArn: an IAM role or user ARN such as "arn:aws:iam::111122223333:role/admins", optional accessPolicy, optional namespaces}';
    if (!Array.isArray(value)) {
        check.fail("adminPrincipals", value, allowed);
    }
    const seen = new Set<string>();
    return (value as AdminPrincipal[]).map((p) => {
        const arn = p?.principalArn;
        const assumed = typeof arn === "string" ? /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn) : null;
        if (assumed) {
            check.fail("adminPrincipals", arn, `an IAM role ARN, not an STS session: did you mean "arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}"?`);
        }
        if (typeof arn !== "string" || !IAM_PRINCIPAL_ARN.test(arn)) {
            check.fail("adminPrincipals", arn, allowed);
        }
        if (seen.has(arn)) {
            check.fail("adminPrincipals", arn, "each principal once (EKS allows one access entry per principal)");
        }
        seen.add(arn);
        const accessPolicy = check.oneOf("adminPrincipals", p.accessPolicy ?? EksAccessPolicy.ClusterAdmin, EksAccessPolicy);
        if (p.namespaces !== undefined && (!Array.isArray(p.namespaces) || p.namespaces.length === 0 || p.namespaces.some((n) => typeof n !== "string" || !NAMESPACE.test(n)))) {
            check.fail("adminPrincipals", p.namespaces, "a non-empty list of Kubernetes namespace names, or unset for cluster-wide access");
        }
        return { principalArn: arn, accessPolicy, namespaces: p.namespaces };
    });
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
        karpenterManagedVcpus: check.integer("karpenterManagedVcpus", args.karpenterManagedVcpus ?? 1000, 1, 1_000_000),
        protectKarpenterCrds: check.boolean("protectKarpenterCrds", args.protectKarpenterCrds ?? true),
        adminPrincipals: checkAdminPrincipals(check, args.adminPrincipals ?? []),
        tagExistingSubnets: check.boolean("tagExistingSubnets", args.tagExistingSubnets ?? true),
        s3GatewayEndpoint: check.boolean("s3GatewayEndpoint", args.s3GatewayEndpoint ?? true),
        tags: { ...(args.tags ?? {}), "karpenter-spark.io/cluster": clusterName },
    };
}
