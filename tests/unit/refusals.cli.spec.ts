// The render CLI refuses the same inputs: exit 2, one line per problem on stderr naming the key
// and the value, no stack trace, and no output written.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { ROOT } from "../../tools/render";
import { CLI_CASES } from "../helpers/refusals";

const K = "karpenter-spark";

function render(args: string[]) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "refusal-")), "out");
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools", "render.ts"), ...args, "--out", out, "--quiet"], {
        cwd: ROOT,
        encoding: "utf8",
    });
    return { ...r, out };
}

describe("refusals: the render CLI", () => {
    for (const [what, args, key, shown] of CLI_CASES) {
        it(what, () => {
            const r = render(args);
            expect(r.status, r.stderr).to.equal(2);
            expect(r.stderr).to.include(`invalid ${key}: got ${shown};`);
            expect(r.stderr).to.not.match(/\n\s+at /);
            expect(fs.existsSync(r.out)).to.equal(false);
        });
    }

    it("prints one line per problem of a stack file", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stack-")), "Pulumi.dev.yaml");
        fs.writeFileSync(file, stringify({ config: { "aws:region": "us-west-2", [`${K}:executorCpuLimit`]: -5, [`${K}:natGateways`]: "Double", [`${K}:eventLogRetentionDays`]: 0 } }));
        const r = render(["dev", "--config-file", file]);
        expect(r.status).to.equal(2);
        const lines = r.stderr.trim().split("\n");
        expect(lines).to.have.length(3);
        expect(lines.every((l) => /invalid karpenter-spark:\w+: got /.test(l)), r.stderr).to.equal(true);
        expect(fs.existsSync(r.out)).to.equal(false);
    });
});
