// The table of bad inputs the platform must refuse before anything is registered: component
// arguments (TypeScript, and through the same classes every other language), stack configs and
// command lines. Each row says which argument or key the message must name and how the bad value
// must be shown. tests/unit/refusals*.spec.ts run the rows.
import { expect } from "chai";
import { KarpenterCluster, SparkJob, SparkOperator, SpotExecutorPool } from "../../components";
import { sparkPodPlacement } from "../../components/pools/placement";
import { RenderError } from "../../tools/render";
import { poolPlacements } from "./placements";

/** Runs `run` and returns the RenderError it must raise (anything else, a TypeError included, fails the test). */
export async function mustFail(run: () => Promise<unknown>): Promise<RenderError> {
    try {
        await run();
    } catch (e) {
        if (e instanceof RenderError) {
            return e;
        }
        throw e;
    }
    throw new Error("expected the evaluation to fail");
}

export function expectNothingRegistered(e: RenderError) {
    // The root stack resource exists before any program runs; nothing else may.
    expect(e.registrations.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack")).to.deep.equal([]);
}

const K = "karpenter-spark";

/** [what, construct, the argument the message names, the value as the message shows it] */
export type ComponentCase = [string, () => unknown, string, string];
/** [what, config changes on top of Pulumi.dev.yaml (null removes a key), the key named, the value shown] */
export type ConfigCase = [string, Record<string, string | null>, string, string];

const cluster = (args: object) => () => new KarpenterCluster("c", { deletionProtection: false, ...args } as any);
const namedCluster = (name: string, args: object = {}) => () => new KarpenterCluster(name, { clusterName: "c", deletionProtection: false, ...args } as any);
const pools = (args: object) => () => new SpotExecutorPool("p", { clusterName: "c", nodeRoleName: "r", ...args } as any);
const spark = (args: object) => () => new SparkOperator("s", { clusterName: "c", ...args } as any);
const namedSpark = (name: string) => () => new SparkOperator(name, { clusterName: "c" });
const driver = sparkPodPlacement({ role: "driver", nodePoolName: "p-drivers", capacityTypes: ["on-demand"] });
const executor = sparkPodPlacement({ role: "executor", nodePoolName: "p-executors", capacityTypes: ["spot"] });
const q = (v: unknown) => JSON.stringify(v);
// The default pools' placements with their capacity, for the pod-fit rows.
const pool = poolPlacements();
const sparkJob = (args: object) => () =>
    new SparkJob("etl", { namespace: "spark-jobs", mainApplicationFile: "s3a://b/app.jar", executorPoolCpuLimit: 1000, region: "us-east-1", ...pool, ...args });
const manyCidrs = Array.from({ length: 41 }, (_, i) => `52.94.${i}.0/24`);
const manyTags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`team-${i}`, "x"]));

export const COMPONENT_CASES: ComponentCase[] = [
    // KarpenterCluster: names
    ["a cluster name with spaces", cluster({ clusterName: "my cluster" }), "clusterName", q("my cluster")],
    ["an empty cluster name", cluster({ clusterName: "" }), "clusterName", q("")],
    ["a 101-character cluster name", cluster({ clusterName: "x".repeat(101) }), "clusterName", q("x".repeat(101))],
    ["a cluster name starting with a hyphen", cluster({ clusterName: "-spark" }), "clusterName", q("-spark")],
    ["a component name that overflows an EventBridge rule name", namedCluster("analytics-platform-production"), "name (the component's resource name)", q("analytics-platform-production")],
    ["a component name with a character IAM refuses", namedCluster("team/spark"), "name (the component's resource name)", q("team/spark")],
    // KarpenterCluster: versions
    ["a Karpenter version with a v", cluster({ karpenterVersion: "v1.14.1" }), "karpenterVersion", q("v1.14.1")],
    ["a Karpenter minor version only", cluster({ karpenterVersion: "1.14" }), "karpenterVersion", q("1.14")],
    ["an untested Karpenter minor without the opt-in", cluster({ karpenterVersion: "1.13.2" }), "karpenterVersion", q("1.13.2")],
    ["a Kubernetes version read from YAML as a float", cluster({ kubernetesVersion: "1.3" }), "kubernetesVersion", q("1.3")],
    ["a Kubernetes version passed as a number", cluster({ kubernetesVersion: 1.3 }), "kubernetesVersion", "1.3"],
    ["a Kubernetes version Karpenter does not support", cluster({ kubernetesVersion: "1.40" }), "kubernetesVersion", q("1.40")],
    ["a Kubernetes version in words", cluster({ kubernetesVersion: "latest" }), "kubernetesVersion", q("latest")],
    ["an opt-in that is not a boolean", cluster({ allowUntestedVersions: "true" }), "allowUntestedVersions", q("true")],
    // KarpenterCluster: region and instance types
    ["a region that does not exist", cluster({ region: "us-west-9" }), "region", q("us-west-9")],
    ["a region in words", cluster({ region: "mars" }), "region", q("mars")],
    ["a misspelt system instance type", cluster({ systemNodeInstanceTypes: ["m7g.larg"] }), "systemNodeInstanceTypes[0]", q("m7g.larg")],
    ["an instance type not offered in the region", cluster({ region: "af-south-1", systemNodeInstanceTypes: ["a1.large"] }), "systemNodeInstanceTypes[0]", q("a1.large")],
    ["system instance types of two architectures", cluster({ systemNodeInstanceTypes: ["m7g.large", "m7i.large"] }), "systemNodeInstanceTypes", q(["m7g.large", "m7i.large"])],
    ["no system instance types", cluster({ systemNodeInstanceTypes: [] }), "systemNodeInstanceTypes", "[]"],
    ["no system nodes", cluster({ systemNodeCount: 0 }), "systemNodeCount", "0"],
    ["more Karpenter replicas than system nodes", cluster({ systemNodeCount: 2, karpenterReplicas: 3 }), "karpenterReplicas", "3"],
    // KarpenterCluster: network
    ["one availability zone", cluster({ availabilityZoneCount: 1 }), "availabilityZoneCount", "1"],
    ["seven availability zones", cluster({ availabilityZoneCount: 7 }), "availabilityZoneCount", "7"],
    ["a NAT strategy in the wrong case", cluster({ natGateways: "OnePerAZ" }), "natGateways", q("OnePerAZ")],
    ["a VPC block larger than EC2 allows", cluster({ vpcCidrBlock: "10.0.0.0/8" }), "vpcCidrBlock", q("10.0.0.0/8")],
    ["a VPC block too small for three zones", cluster({ vpcCidrBlock: "10.0.0.0/18" }), "vpcCidrBlock", q("10.0.0.0/18")],
    ["a /17 for four zones", cluster({ vpcCidrBlock: "10.0.0.0/17", availabilityZoneCount: 4 }), "vpcCidrBlock", q("10.0.0.0/17")],
    ["a VPC block with host bits", cluster({ vpcCidrBlock: "10.0.0.5/16" }), "vpcCidrBlock", q("10.0.0.5/16")],
    ["a VPC block with a /33", cluster({ vpcCidrBlock: "10.0.0.0/33" }), "vpcCidrBlock", q("10.0.0.0/33")],
    ["a VPC block with an octet over 255", cluster({ vpcCidrBlock: "300.0.0.0/16" }), "vpcCidrBlock", q("300.0.0.0/16")],
    ["the documentation range TEST-NET-3 as the API allow-list", cluster({ endpointPublicAccessCidrs: ["203.0.113.0/24"] }), "endpointPublicAccessCidrs[0]", q("203.0.113.0/24")],
    ["the documentation range TEST-NET-2", cluster({ endpointPublicAccessCidrs: ["198.51.100.0/24"] }), "endpointPublicAccessCidrs[0]", q("198.51.100.0/24")],
    ["a host inside TEST-NET-1", cluster({ endpointPublicAccessCidrs: ["192.0.2.10/32"] }), "endpointPublicAccessCidrs[0]", q("192.0.2.10/32")],
    ["a private range as the API allow-list", cluster({ endpointPublicAccessCidrs: ["10.0.0.0/8"] }), "endpointPublicAccessCidrs[0]", q("10.0.0.0/8")],
    ["a home network range", cluster({ endpointPublicAccessCidrs: ["192.168.1.0/24"] }), "endpointPublicAccessCidrs[0]", q("192.168.1.0/24")],
    ["a carrier-grade NAT range", cluster({ endpointPublicAccessCidrs: ["100.64.0.0/10"] }), "endpointPublicAccessCidrs[0]", q("100.64.0.0/10")],
    ["loopback", cluster({ endpointPublicAccessCidrs: ["127.0.0.1/32"] }), "endpointPublicAccessCidrs[0]", q("127.0.0.1/32")],
    ["an allow-list block with host bits", cluster({ endpointPublicAccessCidrs: ["52.94.133.5/24"] }), "endpointPublicAccessCidrs[0]", q("52.94.133.5/24")],
    ["an allow-list block with a /33", cluster({ endpointPublicAccessCidrs: ["52.94.133.0/33"] }), "endpointPublicAccessCidrs[0]", q("52.94.133.0/33")],
    ["41 allow-list blocks", cluster({ endpointPublicAccessCidrs: manyCidrs }), "endpointPublicAccessCidrs", q("41 blocks")],
    ["a block listed twice", cluster({ endpointPublicAccessCidrs: ["52.94.133.0/24", "52.94.133.0/24"] }), "endpointPublicAccessCidrs", q(["52.94.133.0/24", "52.94.133.0/24"])],
    ["a private endpoint on a VPC the component creates", cluster({ endpointPublicAccessCidrs: [] }), "endpointPublicAccessCidrs", "[]"],
    ["an allow-list that is a string", cluster({ endpointPublicAccessCidrs: "0.0.0.0/0" }), "endpointPublicAccessCidrs", q("0.0.0.0/0")],
    ["a malformed VPC id", cluster({ existingVpcId: "vpc-123", existingPrivateSubnetIds: ["subnet-0a000000", "subnet-0b000000"] }), "existingVpcId", q("vpc-123")],
    ["an existing VPC without subnets", cluster({ existingVpcId: "vpc-0123456789abcdef0" }), "existingPrivateSubnetIds", "nothing"],
    ["subnets without a VPC", cluster({ existingPrivateSubnetIds: ["subnet-0a000000", "subnet-0b000000"] }), "existingVpcId", "nothing"],
    ["one existing subnet", cluster({ existingVpcId: "vpc-0123456789abcdef0", existingPrivateSubnetIds: ["subnet-0a000000"] }), "existingPrivateSubnetIds", q(["subnet-0a000000"])],
    ["the same subnet twice", cluster({ existingVpcId: "vpc-0123456789abcdef0", existingPrivateSubnetIds: ["subnet-0a000000", "subnet-0a000000"] }), "existingPrivateSubnetIds", q(["subnet-0a000000", "subnet-0a000000"])],
    ["a malformed subnet id", cluster({ existingVpcId: "vpc-0123456789abcdef0", existingPrivateSubnetIds: ["subnet-0a000000", "subnet-xyz"] }), "existingPrivateSubnetIds[1]", q("subnet-xyz")],
    // KarpenterCluster: tags and the rest
    ["a tag key with AWS's reserved prefix", cluster({ tags: { "aws:owner": "data" } }), "tags key", q("aws:owner")],
    ["more tags than AWS allows", cluster({ tags: manyTags }), "tags", q("50 tags")],
    ["a tag value of 300 characters", cluster({ tags: { team: "x".repeat(300) } }), 'tags["team"]', q("x".repeat(300))],
    ["a tag the component sets itself", cluster({ tags: { "karpenter-spark.io/cluster": "other" } }), "tags key", q("karpenter-spark.io/cluster")],
    ["a boolean as a word", cluster({ controlPlaneLogging: "yes" }), "controlPlaneLogging", q("yes")],
    ["args that are not an object", () => new KarpenterCluster("c", "prod" as any), "args", q("prod")],
    ["an empty resource name", () => new KarpenterCluster("", {}), "name", q("")],

    // SpotExecutorPool: missing and malformed arguments
    ["no args", () => new SpotExecutorPool("p", undefined as any), "args", "nothing"],
    ["empty args", () => new SpotExecutorPool("p", {} as any), "clusterName", "nothing"],
    ["an empty node role name", pools({ nodeRoleName: "" }), "nodeRoleName", q("")],
    ["an uppercase pool name", pools({ poolName: "Spark" }), "poolName", q("Spark")],
    ["a 54-character pool name", pools({ poolName: "p".repeat(54) }), "poolName", q("p".repeat(54))],
    ["an unknown category letter", pools({ executorInstanceCategories: ["c", "q"] }), "executorInstanceCategories", q(["c", "q"])],
    ["no categories", pools({ executorInstanceCategories: [] }), "executorInstanceCategories", "[]"],
    ["a driver category that is a word", pools({ driverInstanceCategories: ["gpu"] }), "driverInstanceCategories", q(["gpu"])],
    ["an unknown architecture", pools({ executorArchitectures: ["x86"] }), "executorArchitectures", q(["x86"])],
    ["an executor pool without Spot", pools({ executorCapacityTypes: ["on-demand"] }), "executorCapacityTypes", q(["on-demand"])],
    ["a misspelt capacity type", pools({ executorCapacityTypes: ["spot", "spt"] }), "executorCapacityTypes", q(["spot", "spt"])],
    ["a driver pool that allows Spot", pools({ driverCapacityTypes: ["on-demand", "spot"] }), "driverCapacityTypes", q(["on-demand", "spot"])],
    ["a misspelt consolidation policy", pools({ executorConsolidationPolicy: "WhenUnderutilized" }), "executorConsolidationPolicy", q("WhenUnderutilized")],
    ["a duration in words", pools({ executorConsolidateAfter: "1 minute" }), "executorConsolidateAfter", q("1 minute")],
    ["an expiry in days", pools({ executorExpireAfter: "30d" }), "executorExpireAfter", q("30d")],
    ["Never as a termination grace period", pools({ executorTerminationGracePeriod: "Never" }), "executorTerminationGracePeriod", q("Never")],
    ["a zero CPU limit", pools({ executorCpuLimit: 0 }), "executorCpuLimit", "0"],
    ["a CPU limit as a string", pools({ executorCpuLimit: "1000" }), "executorCpuLimit", q("1000")],
    ["a negative memory limit", pools({ executorMemoryLimitGi: -1 }), "executorMemoryLimitGi", "-1"],
    ["a weight of zero", pools({ executorWeight: 0 }), "executorWeight", "0"],
    ["a 10 GiB root volume", pools({ rootVolumeSizeGi: 10 }), "rootVolumeSizeGi", "10"],
    ["a pool region that does not exist", pools({ region: "eu-west-9" }), "region", q("eu-west-9")],
    // SpotExecutorPool: every pool can launch (the instance catalog)
    ["an instance family EC2 does not have", pools({ executorInstanceFamilies: ["m7z"] }), "executorInstanceFamilies", q(["m7z"])],
    ["a family outside the categories", pools({ executorInstanceCategories: ["c"], executorInstanceFamilies: ["r7i"] }), "executorInstanceFamilies", q(["r7i"])],
    ["a misspelt instance size", pools({ executorInstanceSizes: ["2xlarg"] }), "executorInstanceSizes", q(["2xlarg"])],
    ["a Graviton family on amd64", pools({ executorInstanceCategories: ["c"], executorInstanceFamilies: ["c7g"], executorMinInstanceTypes: 1 }), "executorInstanceFamilies", q(["c7g"])],
    ["a generation no instance has", pools({ executorGenerationGreaterThan: 20 }), "executorGenerationGreaterThan", q(["20"])],
    ["more instance types than one family has", pools({ executorInstanceCategories: ["c"], executorInstanceFamilies: ["c7i"], executorMinInstanceTypes: 50 }), "executorMinInstanceTypes", "50"],
    ["fewer families than the minimum number of families", pools({ executorInstanceFamilies: ["c7i", "m7i"], executorMinInstanceTypes: 1 }), "executorMinInstanceFamilies", "5"],
    ["a CPU limit below the smallest node", pools({ executorInstanceSizes: ["4xlarge"], executorCpuLimit: 8 }), "executorCpuLimit", "8"],
    ["sizes above the largest executor instance", pools({ executorInstanceSizes: ["16xlarge"] }), "executorMaxInstanceVcpus", "32"],
    ["sizes too small for a Spark pod", pools({ executorInstanceCategories: ["t"], executorGenerationGreaterThan: 2, executorInstanceSizes: ["nano", "micro"], executorMinInstanceTypes: 1 }), "executorInstanceSizes", q("1000m CPU, 896 MiB")],
    // SpotExecutorPool: disruption budgets
    ["a budget schedule without a duration", pools({ executorDisruptionBudgets: [{ nodes: "0", schedule: "0 9 * * mon-fri" }] }), "executorDisruptionBudgets[0].duration", q("0 9 * * mon-fri")],
    ["a cron minute of 61", pools({ executorDisruptionBudgets: [{ nodes: "0", schedule: "61 * * * *", duration: "8h" }] }), "executorDisruptionBudgets[0].schedule", q("61 * * * *")],
    ["a misspelt cron macro", pools({ executorDisruptionBudgets: [{ nodes: "0", schedule: "@dayly", duration: "8h" }] }), "executorDisruptionBudgets[0].schedule", q("@dayly")],
    ["a cron with six fields", pools({ executorDisruptionBudgets: [{ nodes: "0", schedule: "0 0 9 * * *", duration: "8h" }] }), "executorDisruptionBudgets[0].schedule", q("0 0 9 * * *")],
    ["110% of nodes", pools({ executorDisruptionBudgets: [{ nodes: "110%" }] }), "executorDisruptionBudgets[0].nodes", q("110%")],
    ["a budget duration in seconds", pools({ executorDisruptionBudgets: [{ nodes: "1", schedule: "@daily", duration: "30s" }] }), "executorDisruptionBudgets[0].duration", q("30s")],
    ["a misspelt disruption reason", pools({ executorDisruptionBudgets: [{ nodes: "1", reasons: ["Underutilised"] }] }), "executorDisruptionBudgets[0].reasons", q(["Underutilised"])],
    ["no budgets", pools({ executorDisruptionBudgets: [] }), "executorDisruptionBudgets", "[]"],
    ["a misspelt budget field", pools({ executorDisruptionBudgets: [{ node: "10%" }] }), "executorDisruptionBudgets[0].node", q("10%")],
    // SpotExecutorPool: AMI and tags
    ["an AMI release that is not a date", pools({ amiVersion: "v20261345" }), "amiVersion", q("v20261345")],
    ["an AMI release written as a date", pools({ amiVersion: "2026-08-18" }), "amiVersion", q("2026-08-18")],
    ["an AMI release before AL2023", pools({ amiVersion: "v20190101" }), "amiVersion", q("v20190101")],
    ["a tag Karpenter sets itself", pools({ tags: { "karpenter.sh/nodepool": "x" } }), "tags key", q("karpenter.sh/nodepool")],
    ["a kubernetes.io/cluster tag", pools({ tags: { "kubernetes.io/cluster/other": "owned" } }), "tags key", q("kubernetes.io/cluster/other")],
    ["EKS's cluster-name tag", pools({ tags: { "eks:eks-cluster-name": "x" } }), "tags key", q("eks:eks-cluster-name")],
    ["a tag value that is a number", pools({ tags: { team: 7 } }), 'tags["team"]', "7"],

    // SparkOperator
    ["no SparkOperator args", () => new SparkOperator("s", undefined as any), "args", "nothing"],
    ["no cluster name", () => new SparkOperator("s", {} as any), "clusterName", "nothing"],
    ["no job namespaces", spark({ jobNamespaces: [] }), "jobNamespaces", "[]"],
    ["kube-system as the job namespace", spark({ jobNamespaces: ["kube-system"] }), "jobNamespaces[0]", q("kube-system")],
    ["default as the job namespace", spark({ jobNamespaces: ["default"] }), "jobNamespaces[0]", q("default")],
    ["a kube- prefixed namespace", spark({ jobNamespaces: ["jobs", "kube-jobs"] }), "jobNamespaces[1]", q("kube-jobs")],
    ["the operator's own namespace", spark({ jobNamespaces: ["spark-operator"] }), "jobNamespaces", q(["spark-operator"])],
    ["a namespace that is not a DNS label", spark({ jobNamespaces: ["Spark_Jobs"] }), "jobNamespaces", q(["Spark_Jobs"])],
    ["an untested chart minor", spark({ chartVersion: "2.6.0" }), "chartVersion", q("2.6.0")],
    ["a chart version with a v", spark({ chartVersion: "v2.5.2" }), "chartVersion", q("v2.5.2")],
    ["a chart version in words", spark({ chartVersion: "latest" }), "chartVersion", q("latest")],
    ["driver and executor placements swapped", spark({ deployExample: true, driverPlacement: executor, executorPlacement: driver }), "driverPlacement", q(executor.nodeSelector)],
    ["the executor placement as the driver's", spark({ driverPlacement: executor }), "driverPlacement", q(executor.nodeSelector)],
    ["an example without placement", spark({ deployExample: true }), "driverPlacement", "nothing"],
    ["a system toleration whose key misses the taint", spark({ systemTolerations: [{ key: "CriticalAddonOnly", operator: "Exists", effect: "NoSchedule" }] }), "systemTolerations", q([{ key: "CriticalAddonOnly", operator: "Exists", effect: "NoSchedule" }])],
    ["a misspelt toleration operator", spark({ systemTolerations: [{ key: "CriticalAddonsOnly", operator: "Exist" }] }), "systemTolerations[0].operator", q("Exist")],
    ["a value with operator Exists", spark({ systemTolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", value: "true" }] }), "systemTolerations[0].value", q("true")],
    ["a misspelt taint effect", spark({ systemTolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedul" }] }), "systemTolerations[0].effect", q("NoSchedul")],
    ["an executor toleration for the wrong role", spark({ executorPlacement: { ...executor, tolerations: [{ key: "karpenter-spark.io/spark-role", operator: "Equal", value: "executors", effect: "NoSchedule" }] } }), "executorPlacement.tolerations", q([{ key: "karpenter-spark.io/spark-role", operator: "Equal", value: "executors", effect: "NoSchedule" }])],
    ["a node selector key with a space", spark({ systemNodeSelector: { "node group": "system" } }), "systemNodeSelector key", q("node group")],
    ["a node selector value of 64 characters", spark({ systemNodeSelector: { group: "s".repeat(64) } }), 'systemNodeSelector["group"]', q("s".repeat(64))],
    ["example memory in Kubernetes units", spark({ deployExample: true, driverPlacement: driver, executorPlacement: executor, exampleExecutorMemory: "512Mi" }), "exampleExecutorMemory", q("512Mi")],
    ["no example executors", spark({ deployExample: true, driverPlacement: driver, executorPlacement: executor, exampleExecutorInstances: 0 }), "exampleExecutorInstances", "0"],
    ["zero days of event logs", spark({ eventLogRetentionDays: 0 }), "eventLogRetentionDays", "0"],
    ["an image reference with spaces", spark({ sparkImage: "apache spark" }), "sparkImage", q("apache spark")],
    ["an S3A jar digest without its algorithm", spark({ s3aJarDigests: { awsSdkBundle: "0".repeat(64) } }), "s3aJarDigests.awsSdkBundle", q("0".repeat(64))],
    ["an uppercase service account", spark({ sparkServiceAccountName: "Spark" }), "sparkServiceAccountName", q("Spark")],
    ["a component name S3 refuses (underscore)", namedSpark("spark_ops"), "name (the component's resource name)", q("spark_ops")],
    ["a component name S3 refuses (capitals)", namedSpark("SparkOps"), "name (the component's resource name)", q("SparkOps")],
    ["a component name too long for the bucket", namedSpark("s".repeat(40)), "name (the component's resource name)", q("s".repeat(40))],
    ["a tag key with AWS's prefix on the bucket", spark({ tags: { "AWS:cost": "x" } }), "tags key", q("AWS:cost")],
    ["an example executor no executor node can hold", spark({ deployExample: true, ...pool, exampleExecutorMemory: "900g" }), "exampleExecutorMemory (the executor pod)", q("940m CPU, 1013760 MiB")],
    ["an example driver no driver node can hold", spark({ deployExample: true, ...pool, exampleDriverMemory: "800g" }), "exampleDriverMemory (the driver pod)", q("1000m CPU, 901120 MiB")],

    // SparkJob: placement and pod fit
    ["a SparkJob with the placements swapped", sparkJob({ driverPlacement: pool.executorPlacement, executorPlacement: pool.driverPlacement }), "driverPlacement", q(pool.executorPlacement.nodeSelector)],
    ["a SparkJob executor toleration for the wrong role", sparkJob({ executorPlacement: { ...pool.executorPlacement, tolerations: [{ key: "karpenter-spark.io/spark-role", operator: "Equal", value: "driver", effect: "NoSchedule" }] } }), "executorPlacement.tolerations", q([{ key: "karpenter-spark.io/spark-role", operator: "Equal", value: "driver", effect: "NoSchedule" }])],
    ["a SparkJob executor larger than every executor node", sparkJob({ executorMemory: "600g" }), "executorCores, executorMemory (the executor pod)", q("1880m CPU, 675840 MiB")],
    ["a SparkJob executor with more cores than its largest node", sparkJob({ executorCores: 96 }), "executorCores, executorMemory (the executor pod)", q("90240m CPU, 4505 MiB")],
    ["a SparkJob driver whose request.cores no driver node holds", sparkJob({ sparkConf: { "spark.kubernetes.driver.request.cores": "200" } }), "driverCores, driverMemory (the driver pod)", q("200000m CPU, 1408 MiB")],
    ["a SparkJob driver whose memoryOverhead no driver node holds", sparkJob({ sparkConf: { "spark.driver.memoryOverhead": "800g" } }), "driverCores, driverMemory (the driver pod)", q("1000m CPU, 820224 MiB")],
    ["a Python SparkJob whose 0.40 overhead outgrows every executor node", sparkJob({ type: "Python", mainApplicationFile: "s3a://b/app.py", executorMemory: "400g" }), "executorCores, executorMemory (the executor pod)", q(`1880m CPU, ${409600 + 163840} MiB`)],
    ["a SparkJob memoryOverhead in Kubernetes units", sparkJob({ sparkConf: { "spark.executor.memoryOverhead": "2Gi" } }), "sparkConf", q({ "spark.executor.memoryOverhead": "2Gi" })],
];

export const CONFIG_CASES: ConfigCase[] = [
    ["an MD5 as the hadoop-aws digest", { [`${K}:s3aHadoopAwsDigest`]: "md5:0123456789abcdef0123456789abcdef" }, `${K}:s3aHadoopAwsDigest`, q("md5:0123456789abcdef0123456789abcdef")],
    ["a Kubernetes version YAML read as 1.3", { [`${K}:kubernetesVersion`]: "1.3" }, `${K}:kubernetesVersion`, q("1.3")],
    ["an untested Karpenter version", { [`${K}:karpenterVersion`]: "1.13.2" }, `${K}:karpenterVersion`, q("1.13.2")],
    ["an untested Spark Operator minor", { [`${K}:sparkOperatorVersion`]: "2.4.0" }, `${K}:sparkOperatorVersion`, q("2.4.0")],
    ["a region that does not exist", { "aws:region": "us-west-9" }, "aws:region", q("us-west-9")],
    ["a VPC block larger than EC2 allows", { [`${K}:vpcCidrBlock`]: "10.0.0.0/8" }, `${K}:vpcCidrBlock`, q("10.0.0.0/8")],
    ["a VPC block too small for the subnets", { [`${K}:vpcCidrBlock`]: "10.0.0.0/24" }, `${K}:vpcCidrBlock`, q("10.0.0.0/24")],
    ["a documentation range as the API allow-list", { [`${K}:endpointPublicAccessCidrs`]: '["203.0.113.0/24"]' }, `${K}:endpointPublicAccessCidrs[0]`, q("203.0.113.0/24")],
    ["TEST-NET-1 after a real block", { [`${K}:endpointPublicAccessCidrs`]: '["52.94.133.0/24","192.0.2.0/24"]' }, `${K}:endpointPublicAccessCidrs[1]`, q("192.0.2.0/24")],
    ["a private range as the API allow-list", { [`${K}:endpointPublicAccessCidrs`]: '["10.0.0.0/8"]' }, `${K}:endpointPublicAccessCidrs[0]`, q("10.0.0.0/8")],
    ["a private endpoint on a new VPC", { [`${K}:endpointPublicAccessCidrs`]: "[]" }, `${K}:endpointPublicAccessCidrs`, "[]"],
    ["a misspelt system instance type", { [`${K}:systemNodeInstanceTypes`]: '["t4g.larg"]' }, `${K}:systemNodeInstanceTypes[0]`, q("t4g.larg")],
    ["an unknown instance family", { [`${K}:executorInstanceFamilies`]: '["m7z"]' }, `${K}:executorInstanceFamilies`, q(["m7z"])],
    ["a family outside the categories", { [`${K}:executorInstanceCategories`]: '["c"]', [`${K}:executorInstanceFamilies`]: '["r7i"]' }, `${K}:executorInstanceFamilies`, q(["r7i"])],
    ["more instance types than the families offer", { [`${K}:executorInstanceFamilies`]: '["c7i"]', [`${K}:executorInstanceCategories`]: '["c"]', [`${K}:executorMinInstanceTypes`]: "50" }, `${K}:executorMinInstanceTypes`, "50"],
    ["a CPU limit below the smallest node", { [`${K}:executorInstanceSizes`]: '["8xlarge"]', [`${K}:executorCpuLimit`]: "16" }, `${K}:executorCpuLimit`, "16"],
    ["a largest executor instance below the sizes", { [`${K}:executorInstanceSizes`]: '["8xlarge"]', [`${K}:executorMaxInstanceVcpus`]: "16" }, `${K}:executorMaxInstanceVcpus`, "16"],
    ["a largest executor instance out of range", { [`${K}:executorMaxInstanceVcpus`]: "1" }, `${K}:executorMaxInstanceVcpus`, "1"],
    ["kube-system as the job namespace", { [`${K}:sparkJobNamespaces`]: '["kube-system"]' }, `${K}:sparkJobNamespaces[0]`, q("kube-system")],
    ["an AMI release that is not a date", { [`${K}:amiVersion`]: "v20261345" }, `${K}:amiVersion`, q("v20261345")],
    ["110% as the disruption budget", { [`${K}:executorDisruptionBudgetNodes`]: "110%" }, `${K}:executorDisruptionBudgetNodes`, q("110%")],
    ["a NAT strategy in the wrong case", { [`${K}:natGateways`]: "OnePerAZ" }, `${K}:natGateways`, q("OnePerAZ")],
    ["a misspelt key", { [`${K}:executorCpuLimt`]: "100" }, `config key ${K}:executorCpuLimt`, q("100")],
    ["more Karpenter replicas than system nodes", { [`${K}:karpenterReplicas`]: "2" }, `${K}:karpenterReplicas`, "2"],
    ["a misspelt capacity type", { [`${K}:executorCapacityTypes`]: '["spot","spt"]' }, `${K}:executorCapacityTypes`, q(["spot", "spt"])],
    ["a misspelt consolidation policy", { [`${K}:executorConsolidationPolicy`]: "WhenUnderutilized" }, `${K}:executorConsolidationPolicy`, q("WhenUnderutilized")],
    ["a cluster name too long for EKS", { [`${K}:clusterName`]: "c".repeat(101) }, `${K}:clusterName`, q("c".repeat(101))],
    ["a non-numeric CPU limit", { [`${K}:executorCpuLimit`]: "lots" }, `${K}:executorCpuLimit`, q("lots")],
    ["an opt-in that is not a boolean", { [`${K}:allowUntestedVersions`]: "yes" }, `${K}:allowUntestedVersions`, q("yes")],
];

/** [what, render's command line, the key named, the value shown] (each exits 2 and writes nothing). */
export const CLI_CASES: [string, string[], string, string][] = [
    ["prod as shipped (its placeholder API allow-list)", ["prod"], `${K}:endpointPublicAccessCidrs[0]`, q("203.0.113.0/24")],
    ["prod with TEST-NET-1 on the command line", ["prod", "--config", `${K}:endpointPublicAccessCidrs=["192.0.2.0/24"]`], `${K}:endpointPublicAccessCidrs[0]`, q("192.0.2.0/24")],
    ["prod with a private-only endpoint on the VPC it creates", ["prod", "--config", `${K}:endpointPublicAccessCidrs=[]`], `${K}:endpointPublicAccessCidrs`, "[]"],
    ["a YAML-float Kubernetes version on the command line", ["dev", "--config", `${K}:kubernetesVersion=1.3`], `${K}:kubernetesVersion`, q("1.3")],
    ["a --config without a value", ["dev", "--config", "nonsense"], "--config", q("nonsense")],
    ["a region that does not exist", ["dev", "--config", "aws:region=us-west-9"], "aws:region", q("us-west-9")],
    ["kube-system as the job namespace", ["dev", "--config", `${K}:sparkJobNamespaces=["kube-system"]`], `${K}:sparkJobNamespaces[0]`, q("kube-system")],
    ["a family outside the categories", ["dev", "--config", `${K}:executorInstanceCategories=["c"]`, "--config", `${K}:executorInstanceFamilies=["r7i"]`], `${K}:executorInstanceFamilies`, q(["r7i"])],
];
