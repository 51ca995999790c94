// The policy pack's rules on what the stacks render (they must pass) and on deliberately bad
// resources (each rule must fire). The rules are the pack's own objects; no policy server runs.
import { expect } from "chai";
import * as path from "path";
import { resourceRules, stackRules, tierOf } from "../../policy/rules";
import { TIER_TAG } from "../../stacks/config";
import { formatPolicyReport, policyReport, runPolicies } from "../../tools/policy";
import { Registration } from "../../tools/mocks";
import { RenderResult } from "../../tools/render";
import { ofType, one, PROD_CONFIG_FLAG, rendered } from "../helpers/render";

type Violation = { rule: string; message: string };

function check(resources: Registration[]): Violation[] {
    const out: Violation[] = [];
    // As CrossGuard calls them: resource rules with each resource's inputs, stack rules with
    // every resource's outputs (after the preview or update has computed them).
    const asPolicyResource = (r: Registration, props: Record<string, unknown>) => ({ type: r.type, urn: r.urn, name: r.name, props, opts: {}, stackTags: new Map() });
    for (const rule of resourceRules) {
        for (const r of resources) {
            for (const validate of ([] as any[]).concat(rule.validateResource ?? [])) {
                validate(asPolicyResource(r, r.inputs), (message: string) => out.push({ rule: rule.name, message }));
            }
        }
    }
    for (const rule of stackRules) {
        const all = resources.map((r) => asPolicyResource(r, r.outputs));
        (rule.validateStack as any)({ resources: all, stackTags: new Map() }, (message: string) => out.push({ rule: rule.name, message }));
    }
    return out;
}

/** A render with one registration's inputs changed. */
function tamper(r: RenderResult, pick: (x: Registration) => boolean, change: (inputs: any) => void): Registration[] {
    return r.registrations.map((x) => {
        if (!pick(x)) return x;
        const inputs = structuredClone(x.inputs);
        const outputs = structuredClone(x.outputs);
        change(inputs);
        change(outputs);
        return { ...x, inputs, outputs };
    });
}

const isExecutorPool = (x: Registration) => x.type === "kubernetes:karpenter.sh/v1:NodePool" && x.name.endsWith("-executors");
const isDriverPool = (x: Registration) => x.type === "kubernetes:karpenter.sh/v1:NodePool" && x.name.endsWith("-drivers");
const capacity = (values: string[]) => (i: any) => (i.spec.template.spec.requirements.find((r: any) => r.key === "karpenter.sh/capacity-type").values = values);

describe("policy pack", () => {
    let dev: RenderResult;
    let prod: RenderResult;
    before(async () => {
        dev = await rendered("dev");
        prod = await rendered("prod");
    });

    it("has the rules the issue asks for", () => {
        expect([...resourceRules, ...stackRules].map((r) => r.name).sort()).to.deep.equal([
            "driver-nodepools-forbid-spot",
            "ec2nodeclasses-imdsv2-encrypted",
            "eks-endpoint-not-public-in-prod",
            "executor-nodepools-allow-spot",
            "iam-no-wildcard-actions",
            "interruption-queue-encrypted-tls-only",
            "nodepools-have-cpu-limit",
            "s3-buckets-private-encrypted",
        ]);
        for (const r of [...resourceRules, ...stackRules]) {
            expect(r.enforcementLevel, r.name).to.equal("mandatory");
        }
    });

    it("passes dev and prod as rendered", () => {
        expect(check(dev.registrations)).to.deep.equal([]);
        expect(check(prod.registrations)).to.deep.equal([]);
    });

    const cases: [string, string, (r: RenderResult) => Registration[], RegExp][] = [
        ["executor-nodepools-allow-spot", "an On-Demand-only executor pool (the seed's defect)", (r) => tamper(r, isExecutorPool, capacity(["on-demand"])), /runs Spark executors but allows only on-demand; add "spot"/],
        ["executor-nodepools-allow-spot", "an executor pool with no capacity requirement (Karpenter's default is on-demand)", (r) => tamper(r, isExecutorPool, (i) => (i.spec.template.spec.requirements = i.spec.template.spec.requirements.filter((q: any) => q.key !== "karpenter.sh/capacity-type"))), /allows only on-demand/],
        ["driver-nodepools-forbid-spot", "a driver pool allowing Spot", (r) => tamper(r, isDriverPool, capacity(["on-demand", "spot"])), /runs Spark drivers but allows Spot/],
        ["nodepools-have-cpu-limit", "a NodePool without limits", (r) => tamper(r, isExecutorPool, (i) => delete i.spec.limits), /has no spec.limits.cpu/],
        ["ec2nodeclasses-imdsv2-encrypted", "IMDSv1 allowed", (r) => tamper(r, (x) => x.type.endsWith(":EC2NodeClass"), (i) => (i.spec.metadataOptions.httpTokens = "optional")), /httpTokens "required" and httpPutResponseHopLimit 1/],
        ["ec2nodeclasses-imdsv2-encrypted", "a hop limit of 2", (r) => tamper(r, (x) => x.type.endsWith(":EC2NodeClass"), (i) => (i.spec.metadataOptions.httpPutResponseHopLimit = 2)), /httpPutResponseHopLimit 1/],
        ["ec2nodeclasses-imdsv2-encrypted", "an unencrypted root volume", (r) => tamper(r, (x) => x.type.endsWith(":EC2NodeClass"), (i) => (i.spec.blockDeviceMappings[0].ebs.encrypted = false)), /ebs.encrypted true/],
        ["s3-buckets-private-encrypted", "a bucket whose public policies are allowed", (r) => tamper(r, (x) => x.type.endsWith(":BucketPublicAccessBlock"), (i) => (i.blockPublicPolicy = false)), /BucketPublicAccessBlock with all four settings true/],
        ["s3-buckets-private-encrypted", "a bucket without default encryption", (r) => r.registrations.filter((x) => !x.type.endsWith(":BucketServerSideEncryptionConfiguration")), /must have default server-side encryption/],
        ["interruption-queue-encrypted-tls-only", "a queue without encryption at rest", (r) => tamper(r, (x) => x.type === "aws:sqs/queue:Queue", (i) => (i.sqsManagedSseEnabled = false)), /must enable encryption at rest/],
        ["interruption-queue-encrypted-tls-only", "a queue policy without the TLS deny", (r) => tamper(r, (x) => x.type === "aws:sqs/queuePolicy:QueuePolicy", (i) => (i.policy = JSON.stringify({ ...JSON.parse(i.policy), Statement: JSON.parse(i.policy).Statement.slice(0, 1) }))), /denying requests where aws:SecureTransport is false/],
        ["iam-no-wildcard-actions", "a service wildcard", (r) => tamper(r, (x) => x.name === "spark-event-log-writer-policy", (i) => (i.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }] }))), /allows s3:\*; grant the actions it needs by name/],
        ["iam-no-wildcard-actions", "Action *", (r) => tamper(r, (x) => x.type === "aws:iam/policy:Policy" && /NodeLifecycle/.test(String(x.inputs.name)), (i) => (i.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }] }))), /statement All allows \*/],
        ["iam-no-wildcard-actions", "a write action on every resource", (r) => tamper(r, (x) => x.type === "aws:iam/policy:Policy" && /NodeLifecycle/.test(String(x.inputs.name)), (i) => (i.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Kill", Effect: "Allow", Action: ["ec2:TerminateInstances", "ec2:DescribeInstances"], Resource: "*" }] }))), /allows ec2:TerminateInstances on every resource/],
        ["iam-no-wildcard-actions", "NotAction", (r) => tamper(r, (x) => x.name === "spark-history-reader-policy", (i) => (i.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }))), /allows NotAction/],
    ];
    for (const [rule, what, bad, message] of cases) {
        it(`${rule} fires on ${what}`, () => {
            const violations = check(bad(dev));
            expect(violations.map((v) => v.rule)).to.include(rule);
            expect(violations.filter((v) => v.rule === rule).map((v) => v.message).join("\n")).to.match(message);
        });
    }

    it("eks-endpoint-not-public-in-prod fires on a prod cluster open to 0.0.0.0/0, and not on dev's", async () => {
        const open = await rendered("prod", { "karpenter-spark:endpointPublicAccessCidrs": '["0.0.0.0/0"]' });
        expect(check(open.registrations).map((v) => [v.rule, v.message])).to.deep.equal([
            ["eks-endpoint-not-public-in-prod", "EKS cluster karpenter-spark-prod exposes its API endpoint to 0.0.0.0/0 in the production tier; set endpointPublicAccessCidrs to your networks or make it private."],
        ]);
        expect((one(dev, "eks:index:Cluster").inputs as any).publicAccessCidrs).to.deep.equal(["0.0.0.0/0"]);
        expect(check(ofType(dev, "eks:index:Cluster"))).to.deep.equal([]);
    });

    it("selects the production-only rule by the environmentTier config key, not by the stack's name", async () => {
        const devAsProduction = await rendered("dev", { "karpenter-spark:environmentTier": "production" });
        expect(check(devAsProduction.registrations).map((v) => v.rule)).to.deep.equal(["eks-endpoint-not-public-in-prod"]);
        const prodAsDevelopment = await rendered("prod", { "karpenter-spark:environmentTier": "development", "karpenter-spark:endpointPublicAccessCidrs": '["0.0.0.0/0"]' });
        expect(check(prodAsDevelopment.registrations)).to.deep.equal([]);
        expect((one(dev, "eks:index:Cluster").inputs as any).tags[TIER_TAG]).to.equal("development");
        expect((one(prod, "eks:index:Cluster").inputs as any).tags[TIER_TAG]).to.equal("production");
        expect(tierOf({})).to.equal("production");
    });

    it("the offline runner (npm run policy) finds the violation planted in tests/stacks/Pulumi.planted.yaml, with rule, resource and message", async () => {
        const report = await policyReport("planted", path.join(__dirname, "..", "stacks", "Pulumi.planted.yaml"));
        expect(report.tier).to.equal("production");
        expect(report.violations.map((v) => [v.rule, v.enforcementLevel, v.resource])).to.deep.equal([["eks-endpoint-not-public-in-prod", "mandatory", "eks:index:Cluster cluster-eks"]]);
        expect(report.mandatory).to.equal(1);
        expect(formatPolicyReport(report)).to.match(/MANDATORY {2}eks-endpoint-not-public-in-prod {2}eks:index:Cluster cluster-eks\n {4}EKS cluster karpenter-spark-planted exposes/);
        expect(runPolicies(dev.registrations)).to.deep.equal([]);
        expect(runPolicies(prod.registrations)).to.deep.equal([]);
    });

    it("runs on prod only with its API allow-list passed explicitly (--config), and says what to set without it", async () => {
        const refused = await policyReport("prod").then(() => undefined, (e: Error) => e);
        expect(String(refused?.message)).to.include('invalid karpenter-spark:endpointPublicAccessCidrs[0]: got "203.0.113.0/24"');
        const report = await policyReport("prod", undefined, [PROD_CONFIG_FLAG[1]]);
        expect(report.tier).to.equal("production");
        expect(report.violations).to.deep.equal([]);
        const malformed = await policyReport("prod", undefined, ["endpointPublicAccessCidrs"]).then(() => undefined, (e: Error) => e);
        expect(String(malformed?.message)).to.match(/^invalid --config: got "endpointPublicAccessCidrs"; allowed: KEY=VALUE/);
    });
});
