// Every bad component argument in the table is refused before anything is registered, with a
// message naming the argument and showing the value; never a TypeError.
import { expect } from "chai";
import { KarpenterCluster, SpotExecutorPool } from "../../components";
import { evaluate } from "../../tools/render";
import { CLI_CASES, COMPONENT_CASES, CONFIG_CASES, expectNothingRegistered, mustFail } from "../helpers/refusals";

const construct = (program: () => unknown, region = "us-east-1") =>
    mustFail(() =>
        evaluate(
            () => {
                program();
                return {};
            },
            { stack: "t", config: { "aws:region": region } },
        ),
    );

describe("refusals: component arguments", () => {
    for (const [what, program, key, shown] of COMPONENT_CASES) {
        it(what, async () => {
            const e = await construct(program);
            expect(e.message).to.include(`invalid ${key}: got ${shown};`);
            expectNothingRegistered(e);
        });
    }

    it("reports every problem of a component at once, one line each", async () => {
        const e = await construct(() => new SpotExecutorPool("p", { clusterName: "c", nodeRoleName: "", executorCpuLimit: 0, amiVersion: "latest-ish", executorConsolidateAfter: "soon" }));
        const lines = e.message.split("\n");
        expect(lines.map((l) => /invalid (\w+)/.exec(l)?.[1])).to.have.members(["nodeRoleName", "executorCpuLimit", "executorConsolidateAfter", "amiVersion"]);
        expect(lines.every((l) => l.startsWith('SpotExecutorPool "p": invalid '))).to.equal(true);
    });

    it("suggests the near value where there is one", async () => {
        expect((await construct(() => new KarpenterCluster("c", { natGateways: "OnePerAZ" as any, deletionProtection: false }))).message).to.include('(did you mean "OnePerAz"');
        expect((await construct(() => new KarpenterCluster("c", { region: "us-west-9", deletionProtection: false }))).message).to.match(/did you mean "us-west-[12]"/);
        expect((await construct(() => new KarpenterCluster("c", { kubernetesVersion: "1.3", deletionProtection: false }))).message).to.include('write "1.30" in quotes');
    });

    it("accepts the names at the boundary and refuses one character more", async () => {
        // The longest KarpenterCluster name: "<name>-capacity-reservation-interruption-xxxxxxx" fits EventBridge's 64.
        const longest = 64 - 8 - "-capacity-reservation-interruption".length;
        await evaluate(() => (new KarpenterCluster("k".repeat(longest), { clusterName: "c".repeat(100), deletionProtection: false }), {}), { stack: "t", config: { "aws:region": "us-east-1" } });
        const e = await construct(() => new KarpenterCluster("k".repeat(longest + 1), { clusterName: "c", deletionProtection: false }));
        expect(e.message).to.include(`at most ${longest} characters`);
    });

    it("covers at least 120 bad inputs across components, configs and the CLI, each distinct", () => {
        expect(COMPONENT_CASES.length + CONFIG_CASES.length + CLI_CASES.length).to.be.at.least(120);
        const whats = [...COMPONENT_CASES.map((c) => `${c[0]}|${c[2]}|${c[3]}`), ...CONFIG_CASES.map((c) => `${c[0]}|${c[2]}|${c[3]}`)];
        expect(new Set(whats).size).to.equal(whats.length);
    });
});
