import * as pulumi from "@pulumi/pulumi";
import Ajv from "ajv";
import { isDeepStrictEqual } from "util";
import { IAM_PRINCIPAL_ARN } from "../components/karpenterCluster/args";
import { EnvironmentTier, TIER_TAG } from "../components/tier";
import { Architecture, CapacityType, ConsolidationPolicy, InstanceCategory, NatGatewayStrategy } from "../components/enums";
import { DEFAULT_KARPENTER_VERSION, DEFAULT_KUBERNETES_VERSION } from "../components/karpenter/versions";
import { DEFAULT_AMI_VERSION } from "../components/pools/specs";
import { DataAccessGrant, S3_BUCKET_NAME, S3_PREFIX } from "../components/spark/args";
import { AWS_SDK_V2_VERSION, DEFAULT_SPARK_IMAGE, HADOOP_VERSION, JAR_DIGEST, JAR_DIGEST_ALLOWED } from "../components/spark/image";
import { DataAccess } from "../components/spark/s3a";
import { DEFAULT_SPARK_OPERATOR_VERSION } from "../components/spark/values";
import {
    AL2023_AMI_VERSION,
    CONTAINER_IMAGE,
    DNS1123_LABEL,
    EKS_CLUSTER_NAME,
    invalidMessage,
    suggestion,
    KARPENTER_BUDGET_NODES,
    KARPENTER_DURATION,
    KARPENTER_DURATION_OR_NEVER,
    KUBERNETES_VERSION,
    SEMVER,
} from "../components/validation";

// The one place where stack configuration is declared, defaulted, documented and validated.
// Pulumi.yaml and the README's config reference are generated from it (`npm run gen:config`).

export { EnvironmentTier, TIER_TAG };

/** The config value types Pulumi.yaml can declare. */
export type ConfigType = "string" | "integer" | "boolean" | "array";

export interface ConfigKey {
    type: ConfigType;
    description: string;
    /** What a valid value is, in words, for error messages. */
    allowed: string;
    /** JSON schema of the parsed value. */
    schema: Record<string, unknown>;
    /** The value when the stack does not set it (also declared in Pulumi.yaml, which needs one for every key). */
    default: unknown;
    /** The default is a placeholder for "not set" (an empty string or list, or 0), not a value. */
    placeholder?: true;
}

const pattern = (re: RegExp) => re.source;
const enumOf = (e: Record<string, string>) => Object.values(e);
const listOf = (item: Record<string, unknown>) => ({ type: "array", items: item, minItems: 1, uniqueItems: true });
const quoted = (values: string[]) => values.map((v) => JSON.stringify(v)).join(", ");
const categories = enumOf(InstanceCategory);
const DURATION = 'a duration such as "30s", "1m" or "720h"';

/** The stack's configuration, every default applied. */
export interface StackConfig {
    project: string;
    stack: string;
    region: string;
    clusterName: string;
    kubernetesVersion: string;
    karpenterVersion: string;
    sparkOperatorVersion: string;
    deployExampleJob: boolean;
    availabilityZoneCount: number;
    natGateways: NatGatewayStrategy;
    vpcCidrBlock: string;
    endpointPublicAccessCidrs: string[];
    existingVpcId?: string;
    existingPrivateSubnetIds?: string[];
    tagExistingSubnets: boolean;
    s3GatewayEndpoint: boolean;
    adminPrincipals: string[];
    controlPlaneLogging: boolean;
    secretsEncryption: boolean;
    deletionProtection: boolean;
    systemNodeInstanceTypes: string[];
    systemNodeCount: number;
    karpenterReplicas: number;
    executorInstanceCategories: InstanceCategory[];
    executorGenerationGreaterThan: number;
    executorInstanceFamilies?: string[];
    executorInstanceSizes?: string[];
    executorArchitectures: Architecture[];
    executorCapacityTypes: CapacityType[];
    executorMinInstanceTypes: number;
    executorMinInstanceFamilies: number;
    executorMaxInstanceVcpus: number;
    executorCpuLimit: number;
    executorMemoryLimitGi?: number;
    executorConsolidationPolicy: ConsolidationPolicy;
    executorConsolidateAfter: string;
    executorExpireAfter: string;
    maxJobDuration: string;
    executorTerminationGracePeriod?: string;
    executorDisruptionBudgetNodes: string;
    driverInstanceCategories: InstanceCategory[];
    driverCpuLimit: number;
    amiVersion: string;
    nodeVolumeSizeGi: number;
    instanceStoreRaid0: boolean;
    sparkJobNamespaces: string[];
    sparkImage: string;
    sparkImageHasS3A: boolean;
    s3aHadoopAwsDigest?: string;
    s3aAwsSdkBundleDigest?: string;
    highAvailability: boolean;
    protectEventLogs: boolean;
    eventLogRetentionDays: number;
    sparkMaxConcurrentApplications: number;
    sparkMetrics: boolean;
    sparkPodMonitors: boolean;
    historyServerIngressClassName?: string;
    historyServerIngressHost?: string;
    sparkDataAccess?: DataAccessGrant[];
    allowUntestedVersions: boolean;
    checkUpgradePath: boolean;
    environmentTier: EnvironmentTier;
}

/** Every key of the project's config namespace: exactly the fields of StackConfig. */
export const CONFIG_KEYS: { [K in Exclude<keyof StackConfig, "project" | "stack" | "region">]-?: ConfigKey } = {
    clusterName: {
        type: "string",
        description: "Name of the EKS cluster (and of Karpenter's IAM roles and interruption queue); empty: <project>-<stack>. Changing it replaces the cluster.",
        allowed: "1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit",
        schema: { type: "string", pattern: pattern(EKS_CLUSTER_NAME) },
        default: "",
        placeholder: true,
    },
    kubernetesVersion: {
        type: "string",
        description: "Kubernetes minor version of the EKS control plane and system nodes.",
        allowed: 'a Kubernetes minor version such as "1.35" that the Karpenter version supports',
        schema: { type: "string", pattern: pattern(KUBERNETES_VERSION) },
        default: DEFAULT_KUBERNETES_VERSION,
    },
    karpenterVersion: {
        type: "string",
        description: "Karpenter release (karpenter-crd and karpenter charts). Upgrade one minor version at a time.",
        allowed: 'a Karpenter release version such as "1.14.1"',
        schema: { type: "string", pattern: pattern(SEMVER) },
        default: DEFAULT_KARPENTER_VERSION,
    },
    sparkOperatorVersion: {
        type: "string",
        description: "Version of the Kubeflow spark-operator Helm chart.",
        allowed: 'a chart version such as "2.5.2"',
        schema: { type: "string", pattern: pattern(SEMVER) },
        default: DEFAULT_SPARK_OPERATOR_VERSION,
    },
    deployExampleJob: {
        type: "boolean",
        description: "Deploy the spark-pi example job (driver On-Demand, 20 executors on Spot).",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: false,
    },
    availabilityZoneCount: {
        type: "integer",
        description: "Availability zones of the VPC's subnets (at least 2, as EKS requires).",
        allowed: "a whole number from 2 to 6",
        schema: { type: "integer", minimum: 2, maximum: 6 },
        default: 3,
    },
    natGateways: {
        type: "string",
        description: 'NAT gateways: "Single" (one shared, cheapest) or "OnePerAz" (zone-independent egress).',
        allowed: quoted(enumOf(NatGatewayStrategy)),
        schema: { enum: enumOf(NatGatewayStrategy) },
        default: NatGatewayStrategy.Single,
    },
    vpcCidrBlock: {
        type: "string",
        description: "CIDR block of the VPC: a /16 (up to 6 zones) or a /17 (up to 3), for a /19 private and a /22 public subnet per zone.",
        allowed: 'an IPv4 CIDR block from /16 to /28 such as "10.0.0.0/16", large enough for the zones\' subnets',
        // Checked by the components (components/validation/network.ts), the one place for the rule.
        schema: { type: "string" },
        default: "10.0.0.0/16",
    },
    endpointPublicAccessCidrs: {
        type: "array",
        description:
            "Public CIDR blocks (at most 40) allowed to reach the Kubernetes API endpoint: the networks `pulumi up` and kubectl run from. Private and documentation ranges are refused; [] (a private endpoint) only with existingVpcId.",
        allowed: 'a list of public IPv4 CIDR blocks such as ["52.94.133.0/24"]',
        // Checked by the components (components/validation/network.ts), the one place for the rule.
        schema: { type: "array", items: { type: "string" } },
        default: ["0.0.0.0/0"],
    },
    existingVpcId: {
        type: "string",
        description: "An existing VPC to run in instead of creating one (with existingPrivateSubnetIds); empty: create a VPC.",
        allowed: 'a VPC ID such as "vpc-0123456789abcdef0", or "" to create a VPC',
        schema: { type: "string", pattern: "^vpc-[0-9a-f]{8,17}$" },
        default: "",
        placeholder: true,
    },
    existingPrivateSubnetIds: {
        type: "array",
        description: "Private subnets of existingVpcId for the control plane and all nodes, in at least two zones.",
        allowed: 'a list of at least two subnet IDs such as ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]',
        schema: { type: "array", items: { type: "string", pattern: "^subnet-[0-9a-f]{8,17}$" }, uniqueItems: true },
        default: [],
        placeholder: true,
    },
    tagExistingSubnets: {
        type: "boolean",
        description: "Tag existingPrivateSubnetIds with karpenter.sh/discovery; false: they must carry it already (checked at preview).",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: true,
    },
    s3GatewayEndpoint: {
        type: "boolean",
        description: "S3 gateway VPC endpoint on the private route tables (free; Spark's S3 traffic skips the NAT gateways). Off if the VPC already has one.",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: true,
    },
    adminPrincipals: {
        type: "array",
        description: "IAM role or user ARNs given cluster-admin access (EKS access entry + AmazonEKSClusterAdminPolicy) besides the deployer.",
        allowed: 'a list of IAM role or user ARNs such as ["arn:aws:iam::111122223333:role/platform-admins"]',
        schema: { type: "array", items: { type: "string", pattern: pattern(IAM_PRINCIPAL_ARN) }, uniqueItems: true },
        default: [],
    },
    controlPlaneLogging: {
        type: "boolean",
        description: "Send the EKS control plane's five log types to CloudWatch Logs.",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: true,
    },
    secretsEncryption: {
        type: "boolean",
        description: "Envelope-encrypt Kubernetes secrets with a dedicated KMS key.",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: true,
    },
    deletionProtection: {
        type: "boolean",
        description: "EKS deletion protection: the cluster cannot be deleted until it is turned off.",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: true,
    },
    systemNodeInstanceTypes: {
        type: "array",
        description: "Instance types of the On-Demand system node group (Karpenter, CoreDNS, Spark Operator).",
        allowed: 'a non-empty list of EC2 instance types of one architecture, such as ["m7g.large"]',
        schema: listOf({ type: "string", pattern: "^[a-z][a-z0-9-]*\\.[a-z0-9-]+$" }),
        default: ["m7g.large"],
    },
    systemNodeCount: {
        type: "integer",
        description: "Number of system nodes.",
        allowed: "a whole number from 1 to 20",
        schema: { type: "integer", minimum: 1, maximum: 20 },
        default: 2,
    },
    karpenterReplicas: {
        type: "integer",
        description: "Karpenter controller replicas, one per system node.",
        allowed: "a whole number from 1 to 5, at most systemNodeCount",
        schema: { type: "integer", minimum: 1, maximum: 5 },
        default: 2,
    },
    executorInstanceCategories: {
        type: "array",
        description: "Instance categories the Spot executor pool may launch.",
        allowed: `a non-empty list of distinct categories from ${quoted(categories)}`,
        schema: listOf({ enum: categories }),
        default: ["c", "m", "r"],
    },
    executorGenerationGreaterThan: {
        type: "integer",
        description: "Executor instances must be of a generation greater than this.",
        allowed: "a whole number from 0 to 20",
        schema: { type: "integer", minimum: 0, maximum: 20 },
        default: 4,
    },
    executorInstanceFamilies: {
        type: "array",
        description: "Instance families the executor pool is limited to (empty: any family of the categories).",
        allowed: 'a non-empty list of instance families such as ["m7i", "r7i"]',
        schema: listOf({ type: "string", pattern: "^[a-z]+[0-9][a-z0-9-]*$" }),
        default: [],
        placeholder: true,
    },
    executorInstanceSizes: {
        type: "array",
        description: "Instance sizes the executor pool is limited to (empty: any size).",
        allowed: 'a non-empty list of instance sizes such as ["2xlarge", "4xlarge"]',
        schema: listOf({ type: "string", pattern: "^[a-z0-9-]+$" }),
        default: [],
        placeholder: true,
    },
    executorArchitectures: {
        type: "array",
        description: "CPU architectures for executors (arm64 needs a multi-arch Spark image).",
        allowed: `a non-empty list from ${quoted(enumOf(Architecture))}`,
        schema: listOf({ enum: enumOf(Architecture) }),
        default: ["amd64"],
    },
    executorCapacityTypes: {
        type: "array",
        description: 'Capacity types for executors; must include "spot" ("on-demand" adds a fallback).',
        allowed: `a non-empty list from ${quoted(enumOf(CapacityType))} that includes "spot"`,
        schema: { ...listOf({ enum: enumOf(CapacityType) }), contains: { const: CapacityType.Spot } },
        default: ["spot"],
    },
    executorMinInstanceTypes: {
        type: "integer",
        description: "Each executor launch must be able to choose among at least this many instance types.",
        allowed: "a whole number from 1 to 50",
        schema: { type: "integer", minimum: 1, maximum: 50 },
        default: 10,
    },
    executorMinInstanceFamilies: {
        type: "integer",
        description: "Each executor launch must be able to choose among at least this many instance families.",
        allowed: "a whole number from 1 to 30",
        schema: { type: "integer", minimum: 1, maximum: 30 },
        default: 5,
    },
    executorMaxInstanceVcpus: {
        type: "integer",
        description: "Largest executor instance, in vCPUs (32: 8xlarge).",
        allowed: "a whole number from 2 to 896",
        schema: { type: "integer", minimum: 2, maximum: 896 },
        default: 32,
    },
    executorCpuLimit: {
        type: "integer",
        description: "Total vCPUs the Spot executor pool may run at once.",
        allowed: "a whole number greater than 0, such as 1000",
        schema: { type: "integer", exclusiveMinimum: 0 },
        default: 1000,
    },
    executorMemoryLimitGi: {
        type: "integer",
        description: "Total memory (GiB) the executor pool may run at once (0: unlimited).",
        allowed: "a whole number greater than 0, or 0 for no limit",
        schema: { type: "integer", exclusiveMinimum: 0 },
        default: 0,
        placeholder: true,
    },
    executorConsolidationPolicy: {
        type: "string",
        description: "When Karpenter may consolidate executor nodes.",
        allowed: quoted(enumOf(ConsolidationPolicy)),
        schema: { enum: enumOf(ConsolidationPolicy) },
        default: ConsolidationPolicy.WhenEmpty,
    },
    executorConsolidateAfter: {
        type: "string",
        description: "How long an executor node must be consolidatable before Karpenter acts: 0s removes an empty node about 20 s after its last executor; 1m keeps it for a pipeline's next task.",
        allowed: `${DURATION}, or "Never"`,
        schema: { type: "string", pattern: pattern(KARPENTER_DURATION_OR_NEVER) },
        default: "0s",
    },
    executorExpireAfter: {
        type: "string",
        description: "Age after which executor nodes are replaced.",
        allowed: `${DURATION}, or "Never"`,
        schema: { type: "string", pattern: pattern(KARPENTER_DURATION_OR_NEVER) },
        default: "720h",
    },
    maxJobDuration: {
        type: "string",
        description: "Longest a Spark job may run: both pools' terminationGracePeriod (a node with a running driver is drained at most this long) and the NodePools' delete timeout.",
        allowed: DURATION,
        schema: { type: "string", pattern: pattern(KARPENTER_DURATION) },
        default: "24h",
    },
    executorTerminationGracePeriod: {
        type: "string",
        description: "Longest Karpenter waits for an executor node to drain (empty: maxJobDuration).",
        allowed: `${DURATION}, or "" for maxJobDuration`,
        schema: { type: "string", pattern: pattern(KARPENTER_DURATION) },
        default: "",
        placeholder: true,
    },
    executorDisruptionBudgetNodes: {
        type: "string",
        description: "Executor nodes Karpenter may disrupt at once for drift or under-utilization: a count or a percentage (empty nodes go all at once).",
        allowed: 'a whole number or a percentage such as "10%"',
        schema: { type: "string", pattern: pattern(KARPENTER_BUDGET_NODES) },
        default: "10%",
    },
    driverInstanceCategories: {
        type: "array",
        description: "Instance categories the On-Demand driver pool may launch.",
        allowed: `a non-empty list of distinct categories from ${quoted(categories)}`,
        schema: listOf({ enum: categories }),
        default: ["c", "m", "r"],
    },
    driverCpuLimit: {
        type: "integer",
        description: "Total vCPUs the On-Demand driver pool may run at once.",
        allowed: "a whole number greater than 0",
        schema: { type: "integer", exclusiveMinimum: 0 },
        default: 100,
    },
    amiVersion: {
        type: "string",
        description: 'EKS AL2023 AMI release for Karpenter nodes, e.g. "v20260714" ("latest" follows every release).',
        allowed: 'an AL2023 release such as "v20260714", or "latest"',
        schema: { type: "string", pattern: pattern(AL2023_AMI_VERSION) },
        default: DEFAULT_AMI_VERSION,
    },
    nodeVolumeSizeGi: {
        type: "integer",
        description: "Root volume size (GiB) of Karpenter nodes.",
        allowed: "a whole number from 20 to 16384",
        schema: { type: "integer", minimum: 20, maximum: 16384 },
        default: 100,
    },
    instanceStoreRaid0: {
        type: "boolean",
        description: "RAID0 the instance-store NVMe disks for Spark shuffle (d-suffixed families).",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: false,
    },
    sparkJobNamespaces: {
        type: "array",
        description: "Namespaces Spark jobs run in; the first holds the example job.",
        allowed: 'a non-empty list of distinct DNS-1123 labels such as ["spark-jobs"]',
        schema: listOf({ type: "string", pattern: pattern(DNS1123_LABEL) }),
        default: ["spark-jobs"],
    },
    sparkImage: {
        type: "string",
        description: "Spark image for the example job and the History Server (default: ECR Public's mirror of the Docker Official Image, no Docker Hub pull limit); point it at your own registry.",
        allowed: `a container image reference such as "${DEFAULT_SPARK_IMAGE}" or your own registry's`,
        schema: { type: "string", pattern: pattern(CONTAINER_IMAGE) },
        default: DEFAULT_SPARK_IMAGE,
    },
    sparkImageHasS3A: {
        type: "boolean",
        description: "Whether sparkImage has the S3A connector (docker/spark-s3a/Dockerfile); otherwise the History Server and the example job's driver fetch the pinned jars at start-up (the example's executors read no S3 data).",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: false,
    },
    s3aHadoopAwsDigest: {
        type: "string",
        description: `Digest the init containers check hadoop-aws-${HADOOP_VERSION}.jar against (unset: the SHA-1 pinned in components/spark/image.ts).`,
        allowed: JAR_DIGEST_ALLOWED,
        schema: { type: "string", pattern: `^$|${pattern(JAR_DIGEST)}` },
        default: "",
        placeholder: true,
    },
    s3aAwsSdkBundleDigest: {
        type: "string",
        description: `Digest the init containers check bundle-${AWS_SDK_V2_VERSION}.jar (AWS SDK v2) against (unset: the SHA-1 Maven Central serves next to it; no offline source pins it).`,
        allowed: JAR_DIGEST_ALLOWED,
        schema: { type: "string", pattern: `^$|${pattern(JAR_DIGEST)}` },
        default: "",
        placeholder: true,
    },
    highAvailability: {
        type: "boolean",
        description: "Two Spark Operator controller and webhook replicas with PodDisruptionBudgets.",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: true,
    },
    protectEventLogs: {
        type: "boolean",
        description: "Protect the event-log bucket from deletion.",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: true,
    },
    eventLogRetentionDays: {
        type: "integer",
        description: "Days to keep Spark event logs.",
        allowed: "a whole number from 1 to 3650",
        schema: { type: "integer", minimum: 1, maximum: 3650 },
        default: 30,
    },
    sparkMaxConcurrentApplications: {
        type: "integer",
        description: "SparkApplications meant to run at once; sizes the Spark Operator controller's workers and memory.",
        allowed: "a whole number from 1 to 1000",
        schema: { type: "integer", minimum: 1, maximum: 1000 },
        default: 20,
    },
    sparkMetrics: {
        type: "boolean",
        description: "Expose Spark's Prometheus endpoints (example job) and the Spark Operator's metrics.",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: false,
    },
    sparkPodMonitors: {
        type: "boolean",
        description: "Create Prometheus Operator PodMonitors for the operator and Spark drivers, metrics included (the cluster must have the monitoring.coreos.com CRDs).",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: false,
    },
    historyServerIngressClassName: {
        type: "string",
        description: "IngressClass of an Ingress for the Spark History Server (e.g. alb); it or historyServerIngressHost creates the Ingress.",
        allowed: 'an IngressClass name such as "alb"',
        schema: { type: "string" },
        default: "",
        placeholder: true,
    },
    historyServerIngressHost: {
        type: "string",
        description: "Host name of the History Server's Ingress (empty: every host); it or historyServerIngressClassName creates the Ingress.",
        allowed: 'a DNS host name such as "spark-history.example.com"',
        schema: { type: "string" },
        default: "",
        placeholder: true,
    },
    sparkDataAccess: {
        type: "array",
        description: "Per-job S3 access: service accounts in job namespaces, each with read or read-write access to one bucket prefix (EKS Pod Identity).",
        allowed: 'a list of {"serviceAccountName", "namespace", "bucket", "prefix", "access": "read" | "read-write"}',
        schema: {
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["serviceAccountName", "namespace", "bucket", "prefix", "access"],
                properties: {
                    serviceAccountName: { type: "string", pattern: pattern(DNS1123_LABEL) },
                    namespace: { type: "string", pattern: pattern(DNS1123_LABEL) },
                    bucket: { type: "string", pattern: pattern(S3_BUCKET_NAME) },
                    prefix: { type: "string", pattern: pattern(S3_PREFIX) },
                    access: { type: "string", enum: Object.values(DataAccess) },
                },
            },
        },
        default: [],
        placeholder: true,
    },
    allowUntestedVersions: {
        type: "boolean",
        description: "Accept Karpenter and Spark Operator chart versions this project has not been tested with (karpenterVersion, sparkOperatorVersion).",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: false,
    },
    checkUpgradePath: {
        type: "boolean",
        description: "Refuse Karpenter version changes that skip a minor version (compared with the stack's last deployment).",
        allowed: "true or false",
        schema: { type: "boolean" },
        default: true,
    },
    environmentTier: {
        type: "string",
        description: 'Environment tier: which policy-pack rules apply ("production" adds the production-only rules, e.g. no API endpoint open to 0.0.0.0/0). Tagged on every resource as karpenter-spark.io/tier.',
        allowed: quoted(enumOf(EnvironmentTier)),
        schema: { enum: enumOf(EnvironmentTier) },
        default: EnvironmentTier.Production,
    },
};

/** Invalid configuration: Pulumi prints a RunError's message without a stack trace. */
export class ConfigError extends pulumi.RunError {}

/** An AWS region name: us-west-2, eu-central-1, ap-southeast-5, us-gov-west-1, cn-north-1. */
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

const ajv = new Ajv({ allErrors: false, strict: true });
const validators = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, spec]) => [k, ajv.compile(spec.schema)]));

/** The error for an invalid value of a config key. */
export function invalidConfig(key: string, value: unknown, allowed: string): ConfigError {
    return new ConfigError(`Invalid stack config: ${invalidMessage(key, value, allowed)}`);
}

/** One invalid key of a stack's configuration. */
export interface ConfigProblem {
    /** The full key (`project:key`, `aws:region`). */
    key: string;
    /** The one-line message, without the "Invalid stack config: " prefix. */
    message: string;
}

/** Collects problems instead of stopping at the first, so a user sees every bad key at once. */
class Problems {
    readonly list: ConfigProblem[] = [];
    add(key: string, subject: string, value: unknown, allowed: string): undefined {
        this.list.push({ key, message: invalidMessage(subject, value, allowed) });
        return undefined;
    }
}

const INVALID = Symbol("invalid");

/** Turns Pulumi's string config value into the declared type (INVALID when it cannot be). */
function parse(spec: ConfigKey, raw: string): unknown {
    switch (spec.type) {
        case "string":
            return raw;
        case "integer":
            return /^-?\d+$/.test(raw.trim()) ? Number(raw) : INVALID;
        case "boolean":
            return raw === "true" ? true : raw === "false" ? false : INVALID;
        case "array":
            try {
                return JSON.parse(raw);
            } catch {
                return INVALID;
            }
    }
}

/**
 * Reads and validates the stack configuration from Pulumi's config map (`project:key` to string,
 * as `pulumi.runtime.allConfig()` returns it). Returns every problem (empty when valid) and the
 * configuration when there is none.
 */
export function checkStackConfig(
    all: Record<string, string>,
    project: string,
    stack: string,
): { problems: ConfigProblem[]; config?: StackConfig; partial?: StackConfig } {
    const problems = new Problems();
    const prefix = `${project}:`;
    const known = Object.keys(CONFIG_KEYS);
    for (const key of Object.keys(all)) {
        if (key.startsWith(prefix) && !known.includes(key.slice(prefix.length))) {
            problems.add(key, `config key ${key}`, all[key], `one of the keys declared in Pulumi.yaml and stacks/config.ts${suggestion(key.slice(prefix.length), known) || `: ${known.join(", ")}`}`);
        }
    }
    const region = all["aws:region"];
    if (region === undefined || !REGION.test(region)) {
        problems.add("aws:region", "aws:region", region, 'an AWS region name such as "us-west-2" (set it with `pulumi config set aws:region <region>`)');
    }
    const out: Record<string, unknown> = { project, stack, region };
    for (const [key, spec] of Object.entries(CONFIG_KEYS) as [string, ConfigKey][]) {
        const fullKey = `${prefix}${key}`;
        const raw = all[fullKey];
        const value = raw === undefined ? spec.default : parse(spec, raw);
        if (value === INVALID) {
            problems.add(fullKey, fullKey, raw, spec.allowed);
            continue;
        }
        if (spec.placeholder && isDeepStrictEqual(value, spec.default)) {
            out[key] = undefined;
            continue;
        }
        if (!validators[key](value)) {
            const options = (spec.schema.enum ?? (spec.schema.items as { enum?: string[] } | undefined)?.enum) as string[] | undefined;
            problems.add(fullKey, fullKey, value, `${spec.allowed}${options ? suggestion(value, options) : ""}`);
            continue;
        }
        out[key] = value;
    }
    if (problems.list.length > 0) {
        // The rest, with each bad key at its default, for the components' checks to report on too.
        const partial = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, spec]) => [k, spec.placeholder ? undefined : spec.default]));
        const config = { ...partial, ...out, region: out.region ?? "", clusterName: out.clusterName ?? `${project}-${stack}` } as unknown as StackConfig;
        return { problems: problems.list, partial: config };
    }
    out.clusterName ??= `${project}-${stack}`;
    // Every key was defaulted or parsed and schema-checked above.
    const config = out as unknown as StackConfig;
    crossCheck(config, prefix, problems);
    return problems.list.length > 0 ? { problems: problems.list, partial: config } : { problems: [], config };
}

/**
 * Reads and validates the stack configuration from Pulumi's config map. Throws one ConfigError
 * naming every bad key, one line each.
 */
export function parseStackConfig(all: Record<string, string>, project: string, stack: string): StackConfig {
    const { problems, config } = checkStackConfig(all, project, stack);
    if (!config) {
        throw new ConfigError(problems.map((p) => `Invalid stack config: ${p.message}`).join("\n"));
    }
    return config;
}

/** Rules that relate two keys. */
function crossCheck(c: StackConfig, prefix: string, problems: Problems): void {
    if ((c.existingVpcId === undefined) !== (c.existingPrivateSubnetIds === undefined)) {
        problems.add(`${prefix}existingPrivateSubnetIds`, `${prefix}existingPrivateSubnetIds`, c.existingPrivateSubnetIds ?? [], "existingVpcId and existingPrivateSubnetIds together, or neither (to create a VPC)");
    }
    if (c.existingPrivateSubnetIds !== undefined && c.existingPrivateSubnetIds.length < 2) {
        problems.add(`${prefix}existingPrivateSubnetIds`, `${prefix}existingPrivateSubnetIds`, c.existingPrivateSubnetIds, "at least 2 subnets, in different availability zones (EKS requires two zones)");
    }
    if (c.karpenterReplicas > c.systemNodeCount) {
        problems.add(
            `${prefix}karpenterReplicas`,
            `${prefix}karpenterReplicas`,
            c.karpenterReplicas,
            `at most systemNodeCount (${c.systemNodeCount}): Karpenter runs one replica per system node`,
        );
    }
    if (c.highAvailability && c.systemNodeCount < 2) {
        problems.add(
            `${prefix}highAvailability`,
            `${prefix}highAvailability`,
            c.highAvailability,
            `false while systemNodeCount is ${c.systemNodeCount}: the two webhook replicas need two system nodes`,
        );
    }
}

/** Every invalid config value at once, one line each. */
export function configErrors(problems: { message: string }[]): ConfigError {
    return new ConfigError(problems.map((p) => `Invalid stack config: ${p.message}`).join("\n"));
}

/** The configuration of the stack Pulumi is running, with the problems of its keys. */
export function loadStackConfig(): { config: StackConfig; problems: ConfigProblem[] } {
    const { problems, config, partial } = checkStackConfig(pulumi.runtime.allConfig(), pulumi.getProject(), pulumi.getStack());
    return { config: (config ?? partial) as StackConfig, problems };
}
