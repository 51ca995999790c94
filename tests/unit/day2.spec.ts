// Issue 15: day-2 operations that must work on a real cluster. One block per point; each test
// fails on the code before the fix.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { KarpenterCluster } from "../../components";
import { controllerResources, POD_IDENTITY_ANNOTATION } from "../../components/karpenter/values";
import { resolveKarpenterClusterArgs } from "../../components/karpenterCluster/args";
import { createNetwork } from "../../components/karpenterCluster/network";
import { al2023ParameterName, DEFAULT_AMI_VERSION, deleteTimeout } from "../../components/pools/specs";
import { DEFAULT_KUBERNETES_VERSION } from "../../components/karpenter/versions";
import { resolveAmiRelease } from "../../components/spotExecutorPool/nodes";
import { resolveSpotExecutorPoolArgs } from "../../components/spotExecutorPool/args";
import { diffRegistrations } from "../../tools/blastRadius";
import { diffRenders, replaceOrder } from "../../tools/planDiff";
import { evaluate, RenderError, RenderResult } from "../../tools/render";
import { DependencyGraph } from "../helpers/graph";
import { manifests, ofType, one, rendered } from "../helpers/render";

const K = "karpenter-spark";
const FOUNDATION = ["awsx:ec2:Vpc", "eks:index:Cluster", "aws:iam/role:Role", "aws:sqs/queue:Queue"];

describe("day 2 (issue 15)", () => {
    let dev: RenderResult;
    let prod: RenderResult;
    before(async () => {
        dev = await rendered("dev");
        prod = await rendered("prod");
    });

    describe("1. system node group changes", () => {
        it("names the group by prefix, so a replacement creates the new group before deleting the old", () => {
            const ng = one(prod, "eks:index:ManagedNodeGroup");
            expect(ng.inputs).to.not.have.property("nodeGroupName");
            expect(ng.inputs.nodeGroupNamePrefix).to.equal("system-");
            expect(ng.options.deleteBeforeReplace).to.equal(undefined);
        });

        for (const [key, value] of [
            ["systemNodeInstanceTypes", '["m8g.large"]'],
            ["systemNodeInstanceTypes", '["m7i.large"]'],
        ]) {
            it(`changing ${key} to ${value} touches only the node group, not the cluster, VPC, IAM or queue`, async () => {
                const next = await rendered("prod", { [`${K}:${key}`]: value });
                const changes = diffRegistrations(prod.registrations, next.registrations);
                expect(changes.map((c) => c.name)).to.deep.equal(["cluster-system"]);
                expect(changes.filter((c) => FOUNDATION.includes(c.type))).to.deep.equal([]);
                expect(one(next, "eks:index:ManagedNodeGroup").options.deleteBeforeReplace).to.equal(undefined);
            });
        }
        it("plans a system instance-type change as a create-before-delete replace of the node group alone", async () => {
            const next = await rendered("prod", { [`${K}:systemNodeInstanceTypes`]: '["m8g.large"]' });
            const plan = diffRenders(prod.registrations, next.registrations);
            const ng = plan.steps.find((s) => s.type === "eks:index:ManagedNodeGroup");
            expect([ng?.op, ng?.replaceReasons, ng?.replaceOrder]).to.deep.equal(["replace", ["instanceTypes"], "create-before-delete"]);
            expect(plan.steps.filter((s) => s.op === "replace" && FOUNDATION.includes(s.type)).map((s) => s.name)).to.deep.equal([]);
        });

        it("would delete the only system group first if its name were set explicitly (the old nodeGroupName: system)", () => {
            // The AWS provider deletes first when a replaced resource keeps an explicit physical
            // name (https://github.com/pulumi/pulumi-terraform/pull/465): the planner must see that.
            const ng = one(prod, "eks:index:ManagedNodeGroup");
            const named = { ...ng, inputs: { ...ng.inputs, nodeGroupName: "system" } };
            const old = { ...named, inputs: { ...named.inputs, instanceTypes: ["m7g.large"] } };
            expect(replaceOrder(named as any, old as any, ["instanceTypes"]).replaceOrder).to.equal("delete-before-create");
        });
    });

    describe("4. consolidation", () => {
        it("never consolidates running executors for cost by default, and removes empty nodes at once", () => {
            const pool = manifests(dev, "NodePool").find((m) => m.metadata.name === "spark-executors");
            expect(pool.spec.disruption.consolidationPolicy).to.equal("WhenEmpty");
            expect(pool.spec.disruption.budgets).to.deep.equal([
                { nodes: "100%", reasons: ["Empty"] },
                { nodes: "10%", reasons: ["Drifted", "Underutilized"] },
            ]);
        });

        it("accepts every policy the v1.14 NodePool CRD accepts, Balanced included", async () => {
            const r = await rendered("dev", { [`${K}:executorConsolidationPolicy`]: "Balanced" });
            const pool = manifests(r, "NodePool").find((m) => m.metadata.name === "spark-executors");
            expect(pool.spec.disruption.consolidationPolicy).to.equal("Balanced");
        });
    });

    describe("5. driver nodes expire", () => {
        it("gives both pools a terminationGracePeriod of maxJobDuration", async () => {
            for (const m of manifests(dev, "NodePool")) {
                expect(m.spec.template.spec.terminationGracePeriod, m.metadata.name).to.equal("24h");
            }
            const r = await rendered("dev", { [`${K}:maxJobDuration`]: "6h" });
            expect(manifests(r, "NodePool").map((m) => m.spec.template.spec.terminationGracePeriod)).to.deep.equal(["6h", "6h"]);
        });
    });

    describe("6. controller settings", () => {
        it("sets the region, the endpoint and sized resources explicitly", () => {
            const values = one(prod, "kubernetes:helm.sh/v3:Release", "cluster-karpenter").inputs.values as any;
            expect(values.controller.env).to.deep.equal([{ name: "AWS_REGION", value: "us-east-1" }]);
            expect(values.settings.clusterEndpoint).to.equal((one(prod, "eks:index:Cluster").outputs as any).eksCluster.endpoint);
            // prod: 1000 + 200 managed vCPUs.
            expect(values.controller.resources).to.deep.equal(controllerResources(1200));
            expect(controllerResources(1200).requests.memory).to.equal(controllerResources(1200).limits.memory);
            expect(controllerResources(100).requests.cpu).to.equal("1");
        });

        it("starts the controller after its Pod Identity association and the agent, and rolls it when the association changes", () => {
            const g = new DependencyGraph(prod.registrations);
            const release = one(prod, "kubernetes:helm.sh/v3:Release", "cluster-karpenter");
            const association = one(prod, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "cluster-karpenter-pod-identity");
            const agent = one(prod, "aws:eks/addon:Addon", "cluster-pod-identity-agent");
            expect(release.dependencies).to.include(association.urn);
            expect(release.dependencies).to.include(agent.urn);
            expect(g.dependsOn(association, agent)).to.equal(true);
            expect((release.inputs.values as any).podAnnotations[POD_IDENTITY_ANNOTATION]).to.equal(association.outputs.associationId);
        });
    });

    describe("7. add-ons", () => {
        it("runs CoreDNS, kube-proxy and the VPC CNI as managed add-ons at the versions resolved for the cluster's Kubernetes version", async () => {
            const c = one(prod, "eks:index:Cluster").inputs as any;
            expect(c.useDefaultVpcCni).to.equal(false);
            expect(c.vpcCniOptions.addonVersion).to.match(/^v[\d.]+-eksbuild\.\d+$/);
            expect(c.kubeProxyAddonOptions).to.include({ enabled: true, version: "v1.35.0-eksbuild.10" });
            expect(c.corednsAddonOptions.enabled).to.equal(true);
            expect(one(prod, "aws:eks/addon:Addon", "cluster-pod-identity-agent").inputs.addonVersion).to.match(/-eksbuild\.10$/);
            const older = one(await rendered("prod", { [`${K}:kubernetesVersion`]: "1.34" }), "eks:index:Cluster").inputs as any;
            expect(older.kubeProxyAddonOptions.version).to.equal("v1.34.0-eksbuild.9");
        });

        it("lets CoreDNS tolerate and prefer the system nodes", () => {
            const cfg = (one(prod, "eks:index:Cluster").inputs as any).corednsAddonOptions.configurationValues;
            expect(cfg.tolerations).to.deep.include({ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" });
            const pref = cfg.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0];
            expect(pref).to.deep.equal({ key: "karpenter-spark.io/node-group", operator: "In", values: ["system"] });
        });
    });

    describe("9. team access", () => {
        const admin = "arn:aws:iam::111122223333:role/platform-admins";
        it("gives each admin principal an access entry and a scoped EKS access policy", async () => {
            const r = await rendered("dev", { [`${K}:adminPrincipals`]: JSON.stringify([admin]) });
            const entries = ofType(r, "aws:eks/accessEntry:AccessEntry").filter((e) => e.inputs.type === "STANDARD");
            expect(entries.map((e) => e.inputs.principalArn)).to.deep.equal([admin]);
            const assoc = one(r, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").inputs as any;
            expect(assoc).to.deep.include({ principalArn: admin, policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } });
        });

        it("scopes a principal to namespaces when asked", () => {
            const a = resolveKarpenterClusterArgs("c", { adminPrincipals: [{ principalArn: admin, accessPolicy: "AmazonEKSViewPolicy", namespaces: ["spark-jobs"] }] });
            expect(a.adminPrincipals).to.deep.equal([{ principalArn: admin, accessPolicy: "AmazonEKSViewPolicy", namespaces: ["spark-jobs"] }]);
        });

        for (const [what, arn, message] of [
            ["an STS session", "arn:aws:sts::111122223333:assumed-role/platform-admins/alice", /did you mean "arn:aws:iam::111122223333:role\/platform-admins"/],
            ["a short account", "arn:aws:iam::1111:role/x", /an IAM role or user ARN/],
            ["a group", "arn:aws:iam::111122223333:group/admins", /an IAM role or user ARN/],
        ] as [string, string, RegExp][]) {
            it(`refuses ${what}`, () => {
                expect(() => resolveKarpenterClusterArgs("c", { adminPrincipals: [{ principalArn: arn }] })).to.throw(message);
            });
        }

        it("refuses a malformed ARN in the stack config before registering anything", async () => {
            const err = await rendered("dev", { [`${K}:adminPrincipals`]: '["admins"]' }).catch((e) => e);
            expect(err).to.be.instanceOf(RenderError);
            expect(err.message).to.match(/invalid karpenter-spark:adminPrincipals/);
        });
    });

    describe("10. bring your own VPC", () => {
        const program = (args: object) => () => {
            new KarpenterCluster("c", { existingVpcId: "vpc-0123456789abcdef0", existingPrivateSubnetIds: ["subnet-aaaaaaaa", "subnet-bbbbbbbb"], deletionProtection: false, ...args });
            return {};
        };
        it("uses the stack's existing VPC and subnets", async () => {
            const r = await rendered("dev", { [`${K}:existingVpcId`]: "vpc-0123456789abcdef0", [`${K}:existingPrivateSubnetIds`]: '["subnet-aaaaaaaa","subnet-bbbbbbbb"]' });
            expect(ofType(r, "awsx:ec2:Vpc")).to.have.length(0);
            expect((one(r, "eks:index:Cluster").inputs as any).privateSubnetIds).to.deep.equal(["subnet-aaaaaaaa", "subnet-bbbbbbbb"]);
        });

        it("refuses subnets that lack the discovery tag when it does not tag them itself", async () => {
            // The check runs where the real engine runs it, in the subnet list the cluster takes as input:
            // the failed input fails the render as it fails `pulumi preview`; the rejection is read directly too.
            let failure: unknown;
            const render = evaluate(
                async () => {
                    const parent = new pulumi.ComponentResource("karpenter-spark:index:KarpenterCluster", "c");
                    const a = resolveKarpenterClusterArgs("c", { existingVpcId: "vpc-0123456789abcdef0", existingPrivateSubnetIds: ["subnet-aaaaaaaa", "subnet-bbbbbbbb"], tagExistingSubnets: false });
                    failure = await (createNetwork("c", a, parent).privateSubnetIds as any).promise().then(() => undefined, (e: unknown) => e);
                    return {};
                },
                { stack: "t", config: { "aws:region": "eu-west-1" }, mocks: { subnetTags: { "subnet-aaaaaaaa": { "karpenter.sh/discovery": "c" } } } },
            );
            const renderFailure = await render.then(() => undefined, (e: unknown) => e);
            expect(renderFailure).to.be.instanceOf(RenderError);
            for (const e of [failure, renderFailure]) {
                expect(String((e as Error)?.message)).to.match(/invalid existingPrivateSubnetIds: subnet-bbbbbbbb lack the tag karpenter.sh\/discovery=c/);
            }
        });

        it("accepts subnets that carry the tag, and creates no tags of its own", async () => {
            const tagged = { "karpenter.sh/discovery": "c" };
            const r = await evaluate(program({ tagExistingSubnets: false }), {
                stack: "t",
                config: { "aws:region": "eu-west-1" },
                mocks: { subnetTags: { "subnet-aaaaaaaa": tagged, "subnet-bbbbbbbb": tagged } },
            });
            expect(ofType(r, "aws:ec2/tag:Tag").filter((t) => t.name.includes("subnet"))).to.have.length(0);
        });
    });

    describe("11. the CRD release", () => {
        it("is retained on delete everywhere and protected in prod", () => {
            const crd = (r: RenderResult) => one(r, "kubernetes:helm.sh/v3:Release", "cluster-karpenter-crd").options;
            expect(crd(prod)).to.include({ retainOnDelete: true, protect: true });
            expect(crd(dev)).to.include({ retainOnDelete: true });
            expect(crd(dev).protect).to.equal(undefined);
        });
    });

    describe("12. karpenterVersion", () => {
        it("reports the version of the deployed Helm release, not the configured one", async () => {
            const r = await evaluate(
                () => {
                    const c = new KarpenterCluster("c", { deletionProtection: false, karpenterVersion: "1.14.1" });
                    return { karpenterVersion: c.karpenterVersion };
                },
                { stack: "t", config: { "aws:region": "eu-west-1" }, mocks: { deployedChartVersions: { karpenter: "1.13.2" } } },
            );
            expect(r.outputs.karpenterVersion).to.equal("1.13.2");
        });
    });

    describe("13. delete timeouts", () => {
        it("waits for the NodePools and the node class as long as their nodes may take to drain", () => {
            for (const type of ["kubernetes:karpenter.sh/v1:NodePool", "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"]) {
                for (const r of ofType(dev, type)) {
                    expect(r.options.customTimeouts?.delete, r.name).to.equal("1450m");
                }
            }
            expect(deleteTimeout(["2h", undefined])).to.equal("130m");
            expect(resolveSpotExecutorPoolArgs("p", { clusterName: "c", nodeRoleName: "r", maxJobDuration: "1h", executorTerminationGracePeriod: "3h" }).deleteTimeout).to.equal("190m");
        });
    });

    describe("14. outputs come from resources", () => {
        it("derives clusterName and the discovery tag value from the cluster and the tag", async () => {
            let deps: Record<string, string[]> = {};
            await evaluate(
                async () => {
                    const c = new KarpenterCluster("c", { deletionProtection: false });
                    const names = async (o: pulumi.Output<unknown>) =>
                        [...((await (o as any).allResources()) as Set<pulumi.Resource>)].map((r: any) => r.__name as string).sort();
                    deps = { clusterName: await names(c.clusterName), discoveryTagValue: await names(c.discoveryTagValue), karpenterVersion: await names(c.karpenterVersion) };
                    return {};
                },
                { stack: "t", config: { "aws:region": "eu-west-1" } },
            );
            expect(deps.clusterName).to.include("c-eks");
            expect(deps.discoveryTagValue).to.include("c-cluster-sg-discovery");
            expect(deps.karpenterVersion).to.include("c-karpenter");
        });
    });
});


describe("2. the AMI pin (issue 15)", () => {
    const resolved = async (amiVersion: string, kubernetesVersion?: string, architectures?: string[]) => {
        let result: unknown;
        await evaluate(
            async () => {
                const parent = new pulumi.ComponentResource("karpenter-spark:index:SpotExecutorPool", "p");
                const a = resolveSpotExecutorPoolArgs("p", { clusterName: "c", nodeRoleName: "r", amiVersion, kubernetesVersion, executorArchitectures: architectures as any });
                const out = resolveAmiRelease("p", a, parent);
                result = out === undefined ? "unchecked" : await (out as any).promise().then((v: string[]) => v, (e: Error) => e);
                return {};
            },
            { stack: "t", config: { "aws:region": "eu-west-1" } },
        ).catch((e) => {
            // A release that does not resolve fails the render too, as it fails `pulumi preview`.
            if (!(e instanceof RenderError && result instanceof Error && e.message === result.message)) {
                throw e;
            }
        });
        return result;
    };

    it("resolves the pinned release through the public SSM parameter Karpenter itself reads", async () => {
        expect(al2023ParameterName("1.35", "amd64", "v20260714")).to.equal(
            "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.35-v20260714/image_id",
        );
        const ids = await resolved("v20260714", "1.35", ["amd64", "arm64"]);
        expect(ids).to.be.an("array").with.length(2);
        expect((ids as string[])[0]).to.match(/^ami-/);
    });

    it("fails preview for a release that does not exist, naming amiVersion", async () => {
        const err = await resolved("v20260818", "1.35");
        expect(String((err as Error).message)).to.match(/SpotExecutorPool "p": invalid amiVersion: got "v20260818"; allowed: an EKS AL2023 release published for Kubernetes 1.35/);
        const tooNew = await resolved("v20260505", "1.36");
        expect(String((tooNew as Error).message)).to.match(/invalid amiVersion: got "v20260505"/);
    });

    it("checks nothing for latest (with a warning), and the default release exists", async () => {
        expect(await resolved("latest", "1.35")).to.equal("unchecked");
        expect(await resolved(DEFAULT_AMI_VERSION, DEFAULT_KUBERNETES_VERSION)).to.be.an("array");
    });

    it("stamps the resolved image IDs on the stack's EC2NodeClass", async () => {
        const nc = manifests(await rendered("dev"), "EC2NodeClass")[0];
        expect(nc.metadata.annotations["karpenter-spark.io/ami-ids"]).to.match(/^ami-[0-9a-f]{17}$/);
    });
});
