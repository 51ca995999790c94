// engines.node names exactly the Node.js releases CI tests (.ci/run's NODE_VERSIONS): every tested
// version satisfies it, and every alternative of the range (`^22.12.0 || ^24.0.0`) is tested.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as semver from "semver";
import { ROOT } from "../../tools/stackFiles";

function ciNodeVersions(): string[] {
    const script = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    const m = /^NODE_VERSIONS=\(([^)]*)\)/m.exec(script);
    expect(m, ".ci/run defines NODE_VERSIONS=(...)").to.not.equal(null);
    return m![1].trim().split(/\s+/);
}

describe("toolchain: engines.node and the Node versions CI tests agree", () => {
    const engines: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node;
    const tested = ciNodeVersions();

    it("tests only exact releases, each allowed by engines.node", () => {
        expect(tested.length).to.be.at.least(1);
        for (const v of tested) {
            expect(semver.valid(v), v).to.equal(v);
            expect(semver.satisfies(v, engines), `${v} vs ${engines}`).to.equal(true);
        }
    });

    it("tests every alternative of engines.node", () => {
        const alternatives = new semver.Range(engines).set.map((comparators) => comparators.map((c) => c.value).join(" "));
        for (const alt of alternatives) {
            expect(tested.filter((v) => semver.satisfies(v, alt)), `no tested version for ${alt}`).to.not.deep.equal([]);
        }
    });

    it("runs on a tested major now", () => {
        expect(tested.map((v) => semver.major(v))).to.include(semver.major(process.version));
    });
});
