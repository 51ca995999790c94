import { expect } from "chai";
import { CapacityType, SparkRole } from "../../components/enums";
import { ec2NodeClassManifest, nodePoolManifest, NodePoolInput } from "../../components/pools/specs";
import { CrdValidator } from "../../components/validation/crd";
import { describeContract, yamlFixture } from "../helpers/fixtures";
import { manifests, rendered } from "../helpers/render";

describeContract("contract: rendered NodePools and EC2NodeClasses against Karpenter v1.14.1 CRDs", () => {
    let validator: CrdValidator;
    const unevaluated = new Set<string>();
    const transition = new Set<string>();
    let evaluated = 0;

    before(() => {
        validator = new CrdValidator([
            yamlFixture("karpenter/karpenter.sh_nodepools.yaml"),
            yamlFixture("karpenter/karpenter.k8s.aws_ec2nodeclasses.yaml"),
            yamlFixture("karpenter/karpenter.sh_nodeclaims.yaml"),
        ]);
    });

    after(() => {
        // Visible in the test output: what was checked and what could not be.
        console.log(`      CEL rules evaluated: ${evaluated}; rules the library could not evaluate: ${unevaluated.size}`);
        for (const u of unevaluated) {
            console.log(`        NOT EVALUATED ${u}`);
        }
        for (const t of transition) {
            console.log(`        transition rule, evaluated as a no-op update: ${t}`);
        }
    });

    function check(object: any) {
        const v = validator.validate(object);
        v.unevaluated.forEach((u) => unevaluated.add(`${object.kind}${u}`));
        v.transitionRules.forEach((t) => transition.add(`${object.kind}${t}`));
        evaluated += v.evaluatedRules;
        return v;
    }

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every NodePool and EC2NodeClass passes the schema and every CEL rule`, async () => {
            const r = await rendered(stack);
            const objects = [...manifests(r, "NodePool"), ...manifests(r, "EC2NodeClass")];
            expect(objects.map((o) => o.kind).sort()).to.deep.equal(["EC2NodeClass", "NodePool", "NodePool"]);
            for (const o of objects) {
                const v = check(o);
                expect(v.errors, `${o.kind} ${o.metadata.name}`).to.deep.equal([]);
                expect(v.unevaluated, `${o.kind} ${o.metadata.name}`).to.deep.equal([]);
                expect(v.evaluatedRules, `${o.kind} ${o.metadata.name}`).to.be.greaterThan(5);
            }
        });
    }

    const base: NodePoolInput = {
        name: "spark-executors",
        nodeClassName: "spark",
        role: SparkRole.Executor,
        capacityTypes: [CapacityType.Spot],
        categories: ["c", "m", "r"],
        generationGreaterThan: 2,
        architectures: ["amd64", "arm64"],
        minInstanceTypes: 10,
        cpuLimit: 1000,
        memoryLimitGi: 4000,
        consolidationPolicy: "WhenEmptyOrUnderutilized",
        consolidateAfter: "1m",
        budgets: [{ nodes: "10%" }, { nodes: "0", schedule: "0 9 * * mon-fri", duration: "8h", reasons: ["Drifted"] }],
        expireAfter: "720h",
        terminationGracePeriod: "10m",
        weight: 50,
    };

    it("accepts the builders' richest outputs (families, sizes, budgets, weight, instance store)", () => {
        const pool = nodePoolManifest({ ...base, families: ["m7i", "r7i"], sizes: ["2xlarge", "4xlarge"] });
        const nodeClass = ec2NodeClassManifest({
            name: "spark",
            clusterName: "c",
            nodeRoleName: "KarpenterNodeRole-c",
            amiVersion: "latest",
            rootVolumeSizeGi: 200,
            instanceStoreRaid0: true,
            tags: { team: "data" },
        });
        for (const o of [pool, nodeClass]) {
            const v = check(o);
            expect(v.errors).to.deep.equal([]);
            expect(v.unevaluated).to.deep.equal([]);
        }
    });

    // The validator must be able to fail: each broken object is rejected for the stated reason.
    const broken: [string, (m: any) => void, RegExp][] = [
        ["a requirement with In and no values", (m) => (m.spec.template.spec.requirements[0].values = []), /operator 'In' must have a value/],
        ["minValues above the number of values", (m) => (m.spec.template.spec.requirements[1].minValues = 5), /minValues/],
        ["a non-integer Gt value", (m) => (m.spec.template.spec.requirements[2].values = ["two"]), /single positive integer/],
        ["the restricted karpenter.sh/nodepool label", (m) => (m.spec.template.metadata.labels["karpenter.sh/nodepool"] = "x"), /restricted/],
        ["an unknown consolidation policy", (m) => (m.spec.disruption.consolidationPolicy = "Always"), /allowed values/],
        ["a malformed duration", (m) => (m.spec.disruption.consolidateAfter = "1 minute"), /pattern/],
        ["a schedule without a duration", (m) => (m.spec.disruption.budgets = [{ nodes: "1", schedule: "@daily" }]), /'schedule' must be set with 'duration'/],
        ["an unknown field", (m) => (m.spec.template.spec.capacityType = "spot"), /additional properties \(capacityType\)/],
        ["weight above 100", (m) => (m.spec.weight = 101), /<= 100/],
        ["an uppercase name", (m) => (m.metadata.name = "Spark"), /DNS-1123/],
    ];
    for (const [what, mutate, reason] of broken) {
        it(`rejects a NodePool with ${what}`, () => {
            const m = structuredClone(nodePoolManifest(base));
            mutate(m);
            const v = check(m);
            expect(v.errors.join("\n")).to.match(reason);
        });
    }

    const brokenNodeClass: [string, (m: any) => void, RegExp][] = [
        ["an AMI alias of an unknown family", (m) => (m.spec.amiSelectorTerms = [{ alias: "ubuntu@latest" }]), /family is not supported/],
        ["an alias combined with another term", (m) => m.spec.amiSelectorTerms.push({ id: "ami-123" }), /mutually exclusive/],
        ["no role and no instance profile", (m) => delete m.spec.role, /exactly one of \['role', 'instanceProfile'\]/],
        ["empty subnet selectors", (m) => (m.spec.subnetSelectorTerms = []), /subnetSelectorTerms cannot be empty/],
        ["a restricted tag", (m) => (m.spec.tags["kubernetes.io/cluster/x"] = "owned"), /restricted tag/],
        ["an IMDS hop limit of 0", (m) => (m.spec.metadataOptions.httpPutResponseHopLimit = 0), />= 1/],
    ];
    for (const [what, mutate, reason] of brokenNodeClass) {
        it(`rejects an EC2NodeClass with ${what}`, () => {
            const m = structuredClone(
                ec2NodeClassManifest({ name: "spark", clusterName: "c", nodeRoleName: "r", amiVersion: "v20260818", rootVolumeSizeGi: 100, instanceStoreRaid0: false, tags: {} }),
            );
            mutate(m);
            expect(check(m).errors.join("\n")).to.match(reason);
        });
    }
});
