// Bad input, everywhere: every invalid stack config and component argument below fails with its
// own message (naming the key or argument, the bad value and what is allowed) before a single
// resource is registered.
import { expect } from "chai";
import { KarpenterCluster, SparkOperator, SpotExecutorPool } from "../../components";
import { evaluate, readStackConfig, renderStack } from "../../tools/render";
import { expectNothingRegistered, mustFail } from "../helpers/refusals";

const K = "karpenter-spark";

// [what, config changes on top of Pulumi.dev.yaml (null removes a key), expected message]
const CONFIG_CASES: [string, Record<string, string | null>, RegExp][] = [
    ["a negative CPU limit", { [`${K}:executorCpuLimit`]: "-5" }, /invalid karpenter-spark:executorCpuLimit: got -5; allowed: a whole number greater than 0/],
    ["a zero CPU limit", { [`${K}:executorCpuLimit`]: "0" }, /invalid karpenter-spark:executorCpuLimit: got 0; allowed: a whole number greater than 0/],
    ["a non-numeric CPU limit", { [`${K}:executorCpuLimit`]: "lots" }, /invalid karpenter-spark:executorCpuLimit: got "lots"; allowed: a whole number/],
    ["an unknown instance category", { [`${K}:executorInstanceCategories`]: '["c","q"]' }, /invalid karpenter-spark:executorInstanceCategories: got \["c","q"\]; allowed: a non-empty list of distinct categories from "t", "m", "c"/],
    ["no instance categories", { [`${K}:executorInstanceCategories`]: "[]" }, /invalid karpenter-spark:executorInstanceCategories: got \[\]; allowed: a non-empty list/],
    ["categories that are not a list", { [`${K}:executorInstanceCategories`]: "c,m,r" }, /invalid karpenter-spark:executorInstanceCategories: got "c,m,r"; allowed: a non-empty list/],
    ["a malformed region", { "aws:region": "mars" }, /invalid aws:region: got "mars"; allowed: an AWS region name such as "us-west-2"/],
    ["no region", { "aws:region": null }, /invalid aws:region: got nothing; allowed: an AWS region name/],
    ["an unknown key in the project namespace", { [`${K}:executorCpuLimt`]: "100" }, /invalid config key karpenter-spark:executorCpuLimt: got "100"; allowed: one of the keys declared in Pulumi.yaml/],
    ["an unknown NAT strategy", { [`${K}:natGateways`]: "Double" }, /invalid karpenter-spark:natGateways: got "Double"; allowed: "Single", "OnePerAz"/],
    ["a Kubernetes version Karpenter 1.14 does not support", { [`${K}:kubernetesVersion`]: "1.25" }, /invalid karpenter-spark:kubernetesVersion: got "1.25"; allowed: a Kubernetes version Karpenter 1.14 supports: 1.26 to 1.36/],
    ["a malformed Kubernetes version", { [`${K}:kubernetesVersion`]: "latest" }, /invalid karpenter-spark:kubernetesVersion: got "latest"; allowed: a Kubernetes minor version such as "1.35"/],
    ["a Karpenter version with a v", { [`${K}:karpenterVersion`]: "v1.14.1" }, /invalid karpenter-spark:karpenterVersion: got "v1.14.1"; allowed: a Karpenter release version such as "1.14.1"/],
    ["a Karpenter minor missing from the compatibility table", { [`${K}:karpenterVersion`]: "1.15.0" }, /invalid karpenter-spark:kubernetesVersion: got "1.35"; allowed: Karpenter 1.15 is not in this project's compatibility table/],
    ["one availability zone", { [`${K}:availabilityZoneCount`]: "1" }, /invalid karpenter-spark:availabilityZoneCount: got 1; allowed: a whole number from 2 to 6/],
    ["executors without Spot", { [`${K}:executorCapacityTypes`]: '["on-demand"]' }, /invalid karpenter-spark:executorCapacityTypes: got \["on-demand"\]; allowed: .* that includes "spot"/],
    ["a duration in words", { [`${K}:executorConsolidateAfter`]: "1 minute" }, /invalid karpenter-spark:executorConsolidateAfter: got "1 minute"; allowed: a duration such as "30s", "1m" or "720h", or "Never"/],
    ["an unknown consolidation policy", { [`${K}:executorConsolidationPolicy`]: "Always" }, /invalid karpenter-spark:executorConsolidationPolicy: got "Always"; allowed: "WhenEmpty", "WhenEmptyOrUnderutilized"/],
    ["a boolean as a word", { [`${K}:deployExampleJob`]: "yes" }, /invalid karpenter-spark:deployExampleJob: got "yes"; allowed: true or false/],
    ["a namespace that is not a DNS label", { [`${K}:sparkJobNamespaces`]: '["Spark_Jobs"]' }, /invalid karpenter-spark:sparkJobNamespaces: got \["Spark_Jobs"\]; allowed: a non-empty list of distinct DNS-1123 labels/],
    ["more Karpenter replicas than system nodes", { [`${K}:karpenterReplicas`]: "2" }, /invalid karpenter-spark:karpenterReplicas: got 2; allowed: at most systemNodeCount \(1\)/],
    ["high availability on one system node", { [`${K}:highAvailability`]: "true" }, /invalid karpenter-spark:highAvailability: got true; allowed: false while systemNodeCount is 1/],
    ["a cluster name with spaces", { [`${K}:clusterName`]: "my cluster" }, /invalid karpenter-spark:clusterName: got "my cluster"; allowed: 1 to 100 letters, digits, hyphens and underscores/],
    ["a 101-character cluster name", { [`${K}:clusterName`]: "c".repeat(101) }, /invalid karpenter-spark:clusterName: got "c{101}"; allowed: 1 to 100 letters/],
    ["an invalid CIDR", { [`${K}:endpointPublicAccessCidrs`]: '["0.0.0.0/33"]' }, /invalid karpenter-spark:endpointPublicAccessCidrs\[0\]: got "0.0.0.0\/33"; allowed: an IPv4 CIDR block/],
    ["a date for an AMI release", { [`${K}:amiVersion`]: "2026-08-18" }, /invalid karpenter-spark:amiVersion: got "2026-08-18"; allowed: an AL2023 release such as "v20260714", or "latest"/],
    ["a VPC too small for the subnets", { [`${K}:vpcCidrBlock`]: "10.0.0.0/24" }, /invalid karpenter-spark:vpcCidrBlock: got "10.0.0.0\/24"; allowed: a block large enough for 3 zones/],
    ["a budget in words", { [`${K}:executorDisruptionBudgetNodes`]: "ten" }, /invalid karpenter-spark:executorDisruptionBudgetNodes: got "ten"; allowed: a whole number or a percentage/],
    ["a chart version that is not semver", { [`${K}:sparkOperatorVersion`]: "two" }, /invalid karpenter-spark:sparkOperatorVersion: got "two"; allowed: a chart version such as "2.5.2"/],
    ["an unknown architecture", { [`${K}:executorArchitectures`]: '["x86"]' }, /invalid karpenter-spark:executorArchitectures: got \["x86"\]; allowed: a non-empty list from "amd64", "arm64"/],
    ["zero days of event logs", { [`${K}:eventLogRetentionDays`]: "0" }, /invalid karpenter-spark:eventLogRetentionDays: got 0; allowed: a whole number from 1 to 3650/],
];

// [what, program constructing one component with bad arguments, expected message]
const cluster = (args: object) => () => new KarpenterCluster("c", { deletionProtection: false, ...args });
const pools = (args: object) => () => new SpotExecutorPool("p", { clusterName: "c", nodeRoleName: "r", ...args });
const spark = (args: object) => () => new SparkOperator("s", { clusterName: "c", ...args });
const COMPONENT_CASES: [string, () => unknown, RegExp][] = [
    ["fewer than 2 AZs", cluster({ availabilityZoneCount: 1 }), /KarpenterCluster "c": invalid availabilityZoneCount: got 1; allowed: a whole number from 2 to 6/],
    ["an empty cluster name", cluster({ clusterName: "" }), /KarpenterCluster "c": invalid clusterName: got ""; allowed: 1 to 100 letters/],
    ["an over-long cluster name", cluster({ clusterName: "x".repeat(101) }), /KarpenterCluster "c": invalid clusterName: got "x{101}"/],
    ["a malformed Karpenter version", cluster({ karpenterVersion: "1.14" }), /KarpenterCluster "c": invalid karpenterVersion: got "1.14"; allowed: a chart version such as "1.14.1"/],
    ["a Kubernetes version Karpenter does not support", cluster({ kubernetesVersion: "1.37" }), /KarpenterCluster "c": invalid kubernetesVersion: got "1.37"; allowed: a Kubernetes version Karpenter 1.14 supports: 1.26 to 1.36/],
    ["no system nodes", cluster({ systemNodeCount: 0 }), /KarpenterCluster "c": invalid systemNodeCount: got 0; allowed: a whole number from 1 to 20/],
    ["mixed-architecture system nodes", cluster({ systemNodeInstanceTypes: ["m7g.large", "m7i.large"] }), /invalid systemNodeInstanceTypes: got \["m7g.large","m7i.large"\]; allowed: instance types of one architecture/],
    ["an existing VPC without subnets", cluster({ existingVpcId: "vpc-1" }), /invalid existingPrivateSubnetIds: got nothing; allowed: existingVpcId and existingPrivateSubnetIds together/],
    ["empty categories", pools({ executorInstanceCategories: [] }), /SpotExecutorPool "p": invalid executorInstanceCategories: got \[\]; allowed: a non-empty list of distinct values from "t", "m", "c"/],
    ["an unknown category letter", pools({ executorInstanceCategories: ["c", "q"] }), /SpotExecutorPool "p": invalid executorInstanceCategories: got \["c","q"\]/],
    ["a zero CPU limit", pools({ executorCpuLimit: 0 }), /SpotExecutorPool "p": invalid executorCpuLimit: got 0; allowed: a number greater than 0, e.g. 1000/],
    ["a negative CPU limit", pools({ executorCpuLimit: -10 }), /SpotExecutorPool "p": invalid executorCpuLimit: got -10/],
    ["a CPU limit that is not a number", pools({ executorCpuLimit: "1000" }), /SpotExecutorPool "p": invalid executorCpuLimit: got "1000"/],
    ["a malformed duration", pools({ executorConsolidateAfter: "1 minute" }), /SpotExecutorPool "p": invalid executorConsolidateAfter: got "1 minute"; allowed: a duration of whole s, m or h units/],
    ["an executor pool without Spot", pools({ executorCapacityTypes: ["on-demand"] }), /SpotExecutorPool "p": invalid executorCapacityTypes: got \["on-demand"\]; allowed: a list that includes "spot"/],
    ["a driver pool that allows Spot", pools({ driverCapacityTypes: ["on-demand", "spot"] }), /SpotExecutorPool "p": invalid driverCapacityTypes: got \["on-demand","spot"\]; allowed: capacity types other than "spot"/],
    ["an uppercase pool name", pools({ poolName: "Spark" }), /SpotExecutorPool "p": invalid poolName: got "Spark"; allowed: a DNS label/],
    ["a schedule without a duration", pools({ executorDisruptionBudgets: [{ nodes: "0", schedule: "@daily" }] }), /invalid executorDisruptionBudgets\[0\].duration: got "@daily"; allowed: schedule and duration set together/],
    ["no job namespaces", spark({ jobNamespaces: [] }), /SparkOperator "s": invalid jobNamespaces: got \[\]; allowed: a non-empty list of namespace names/],
    ["an invalid namespace name", spark({ jobNamespaces: ["Spark_Jobs"] }), /SparkOperator "s": invalid jobNamespaces: got \["Spark_Jobs"\]; allowed: distinct DNS-1123 labels/],
    ["a malformed chart version", spark({ chartVersion: "latest" }), /SparkOperator "s": invalid chartVersion: got "latest"; allowed: a chart version such as "2.5.2"/],
    ["an example without placement", spark({ deployExample: true }), /SparkOperator "s": invalid driverPlacement: got nothing; allowed: SpotExecutorPool's driverPlacement/],
];

describe("bad input: invalid stack configs fail before anything is registered", () => {
    const dev = readStackConfig("dev");
    for (const [what, changes, message] of CONFIG_CASES) {
        it(`config with ${what}`, async () => {
            const config = { ...dev };
            for (const [k, v] of Object.entries(changes)) {
                if (v === null) delete config[k];
                else config[k] = v;
            }
            const e = await mustFail(() => renderStack({ stack: "dev", config }));
            expect(e.message).to.match(message);
            expectNothingRegistered(e);
        });
    }
});

describe("bad input: invalid component arguments fail before anything is registered", () => {
    for (const [what, construct, message] of COMPONENT_CASES) {
        it(`${what}`, async () => {
            const e = await mustFail(() =>
                evaluate(
                    () => {
                        construct();
                        return {};
                    },
                    { stack: "t", config: { "aws:region": "us-east-1" } },
                ),
            );
            expect(e.message).to.match(message);
            expectNothingRegistered(e);
        });
    }

    it("covers at least 30 cases with a distinct message each", () => {
        const all = [...CONFIG_CASES.map((c) => c[2].source), ...COMPONENT_CASES.map((c) => c[2].source)];
        expect(all.length).to.be.at.least(30);
        expect(new Set(all).size).to.equal(all.length);
    });

    it("rejects the example's memory in Kubernetes units and a zero executor count", async () => {
        const run = (args: object) =>
            mustFail(() =>
                evaluate(
                    () => {
                        const p = new SpotExecutorPool("p", { clusterName: "c", nodeRoleName: "r" });
                        new SparkOperator("s", { clusterName: "c", deployExample: true, driverPlacement: p.driverPlacement, executorPlacement: p.executorPlacement, ...args });
                        return {};
                    },
                    { stack: "t", config: { "aws:region": "us-east-1" } },
                ),
            );
        expect((await run({ exampleExecutorMemory: "512Mi" })).message).to.match(/invalid exampleExecutorMemory: got "512Mi"; allowed: a JVM memory size as Spark writes it/);
        expect((await run({ exampleExecutorInstances: 0 })).message).to.match(/invalid exampleExecutorInstances: got 0; allowed: a whole number from 1/);
    });
});
