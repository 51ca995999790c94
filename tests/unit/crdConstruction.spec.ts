// Issue 14, point 6 at construction: SpotExecutorPool checks the NodePools and the EC2NodeClass
// it builds against the Karpenter v1.14.1 CRDs (schema and CEL rules) before it registers
// anything, names the argument behind each finding, and checks again once Output values resolve.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { SpotExecutorPool } from "../../components";
import { argOfRequirement, resolveSpotExecutorPoolArgs } from "../../components/spotExecutorPool/args";
import { nodeClassCrdCheck, nodePoolCrdCheck } from "../../components/spotExecutorPool/crds";
import { celRuleGap, CrdValidator } from "../../components/validation/crd";
import { evaluate } from "../../tools/render";
import { mustFail } from "../helpers/refusals";

const base = { clusterName: "c", nodeRoleName: "KarpenterNodeRole-c", region: "us-east-1" };

describe("Karpenter CRD check at construction (SpotExecutorPool)", () => {
    it("evaluates the CEL rules of both NodePools and the EC2NodeClass when the args are resolved, none left unevaluated", () => {
        const a = resolveSpotExecutorPoolArgs("p", base);
        // Counted, not guessed: the rules on the paths the builders populate (printed by the contract test too).
        expect(a.crdCheck.rulesEvaluated.NodePool).to.be.greaterThan(10);
        expect(a.crdCheck.rulesEvaluated.EC2NodeClass).to.be.greaterThan(10);
        expect(a.crdCheck.unevaluated).to.deep.equal([]);
        console.log(`      CEL rules evaluated at construction: NodePool (both pools) ${a.crdCheck.rulesEvaluated.NodePool}, EC2NodeClass ${a.crdCheck.rulesEvaluated.EC2NodeClass}`);
    });

    it("reports every finding at once, naming the argument behind the path, the value there and the CRD's rule", () => {
        const a = resolveSpotExecutorPoolArgs("p", base);
        const executors = { ...a.executorPool, weight: 101, families: [] as string[], budgets: [{ nodes: "1", schedule: "@daily" }] };
        const found = nodePoolCrdCheck([a.driverPool, executors], argOfRequirement).problems;
        const subjects = found.map((p) => p.subject);
        expect(subjects).to.include('executorWeight (NodePool "p-executors" /spec/weight)');
        expect(subjects).to.include('executorDisruptionBudgets (NodePool "p-executors" /spec/disruption/budgets)');
        expect(subjects).to.include('executorInstanceCategories, executorInstanceFamilies or executorInstanceSizes (NodePool "p-executors" /spec/template/spec/requirements)');
        const weight = found.find((p) => p.subject.startsWith("executorWeight"))!;
        expect(weight.value).to.equal(101);
        expect(weight.allowed).to.match(/^what the Karpenter v1\.14\.1 NodePool CRD accepts: must be <= 100/);
        expect(found.find((p) => p.subject.startsWith("executorDisruptionBudgets"))!.allowed).to.include("'schedule' must be set with 'duration'");
    });

    it("names the EC2NodeClass argument too (an AMI alias longer than the CRD allows, an empty role)", () => {
        const a = resolveSpotExecutorPoolArgs("p", base);
        const found = nodeClassCrdCheck({ name: "p", clusterName: "c", nodeRoleName: "", amiVersion: `v${"2".repeat(30)}`, rootVolumeSizeGi: 100, instanceStoreRaid0: false, tags: a.tags }).problems;
        expect(found.map((p) => p.subject)).to.include.members(['nodeRoleName (EC2NodeClass "p" /spec/role)', 'amiVersion (EC2NodeClass "p" /spec/amiSelectorTerms/0/alias)']);
    });

    for (const preview of [false, true]) {
        it(`refuses an empty clusterName or nodeRoleName that arrives as an Output once it resolves (${preview ? "preview" : "update"})`, async () => {
            const e = await mustFail(() =>
                evaluate(
                    () => {
                        new SpotExecutorPool("p", { ...base, clusterName: pulumi.output(""), nodeRoleName: pulumi.output("") });
                        return {};
                    },
                    { stack: "t", config: { "aws:region": "us-east-1" }, preview },
                ),
            );
            expect(e.message).to.include('SpotExecutorPool "p": invalid nodeRoleName (EC2NodeClass "p" /spec/role): got ""; allowed: what the Karpenter v1.14.1 EC2NodeClass CRD accepts: role cannot be empty');
            expect(e.message).to.match(/invalid clusterName \(EC2NodeClass "p" \/spec\/subnetSelectorTerms\/0\/tags\)/);
        });
    }

    it("never counts a rule the CEL library cannot evaluate as passed (Kubernetes' quantity(), url())", () => {
        const crd = {
            spec: {
                group: "example.com",
                scope: "Cluster",
                names: { kind: "Thing" },
                versions: [{ name: "v1", schema: { openAPIV3Schema: { type: "object", properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, spec: { type: "object", properties: { size: { type: "string", "x-kubernetes-validations": [{ rule: "quantity(self).isGreaterThan(quantity('1Gi'))", message: "too small" }, { rule: "self != ''" }] } } } } } } }],
            },
        };
        const v = new CrdValidator([crd]).validate({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" }, spec: { size: "2Gi" } });
        expect(v.unevaluated).to.have.length(1);
        expect(v.unevaluated[0]).to.match(/^\/spec\/size: quantity\(self\).*unbound function: (quantity|isGreaterThan)/);
        expect(v.evaluatedRules).to.equal(1);
        expect(v.errors).to.deep.equal([]);
        expect(celRuleGap("isURL(self)")).to.equal("unbound function: isURL");
        expect(celRuleGap("self.all(x, x.find('^a') != '')")).to.equal(undefined);
    });
});
