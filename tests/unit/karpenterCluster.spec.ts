import { expect } from "chai";
import { KarpenterCluster } from "../../components";
import { Registration } from "../../tools/mocks";
import { evaluate, RenderResult } from "../../tools/render";
import { ofType, one, rendered } from "../helpers/render";

const byUrn = (r: RenderResult) => new Map(r.registrations.map((x) => [x.urn, x]));
const dependsOnType = (r: RenderResult, reg: Registration, type: string) => reg.dependencies.map((u) => byUrn(r).get(u)).filter((d) => d?.type === type);

describe("KarpenterCluster (mocked)", () => {
    let dev: RenderResult;
    let prod: RenderResult;
    before(async () => {
        dev = await rendered("dev");
        prod = await rendered("prod");
    });

    it("creates a VPC across three zones, one NAT gateway for dev and one per zone for prod", () => {
        const v = (r: RenderResult) => one(r, "awsx:ec2:Vpc").inputs as any;
        expect([v(dev).numberOfAvailabilityZones, v(dev).natGateways.strategy]).to.deep.equal([3, "Single"]);
        expect([v(prod).numberOfAvailabilityZones, v(prod).natGateways.strategy]).to.deep.equal([3, "OnePerAz"]);
    });

    it("tags the node subnets and the nodes' security group for Karpenter's discovery", () => {
        const spec = (one(dev, "awsx:ec2:Vpc").inputs as any).subnetSpecs.find((s: any) => s.type === "Private");
        expect(spec.tags["karpenter.sh/discovery"]).to.equal("karpenter-spark-dev");
        const sgTag = one(dev, "aws:ec2/tag:Tag", "cluster-cluster-sg-discovery").inputs;
        expect(sgTag).to.include({ key: "karpenter.sh/discovery", value: "karpenter-spark-dev" });
        expect(sgTag.resourceId).to.match(/^sg-/);
    });

    it("creates EKS with access entries only, OIDC, the configured version, and prod's logging, encryption and deletion protection", () => {
        const c = (r: RenderResult) => one(r, "eks:index:Cluster").inputs as any;
        expect(c(dev)).to.include({ name: "karpenter-spark-dev", version: "1.35", authenticationMode: "API", createOidcProvider: true, skipDefaultNodeGroup: true, deletionProtection: false });
        expect(c(dev).enabledClusterLogTypes).to.deep.equal([]);
        expect(c(prod).enabledClusterLogTypes).to.deep.equal(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        expect(c(prod).deletionProtection).to.equal(true);
        expect(c(prod).encryptionConfigKeyArn).to.match(/^arn:aws:kms:us-east-1:123456789012:key\//);
        expect(c(prod).publicAccessCidrs).to.deep.equal(["52.94.133.0/24"]);
    });

    it("gives the control plane its own service role, allowed to use the secrets key and nothing else of KMS", () => {
        const role = one(prod, "aws:iam/role:Role", "cluster-eks-role");
        expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).to.deep.equal({ Service: "eks.amazonaws.com" });
        expect((one(prod, "eks:index:Cluster").inputs as any).serviceRole).to.equal(role.urn);
        const kms = JSON.parse(one(prod, "aws:iam/rolePolicy:RolePolicy", "cluster-eks-role-secrets-key").inputs.policy as string);
        expect(kms.Statement).to.deep.equal([
            { Sid: "UseSecretsKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: (one(prod, "eks:index:Cluster").inputs as any).encryptionConfigKeyArn },
        ]);
        expect(ofType(prod, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").find((x) => x.name === "cluster-eks-role-cluster-policy")!.inputs.policyArn).to.equal("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
        const cluster = one(prod, "eks:index:Cluster");
        expect(cluster.dependencies).to.include(one(prod, "aws:iam/rolePolicy:RolePolicy", "cluster-eks-role-secrets-key").urn);
    });

    it("runs a tainted On-Demand Graviton system node group that only system pods and Karpenter tolerate", () => {
        const ng = one(prod, "eks:index:ManagedNodeGroup").inputs as any;
        expect(ng).to.include({ capacityType: "ON_DEMAND", amiType: "AL2023_ARM_64_STANDARD", nodeGroupNamePrefix: "system-" });
        expect(ng.scalingConfig).to.deep.equal({ minSize: 3, desiredSize: 3, maxSize: 4 });
        expect(ng.taints).to.deep.equal([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
        expect(ng.labels).to.deep.equal({ "karpenter-spark.io/node-group": "system" });
        const values = one(prod, "kubernetes:helm.sh/v3:Release", "cluster-karpenter").inputs.values as any;
        expect(values.tolerations).to.deep.equal([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
        expect(values.nodeSelector["karpenter-spark.io/node-group"]).to.equal("system");
        expect(values).to.not.have.property("affinity"); // Karpenter's own: never on nodes it manages
    });

    it("gives Karpenter its role through EKS Pod Identity, with the agent add-on installed", () => {
        const role = one(dev, "aws:iam/role:Role", "cluster-karpenter-controller-role");
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
        expect(trust.Statement).to.deep.equal([
            { Sid: "AllowEksPodIdentity", Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
        ]);
        const assoc = ofType(dev, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.inputs.namespace === "kube-system")!;
        expect(assoc.inputs).to.include({ serviceAccount: "karpenter", roleArn: "arn:aws:iam::123456789012:role/KarpenterControllerRole-karpenter-spark-dev" });
        expect(one(dev, "aws:eks/addon:Addon").inputs.addonName).to.equal("eks-pod-identity-agent");
        expect(dependsOnType(dev, assoc, "aws:eks/addon:Addon")).to.have.length(1);
        const values = one(dev, "kubernetes:helm.sh/v3:Release", "cluster-karpenter").inputs.values as any;
        expect(values.serviceAccount.name).to.equal(assoc.inputs.serviceAccount);
    });

    it("installs karpenter-crd and karpenter 1.14.1 from Karpenter's OCI registry, the CRDs owned by the crd chart", () => {
        const crd = one(dev, "kubernetes:helm.sh/v3:Release", "cluster-karpenter-crd").inputs as any;
        const main = one(dev, "kubernetes:helm.sh/v3:Release", "cluster-karpenter").inputs as any;
        expect(crd).to.include({ chart: "oci://public.ecr.aws/karpenter/karpenter-crd", version: "1.14.1", namespace: "kube-system", name: "karpenter-crd" });
        expect(crd.skipCrds ?? false).to.equal(false);
        expect(main).to.include({ chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.14.1", namespace: "kube-system", name: "karpenter", skipCrds: true, waitForJobs: true });
        expect(main.values.settings).to.deep.include({ clusterName: "karpenter-spark-dev", interruptionQueue: "karpenter-spark-dev" });
        expect(main.values.settings.interruptionQueue).to.not.match(/^arn:/);
        expect(main.values.controller.resources).to.deep.equal({ requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } });
        expect([(one(dev, "kubernetes:helm.sh/v3:Release", "cluster-karpenter").inputs.values as any).replicas, (one(prod, "kubernetes:helm.sh/v3:Release", "cluster-karpenter").inputs.values as any).replicas]).to.deep.equal([1, 2]);
    });

    it("starts the controller only after everything it needs exists", () => {
        const release = one(dev, "kubernetes:helm.sh/v3:Release", "cluster-karpenter");
        const types = release.dependencies.map((u) => byUrn(dev).get(u)?.type);
        for (const t of [
            "kubernetes:helm.sh/v3:Release",
            "eks:index:ManagedNodeGroup",
            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
            "aws:eks/accessEntry:AccessEntry",
            "aws:sqs/queuePolicy:QueuePolicy",
            "aws:sqs/queue:Queue",
        ]) {
            expect(types, t).to.include(t);
        }
        const attachments = dependsOnType(dev, release, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a!.name);
        expect(attachments.filter((n) => n.startsWith("cluster-karpenter-") && n.endsWith("-attachment"))).to.have.length(6);
        expect(attachments.filter((n) => n.startsWith("cluster-karpenter-node-policy-"))).to.have.length(4);
        expect(release.provider).to.equal(one(dev, "pulumi:providers:kubernetes").urn);
    });

    it("parents every child to the component and prefixes its name", () => {
        const component = one(dev, "karpenter-spark:index:KarpenterCluster");
        const children = dev.registrations.filter((x) => x.parent === component.urn);
        expect(children.length).to.be.greaterThan(40);
        for (const c of children) {
            expect(c.name, c.type).to.match(/^cluster-/);
        }
    });

    it("uses an existing VPC's subnets when given, tagging them instead of creating a VPC", async () => {
        const r = await evaluate(
            () => {
                new KarpenterCluster("c", { existingVpcId: "vpc-0123456789abcdef0", existingPrivateSubnetIds: ["subnet-0a", "subnet-0b"].map((s) => s.padEnd(15, "0")), deletionProtection: false });
                return {};
            },
            { stack: "t", config: { "aws:region": "eu-west-1" } },
        );
        expect(ofType(r, "awsx:ec2:Vpc")).to.have.length(0);
        const tags = ofType(r, "aws:ec2/tag:Tag").filter((t) => t.name.includes("subnet"));
        expect(tags.map((t) => [t.inputs.resourceId, t.inputs.key, t.inputs.value])).to.deep.equal([
            ["subnet-0a000000", "karpenter.sh/discovery", "c"],
            ["subnet-0b000000", "karpenter.sh/discovery", "c"],
        ]);
        expect((one(r, "eks:index:Cluster").inputs as any).privateSubnetIds).to.deep.equal(["subnet-0a000000", "subnet-0b000000"]);
    });

    it("keeps AWS names within their limits for a 100-character cluster name", async () => {
        const longName = `a${"b".repeat(99)}`;
        const r = await evaluate(
            () => {
                new KarpenterCluster("c", { clusterName: longName, systemNodeInstanceTypes: ["m7i.large"] });
                return {};
            },
            { stack: "t", config: { "aws:region": "us-gov-west-1" } },
        );
        for (const role of ofType(r, "aws:iam/role:Role").filter((x) => x.inputs.name)) {
            expect((role.inputs.name as string).length).to.be.at.most(64);
        }
        for (const p of ofType(r, "aws:iam/policy:Policy")) {
            expect((p.inputs.name as string).length).to.be.at.most(128);
            expect(p.inputs.policy as string).to.include("arn:aws-us-gov:");
        }
        expect((one(r, "aws:sqs/queue:Queue").inputs.name as string).length).to.be.at.most(80);
        expect((one(r, "eks:index:ManagedNodeGroup").inputs as any).amiType).to.equal("AL2023_x86_64_STANDARD");
    });
});
