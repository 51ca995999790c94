// The plan, blast-radius and policy commands as CI runs them: exit codes (0 fine, 1 a finding
// CI must stop on, 2 a usage error printed as one line without a stack trace) and --json output.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

function run(tool: string, ...args: string[]) {
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("tools", `${tool}.ts`), ...args], { cwd: ROOT, encoding: "utf8" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("plan, blast-radius and policy commands", function () {
    this.timeout(300_000);

    it("plan: a mistyped --set key exits 2 with one line and a did-you-mean", () => {
        const r = run("plan", "dev", "--set", "executorCpuLimt=3");
        expect(r.code).to.equal(2);
        expect(r.stderr.trim().split("\n")).to.deep.equal([
            'error: --set: unknown config key "executorCpuLimt" (not in stacks/config.ts, the README\'s configuration table); did you mean "executorCpuLimit"?',
        ]);
    });

    it("plan --json: an update of the executor NodePool, as JSON", () => {
        const r = run("plan", "dev", "--set", "executorCpuLimit=200", "--json");
        expect(r.code, r.stderr).to.equal(0);
        const plan = JSON.parse(r.stdout);
        expect(plan.steps.map((s: any) => [s.op, s.name, s.changes])).to.deep.equal([["update", "spark-pools-executors", [{ path: "spec.limits.cpu", old: "256", new: "200" }]]]);
        expect(plan.sets).to.deep.equal({ "karpenter-spark:executorCpuLimit": "200" });
    });

    it("blast-radius --fail-on-replace exits 1 when the cluster would be replaced, 0 for a NodePool change", () => {
        const bad = run("blastRadius", "dev", "--set", "clusterName=analytics", "--fail-on-replace", "--json");
        expect(bad.code, bad.stderr).to.equal(1);
        expect(bad.stdout.length, bad.stderr).to.be.greaterThan(0);
        expect(JSON.parse(bad.stdout).dangerous.map((d: any) => d.name)).to.include("cluster-eks");
        const fine = run("blastRadius", "dev", "--set", "executorCpuLimit=300", "--fail-on-replace");
        expect(fine.code, fine.stderr).to.equal(0);
        expect(fine.stdout).to.match(/dangerous: none/);
    });

    it("policy exits 1 on the planted violation and 0 on dev", () => {
        const planted = run("policy", "planted", "--config-file", path.join("tests", "stacks", "Pulumi.planted.yaml"), "--json");
        expect(planted.code, planted.stderr).to.equal(1);
        expect(JSON.parse(planted.stdout).violations.map((v: any) => v.rule)).to.deep.equal(["eks-endpoint-not-public-in-prod"]);
        const dev = run("policy", "dev");
        expect(dev.code, dev.stderr).to.equal(0);
        expect(dev.stdout).to.match(/tier development .*\nno violations/);
    });
});
