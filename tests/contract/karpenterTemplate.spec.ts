// Parity with Karpenter's official v1.14.1 getting-started CloudFormation template: every
// controller policy statement (by Sid), the node role, the interruption queue and its policy, and
// the five EventBridge rules, as the dev stack renders them.
import { expect } from "chai";
import { parse, ScalarTag } from "yaml";
import { KARPENTER_CONTROLLER_POLICY_KINDS, karpenterControllerPolicyName } from "../../components/karpenter/iam";
import { INTERRUPTION_RULES } from "../../components/karpenter/interruption";
import { MOCK_ACCOUNT_ID, Registration } from "../../tools/mocks";
import { RenderResult } from "../../tools/render";
import { describeContract, readFixture } from "../helpers/fixtures";
import { ofType, one, rendered } from "../helpers/render";

/** Loads the template with its short-form intrinsic functions (!Sub, !Ref, !GetAtt). */
function loadTemplate(): any {
    const tag = (name: string, fn: string): ScalarTag => ({
        tag: `!${name}`,
        resolve: (value: string) => ({ [fn]: value }),
        identify: () => false,
    });
    return parse(readFixture("karpenter/karpenter-cloudformation.yaml"), {
        customTags: [tag("Sub", "Fn::Sub"), tag("Ref", "Ref"), tag("GetAtt", "Fn::GetAtt")],
    });
}

/** What `!Sub` expands to for the dev stack, as the mocks answer its invokes. */
function substitutions(clusterName: string, region: string): Record<string, string> {
    return {
        "AWS::Partition": "aws",
        "AWS::Region": region,
        "AWS::AccountId": MOCK_ACCOUNT_ID,
        "AWS::URLSuffix": "amazonaws.com",
        ClusterName: clusterName,
        "KarpenterNodeRole.Arn": `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/KarpenterNodeRole-${clusterName}`,
        "KarpenterInterruptionQueue.Arn": `arn:aws:sqs:${region}:${MOCK_ACCOUNT_ID}:${clusterName}`,
    };
}

function sub(value: unknown, vars: Record<string, string>): any {
    if (typeof value === "string") {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map((v) => sub(v, vars));
    }
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (typeof o["Fn::Sub"] === "string") {
            return (o["Fn::Sub"] as string).replace(/\$\{([^}]+)\}/g, (_, k: string) => {
                if (!(k in vars)) {
                    throw new Error(`template references \${${k}}, which the test does not substitute`);
                }
                return vars[k];
            });
        }
        if (typeof o["Fn::GetAtt"] === "string") {
            return vars[o["Fn::GetAtt"] as string];
        }
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, sub(v, vars)]));
    }
    return value;
}

const asSet = (v: unknown) => [...new Set((Array.isArray(v) ? v : [v]).map(String))].sort();

/** IAM treats a scalar and a one-element list alike; compare conditions that way. */
function normalizeCondition(c: Record<string, Record<string, unknown>> | undefined) {
    if (!c) {
        return undefined;
    }
    return Object.fromEntries(
        Object.entries(c).map(([op, kv]) => [op, Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, asSet(v)]))]),
    );
}

function parityProblems(expected: any, actual: any): string[] {
    const problems: string[] = [];
    if (!actual) {
        return ["missing"];
    }
    if (expected.Effect !== actual.Effect) problems.push(`Effect ${actual.Effect} != ${expected.Effect}`);
    if (JSON.stringify(asSet(expected.Action)) !== JSON.stringify(asSet(actual.Action))) problems.push(`Action ${JSON.stringify(actual.Action)}`);
    if (JSON.stringify(asSet(expected.Resource)) !== JSON.stringify(asSet(actual.Resource))) problems.push(`Resource ${JSON.stringify(actual.Resource)}`);
    if (JSON.stringify(normalizeCondition(expected.Condition)) !== JSON.stringify(normalizeCondition(actual.Condition))) {
        problems.push(`Condition ${JSON.stringify(actual.Condition)}`);
    }
    return problems;
}

describeContract("contract: Karpenter IAM, queue and rules against the v1.14.1 CloudFormation template", () => {
    let template: any;
    let r: RenderResult;
    let vars: Record<string, string>;
    const clusterName = "karpenter-spark-dev";

    before(async () => {
        template = loadTemplate();
        r = await rendered("dev");
        vars = substitutions(clusterName, r.region);
    });

    it("renders the six controller policies under the template's names", () => {
        const names = ofType(r, "aws:iam/policy:Policy")
            .map((p) => p.inputs.name)
            .sort();
        const templateNames = Object.values(template.Resources)
            .filter((res: any) => res.Type === "AWS::IAM::ManagedPolicy")
            .map((res: any) => sub(res.Properties.ManagedPolicyName, vars))
            .sort();
        expect(templateNames).to.have.length(6);
        expect(names).to.deep.equal(templateNames);
        expect(KARPENTER_CONTROLLER_POLICY_KINDS.map((k) => karpenterControllerPolicyName(k, clusterName)).sort()).to.deep.equal(templateNames);
    });

    it("grants every template statement, Sid for Sid, with the same Effect, Actions, Resources and Conditions, in the same policy", () => {
        const rendered = new Map(ofType(r, "aws:iam/policy:Policy").map((p) => [p.inputs.name as string, JSON.parse(p.inputs.policy as string)]));
        const report: string[] = [];
        let failures = 0;
        let templateSids = 0;
        for (const res of Object.values(template.Resources) as any[]) {
            if (res.Type !== "AWS::IAM::ManagedPolicy") {
                continue;
            }
            const name = sub(res.Properties.ManagedPolicyName, vars);
            const expectedDoc = JSON.parse(sub(res.Properties.PolicyDocument, vars));
            const actualDoc = rendered.get(name);
            const actualBySid = new Map((actualDoc?.Statement ?? []).map((s: any) => [s.Sid, s]));
            expect([...actualBySid.keys()].sort(), `${name} Sids`).to.deep.equal(expectedDoc.Statement.map((s: any) => s.Sid).sort());
            for (const st of expectedDoc.Statement) {
                templateSids++;
                const problems = parityProblems(st, actualBySid.get(st.Sid));
                failures += problems.length ? 1 : 0;
                report.push(`${problems.length ? "DIFFERS" : "identical"}  ${name.replace(`-${clusterName}`, "")} / ${st.Sid}${problems.length ? `: ${problems.join("; ")}` : ""}`);
            }
        }
        console.log(report.map((l) => `      ${l}`).join("\n"));
        expect(templateSids).to.equal(18);
        expect(failures, report.join("\n")).to.equal(0);
    });

    it("gives the node role the template's name, trust policy and managed policies, and an EC2_LINUX access entry", () => {
        const expected = sub(template.Resources.KarpenterNodeRole.Properties, vars);
        const role = one(r, "aws:iam/role:Role", "cluster-karpenter-node-role");
        expect(role.inputs.name).to.equal(expected.RoleName);
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
        expect(trust.Statement.map((s: any) => [s.Effect, s.Principal, asSet(s.Action)])).to.deep.equal(
            expected.AssumeRolePolicyDocument.Statement.map((s: any) => [s.Effect, s.Principal, asSet(s.Action)]),
        );
        const attached = ofType(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((a) => a.inputs.role === expected.RoleName)
            .map((a) => a.inputs.policyArn)
            .sort();
        expect(attached).to.deep.equal([...expected.ManagedPolicyArns].sort());
        const entry = one(r, "aws:eks/accessEntry:AccessEntry");
        expect(entry.inputs.type).to.equal("EC2_LINUX");
        expect(entry.inputs.principalArn).to.equal(vars["KarpenterNodeRole.Arn"]);
    });

    it("creates the interruption queue and its policy as the template does", () => {
        const q = template.Resources.KarpenterInterruptionQueue.Properties;
        const queue = one(r, "aws:sqs/queue:Queue");
        expect(queue.inputs.name).to.equal(sub(q.QueueName, vars));
        expect(queue.inputs.messageRetentionSeconds).to.equal(q.MessageRetentionPeriod);
        expect(queue.inputs.sqsManagedSseEnabled).to.equal(q.SqsManagedSseEnabled);
        const expected = sub(template.Resources.KarpenterInterruptionQueuePolicy.Properties.PolicyDocument, vars);
        const actual = JSON.parse(one(r, "aws:sqs/queuePolicy:QueuePolicy").inputs.policy as string);
        expect(actual.Id).to.equal(expected.Id);
        expect(actual.Statement).to.have.length(expected.Statement.length);
        expected.Statement.forEach((st: any, i: number) => {
            expect(parityProblems(st, actual.Statement[i]), `statement ${i}`).to.deep.equal([]);
            expect(actual.Statement[i].Principal).to.deep.equal(st.Principal);
        });
    });

    it("has the template's five EventBridge rules, each targeting the queue", () => {
        const expected = Object.values(template.Resources)
            .filter((res: any) => res.Type === "AWS::Events::Rule")
            .map((res: any) => res.Properties);
        expect(expected).to.have.length(5);
        const rules = ofType(r, "aws:cloudwatch/eventRule:EventRule");
        // Rule by rule: each of ours against the template resource it is named after.
        const templateIds = Object.keys(template.Resources).filter((k) => template.Resources[k].Type === "AWS::Events::Rule");
        expect(INTERRUPTION_RULES.map((x) => x.templateId).sort()).to.deep.equal(templateIds.sort());
        for (const rule of INTERRUPTION_RULES) {
            const rendered = one(r, "aws:cloudwatch/eventRule:EventRule", `cluster-${rule.name}`);
            expect(JSON.parse(rendered.inputs.eventPattern as string), rule.templateId).to.deep.equal(template.Resources[rule.templateId].Properties.EventPattern);
        }
        const targets: Registration[] = ofType(r, "aws:cloudwatch/eventTarget:EventTarget");
        expect(targets).to.have.length(5);
        for (const t of targets) {
            expect(t.inputs.targetId).to.equal(expected[0].Targets[0].Id);
            expect(t.inputs.arn).to.equal(vars["KarpenterInterruptionQueue.Arn"]);
        }
        // One target per rule: each depends on exactly one of the rules, and no two share one.
        const ruleUrns = new Set(rules.map((x) => x.urn));
        for (const t of targets) {
            expect(t.dependencies.filter((d) => ruleUrns.has(d))).to.have.length(1);
        }
        expect(new Set(targets.map((t) => t.inputs.rule)).size).to.equal(5);
    });
});
