// Every bad stack config in the table is refused before anything is registered, naming the config
// key (not the component argument behind it) and showing the value.
import { expect } from "chai";
import { readStackConfig, renderStack } from "../../tools/render";
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

    it("refuses prod with a documentation range as its API allow-list, saying what to set", async () => {
        const e = await mustFail(() => renderStack({ stack: "prod", config: { ...readStackConfig("prod"), [`${K}:endpointPublicAccessCidrs`]: '["203.0.113.0/24"]' } }));
        expect(e.message).to.include(`invalid ${K}:endpointPublicAccessCidrs[0]: got "203.0.113.0/24"; allowed: a public range; 203.0.113.0/24 is documentation`);
        expect(e.message).to.include("the public egress CIDRs of the networks `pulumi up` runs from");
        expectNothingRegistered(e);
    });
});
