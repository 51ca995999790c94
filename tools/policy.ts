// `npm run policy -- <stack> [--config-file FILE] [--json]`: the CrossGuard policy pack
// (policy/rules.ts) run offline over the render, the way `pulumi preview --policy-pack policy`
// runs it: resource rules on each resource's inputs, stack rules on every resource's outputs.
// Which rules bite follows the stack's environmentTier config key (tagged on every resource), not
// the stack's name. Exit 1 when a mandatory rule is violated, 2 on bad input.
import type { EnforcementLevel } from "@pulumi/policy";
import { resourceRules, stackRules } from "../policy/rules";
import { checkStackConfig, EnvironmentTier } from "../stacks/config";
import { createCommand, runCli, UserError } from "./cli";
import { Registration } from "./mocks";
import { CONFIG_FLAG_HELP, PROJECT, readStackConfig, renderStack, resolveStack, ROOT, withConfigFlags } from "./render";

export interface Violation {
    rule: string;
    enforcementLevel: EnforcementLevel;
    /** URN of the resource, when the rule names one. */
    urn?: string;
    /** `type name`, for people. */
    resource?: string;
    message: string;
}

/** Runs every rule of the pack over a render's registrations. */
export function runPolicies(resources: Registration[]): Violation[] {
    const out: Violation[] = [];
    const describe = (urn?: string) => {
        const r = resources.find((x) => x.urn === urn);
        return r ? `${r.type} ${r.name}` : undefined;
    };
    // As CrossGuard calls them: resource rules with each resource's inputs, stack rules with every
    // resource's outputs (after the preview has computed them).
    const asPolicyResource = (r: Registration, props: Record<string, unknown>) => ({ type: r.type, urn: r.urn, name: r.name, props, opts: {}, stackTags: new Map() });
    for (const rule of resourceRules) {
        const level = rule.enforcementLevel ?? "advisory";
        for (const r of resources) {
            for (const validate of ([] as any[]).concat(rule.validateResource ?? [])) {
                validate(asPolicyResource(r, r.inputs), (message: string) => out.push({ rule: rule.name, enforcementLevel: level, urn: r.urn, resource: describe(r.urn), message }));
            }
        }
    }
    for (const rule of stackRules) {
        const level = rule.enforcementLevel ?? "advisory";
        const all = resources.map((r) => asPolicyResource(r, r.outputs));
        (rule.validateStack as any)({ resources: all, stackTags: new Map() }, (message: string, urn?: string) =>
            out.push({ rule: rule.name, enforcementLevel: level, urn, resource: describe(urn), message }),
        );
    }
    return out;
}

export interface PolicyReport {
    stack: string;
    tier: EnvironmentTier;
    rules: string[];
    violations: Violation[];
    /** Mandatory violations: `pulumi preview` would fail. */
    mandatory: number;
}

export async function policyReport(stack: string, configFile?: string, configFlags: string[] = []): Promise<PolicyReport> {
    resolveStack(stack, ROOT, configFile);
    const { config, problems } = withConfigFlags(readStackConfig(stack, ROOT, configFile), configFlags);
    if (problems.length > 0) {
        throw new UserError(problems);
    }
    const checked = checkStackConfig(config, PROJECT, stack);
    if (!checked.config) {
        throw new UserError(checked.problems.map((p) => p.message));
    }
    const tier = checked.config.environmentTier;
    const result = await renderStack({ stack, config });
    const violations = runPolicies(result.registrations);
    return {
        stack,
        tier,
        rules: [...resourceRules, ...stackRules].map((r) => r.name),
        violations,
        mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
    };
}

export function formatPolicyReport(r: PolicyReport): string {
    const lines = [`Policy pack over the offline render of stack "${r.stack}", tier ${r.tier} (${PROJECT}:environmentTier): ${r.rules.length} rules`];
    if (r.violations.length === 0) {
        lines.push("no violations");
    }
    for (const v of r.violations) {
        lines.push(`${v.enforcementLevel.toUpperCase()}  ${v.rule}  ${v.resource ?? "(stack)"}\n    ${v.message}`);
    }
    if (r.violations.length) {
        lines.push(`\n${r.violations.length} violation(s), ${r.mandatory} mandatory${r.mandatory ? ": pulumi preview --policy-pack policy would fail" : ""}`);
    }
    return lines.join("\n");
}

export const command = () =>
    createCommand("policy", "Run the CrossGuard policy pack (policy/) offline over the stack's render: rule, resource and message per violation; exit 1 on a mandatory one.")
        .argument("<stack>", "the stack: Pulumi.<stack>.yaml (unless --config-file)")
        .option("--config-file <file>", "read the stack config from this file instead of Pulumi.<stack>.yaml")
        .option("--config <key=value...>", CONFIG_FLAG_HELP)
        .option("--json", "print the report as JSON for CI");

if (require.main === module) {
    // Unmapped stack traces unless --debug: see tools/plan.ts.
    if (!process.argv.includes("--debug")) {
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    }
    runCli(command(), async (stack: string, opts: { configFile?: string; config?: string[]; json?: boolean }) => {
        const report = await policyReport(stack, opts.configFile, opts.config);
        console.log(opts.json ? JSON.stringify(report, null, 2) : formatPolicyReport(report));
        return report.mandatory > 0 ? 1 : 0;
    });
}
