import * as pulumi from "@pulumi/pulumi";
import { EksAccessPolicy, NatGatewayStrategy } from "../enums";
import { DEFAULT_KARPENTER_VERSION, DEFAULT_KUBERNETES_VERSION } from "../karpenter/versions";
import { ArgChecker, defaultRegion, EKS_CLUSTER_NAME, requireArgsObject } from "../validation";
import { architectureOf, instanceTypeProblems, regionProblems } from "../validation/launchability";
import { karpenterClusterNames, physicalNameProblems } from "../validation/names";
import { existingNetworkProblems, publicAccessCidrProblems, vpcCidrProblems } from "../validation/network";
import { tagProblems } from "../validation/tags";
import { chartVersionProblems, kubernetesVersionProblems, TESTED_KARPENTER_VERSIONS } from "../validation/versions";

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
     * CIDR block of the created VPC: EC2 allows /16 to /28, and each zone gets a /19 private subnet
     * for nodes and pods (the VPC CNI gives every pod a VPC address) and a /22 public subnet, so a
     * /16 (up to 6 zones) or a /17 (up to 3 zones).
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
     * Public CIDR blocks allowed to reach the Kubernetes API endpoint (at most 40; private and
     * documentation ranges are refused: they never match a deployer's address). An empty list makes
     * the endpoint private, accepted only with existingVpcId (pulumi up must run inside that VPC's
     * network; a VPC the component creates has none). The default is EKS's own, so that
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
    /**
     * AWS region the cluster is deployed to, used to check that the system node instance types
     * are offered there (it does not choose the region: the AWS provider does).
     * @default the stack's aws:region
     */
    region?: string;
    /**
     * Accept a karpenterVersion this project has not been tested with (its tests cover 1.14.1).
     * @default false
     */
    allowUntestedVersions?: boolean;
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
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html (IAM ARN forms, partitions);
// https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html (principalArn: an IAM role or user).
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

/** Applies the defaults (all in this one place) and validates; throws every problem before anything is registered. */
export function resolveKarpenterClusterArgs(name: string, args: KarpenterClusterArgs): ResolvedKarpenterClusterArgs {
    requireArgsObject("KarpenterCluster", name, args ?? {}, "nothing (every argument has a default)");
    args ??= {};
    const check: ArgChecker = new ArgChecker("KarpenterCluster", name);
    const problems = check.problems;
    const clusterName = check.string(
        "clusterName",
        args.clusterName ?? name,
        EKS_CLUSTER_NAME,
        "1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit (EKS's rule)",
    );
    const allowUntestedVersions = check.boolean("allowUntestedVersions", args.allowUntestedVersions ?? false);
    const karpenterVersion = args.karpenterVersion ?? DEFAULT_KARPENTER_VERSION;
    problems.addAll(chartVersionProblems("karpenterVersion", karpenterVersion, TESTED_KARPENTER_VERSIONS, allowUntestedVersions, "allowUntestedVersions"));
    const kubernetesVersion = args.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    problems.addAll(kubernetesVersionProblems("kubernetesVersion", kubernetesVersion, karpenterVersion));
    const region = args.region ?? defaultRegion();
    problems.addAll(regionProblems(args.region !== undefined ? "region" : "region (the stack's aws:region)", region));

    const existingVpcId = args.existingVpcId;
    const existingPrivateSubnetIds = args.existingPrivateSubnetIds;
    problems.addAll(existingNetworkProblems(existingVpcId, existingPrivateSubnetIds));
    const cidrs = args.endpointPublicAccessCidrs ?? ["0.0.0.0/0"];
    problems.addAll(publicAccessCidrProblems("endpointPublicAccessCidrs", cidrs, existingVpcId !== undefined));
    const availabilityZoneCount = check.integer("availabilityZoneCount", args.availabilityZoneCount ?? 3, 2, 6);
    const vpcCidrBlock = args.vpcCidrBlock ?? "10.0.0.0/16";
    if (existingVpcId === undefined) {
        problems.addAll(vpcCidrProblems("vpcCidrBlock", vpcCidrBlock, availabilityZoneCount));
    }

    const systemNodeInstanceTypes = check.listMatching(
        "systemNodeInstanceTypes",
        args.systemNodeInstanceTypes ?? ["m7g.large"],
        INSTANCE_TYPE,
        'a non-empty list of distinct EC2 instance types such as "m7g.large"',
    );
    if (typeof region === "string") {
        problems.addAll(instanceTypeProblems("systemNodeInstanceTypes", systemNodeInstanceTypes, region));
    }
    // The node group's AMI type follows from the architecture (AL2023_ARM_64_STANDARD for Graviton),
    // and one node group has one AMI type: https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html
    const architectures = [...new Set(systemNodeInstanceTypes.map((t) => architectureOf(t)).filter((a) => a !== undefined))];
    if (architectures.length > 1) {
        check.fail(
            "systemNodeInstanceTypes",
            systemNodeInstanceTypes,
            `instance types of one architecture (all Graviton or all x86): one node group has one AMI type; these are ${systemNodeInstanceTypes.map((t) => `${t} ${architectureOf(t)}`).join(", ")}`,
        );
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
    problems.addAll(tagProblems("tags", args.tags, ["karpenter-spark.io/cluster", "karpenter.sh/discovery"], false));
    if (clusterName !== "" && EKS_CLUSTER_NAME.test(clusterName)) {
        problems.addAll(physicalNameProblems(karpenterClusterNames(name, clusterName), name, { subject: "clusterName", value: clusterName }));
    }
    const resolved: ResolvedKarpenterClusterArgs = {
        clusterName,
        kubernetesVersion: String(kubernetesVersion),
        karpenterVersion: String(karpenterVersion),
        availabilityZoneCount,
        natGateways: check.oneOf("natGateways", args.natGateways ?? NatGatewayStrategy.Single, NatGatewayStrategy),
        vpcCidrBlock,
        existingVpcId,
        existingPrivateSubnetIds,
        endpointPublicAccessCidrs: Array.isArray(cidrs) ? cidrs : [],
        controlPlaneLogging: check.boolean("controlPlaneLogging", args.controlPlaneLogging ?? true),
        secretsEncryption: check.boolean("secretsEncryption", args.secretsEncryption ?? true),
        deletionProtection: check.boolean("deletionProtection", args.deletionProtection ?? true),
        systemNodeInstanceTypes,
        systemNodeArchitecture: architectures[0] === "arm64" ? "arm64" : "amd64",
        systemNodeCount,
        karpenterReplicas,
        karpenterManagedVcpus: check.integer("karpenterManagedVcpus", args.karpenterManagedVcpus ?? 1000, 1, 1_000_000),
        protectKarpenterCrds: check.boolean("protectKarpenterCrds", args.protectKarpenterCrds ?? true),
        adminPrincipals: checkAdminPrincipals(check, args.adminPrincipals ?? []),
        tagExistingSubnets: check.boolean("tagExistingSubnets", args.tagExistingSubnets ?? true),
        s3GatewayEndpoint: check.boolean("s3GatewayEndpoint", args.s3GatewayEndpoint ?? true),
        tags: { ...(args.tags ?? {}), "karpenter-spark.io/cluster": clusterName },
    };
    check.done();
    return resolved;
}
