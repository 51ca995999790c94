// Every bad stack config in the table is refused before anything is registered, naming the config
// key (not the component argument behind it) and showing the value.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { readStackConfig, renderStack, ROOT } from "../../tools/render";
import { stackConfigForTests } from "../helpers/render";
import { CONFIG_CASES, expectNothingRegistered, mustFail } from "../helpers/refusals";

const K = "karpenter-spark";

describe("refusals: stack configs", () => {
    const dev = readStackConfig("dev");
    for (const [what, changes, key, shown] of CONFIG_CASES) {
        it(what, async () => {
            const config = { ...dev };
            for (const [k, v] of Object.entries(changes)) {
                if (v === null) delete config[k];
                else config[k] = v;
            }
            const e = await mustFail(() => renderStack({ stack: "dev", config }));
            expect(e.message).to.include(`Invalid stack config: invalid ${key}: got ${shown};`);
            expectNothingRegistered(e);
        });
    }

    it("reports every bad key at once, one line each", async () => {
        const config = { ...dev, [`${K}:executorCpuLimit`]: "-5", [`${K}:natGateways`]: "Double", [`${K}:amiVersion`]: "v2026" };
        const e = await mustFail(() => renderStack({ stack: "dev", config }));
        expect(e.message.split("\n").map((l) => /invalid (\S+):/.exec(l)?.[1])).to.have.members([`${K}:executorCpuLimit`, `${K}:natGateways`, `${K}:amiVersion`]);
    });

    it("refuses prod as shipped (its placeholder API allow-list), in one line saying what to set", async () => {
        const e = await mustFail(() => renderStack({ stack: "prod", config: readStackConfig("prod") }));
        const lines = e.message.split("\n").filter((l) => l.includes("invalid "));
        expect(lines).to.have.length(1);
        expect(lines[0]).to.include(`invalid ${K}:endpointPublicAccessCidrs[0]: got "203.0.113.0/24"; allowed: a public range; 203.0.113.0/24 is documentation, TEST-NET-3 (RFC 5737), a placeholder`);
        expect(lines[0]).to.include("the public egress CIDR of the deployer that runs `pulumi up`");
        expect(lines[0]).to.include("or [] for private-only access with existingVpcId and the deployer inside that VPC");
        expectNothingRegistered(e);
    });

    it("Pulumi.prod.yaml says the placeholder is refused and what to set", () => {
        const text = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
        expect(text).to.match(/PLACEHOLDER, refused as shipped/);
        expect(text).to.include("pulumi config set --stack prod --path 'karpenter-spark:endpointPublicAccessCidrs[0]' <your-egress-ip>/32");
        expect(text).to.include("or [] for a private-only endpoint, with existingVpcId and the deployer inside that VPC");
    });

    it("renders prod with an explicit allow-list (as CI and the README do)", async () => {
        const r = await renderStack({ stack: "prod", config: stackConfigForTests("prod") });
        expect(r.registrations.length).to.be.greaterThan(50);
    });
});
