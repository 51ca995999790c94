import { expect } from "chai";
import { describeContract, yamlFixture } from "../helpers/fixtures";
import { one, rendered } from "../helpers/render";

/**
 * Values whose content is a Kubernetes object or label map that values.yaml does not spell out
 * (a node selector's labels, a container's resources): below these, any key is the user's own.
 */
const KUBERNETES_VALUES = new Set(["nodeSelector", "tolerations", "affinity", "resources", "topologySpreadConstraints", "securityContext", "labels", "annotations", "podAnnotations"]);

/**
 * Every path in `values` that the chart's defaults do not have, or where our value's JSON type
 * differs from the default's (so a typo such as `settings.interuptionQueue` or a string where
 * the chart wants a number is caught).
 */
export function unknownValuePaths(values: unknown, defaults: unknown, path = ""): string[] {
    if (values === null || typeof values !== "object" || Array.isArray(values)) {
        return [];
    }
    const problems: string[] = [];
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
        const p = path ? `${path}.${key}` : key;
        if (defaults === null || typeof defaults !== "object" || !(key in (defaults as object))) {
            problems.push(`${p}: not in the chart's values.yaml`);
            continue;
        }
        const d = (defaults as Record<string, unknown>)[key];
        if (KUBERNETES_VALUES.has(key) || d === null) {
            continue;
        }
        const kind = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);
        if (kind(d) !== kind(value)) {
            problems.push(`${p}: ${kind(value)} where the chart's default is ${kind(d)}`);
            continue;
        }
        problems.push(...unknownValuePaths(value, d, p));
    }
    return problems;
}

describeContract("contract: Helm values against the charts' values.yaml", () => {
    const charts: [string, string, string][] = [
        ["karpenter", "cluster-karpenter", "karpenter/karpenter-chart-values.yaml"],
        ["spark-operator", "spark-operator", "spark-operator/spark-operator-chart-values.yaml"],
    ];
    for (const stack of ["dev", "prod"]) {
        for (const [chart, release, fixture] of charts) {
            it(`${stack}: every ${chart} value the stack sets exists in the ${chart} chart, with the default's type`, async () => {
                const r = await rendered(stack);
                const values = one(r, "kubernetes:helm.sh/v3:Release", release).inputs.values;
                expect(Object.keys(values as object).length).to.be.greaterThan(3);
                expect(unknownValuePaths(values, yamlFixture(fixture))).to.deep.equal([]);
            });
        }
    }

    it("pins the charts the fixtures describe", async () => {
        const r = await rendered("dev");
        expect(one(r, "kubernetes:helm.sh/v3:Release", "cluster-karpenter").inputs.version).to.equal(yamlFixture("karpenter/karpenter-chart.yaml").version);
        expect(one(r, "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.version).to.equal(yamlFixture("spark-operator/spark-operator-chart.yaml").version);
    });

    it("catches a misspelt key and a wrongly typed value (the check can fail)", () => {
        const defaults = yamlFixture("karpenter/karpenter-chart-values.yaml");
        expect(unknownValuePaths({ settings: { interuptionQueue: "q" } }, defaults)).to.deep.equal(["settings.interuptionQueue: not in the chart's values.yaml"]);
        expect(unknownValuePaths({ replicas: "2" }, defaults)).to.deep.equal(["replicas: string where the chart's default is number"]);
        expect(unknownValuePaths({ controller: { resources: { requests: { cpu: "1" } } } }, defaults)).to.deep.equal([]);
    });
});
