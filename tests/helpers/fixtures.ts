// The upstream artefacts in ../shared/fixtures, read in place (never copied into the repo).
// In CI (CI=true) a missing fixtures folder fails the contract suites; elsewhere they are
// skipped with a visible message.
import * as fs from "fs";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";

export const FIXTURES = path.resolve(__dirname, "..", "..", "..", "shared", "fixtures");

export function fixturesPresent(): boolean {
    return fs.existsSync(path.join(FIXTURES, "karpenter")) && fs.existsSync(path.join(FIXTURES, "spark-operator")) && fs.existsSync(path.join(FIXTURES, "ec2"));
}

/** `describe` for suites that need the fixtures. */
export function describeContract(title: string, fn: () => void): void {
    if (fixturesPresent()) {
        describe(title, fn);
    } else if (process.env.CI === "true" || process.env.CI === "1") {
        describe(title, () => {
            it("has the upstream fixtures", () => {
                throw new Error(`CI needs ${FIXTURES} (see ../shared/README.md); it is missing`);
            });
        });
    } else {
        describe.skip(`${title} [SKIPPED: ${FIXTURES} not found; CI fails instead]`, fn);
    }
}

export function fixturePath(relative: string): string {
    return path.join(FIXTURES, relative);
}

export function readFixture(relative: string): string {
    return fs.readFileSync(fixturePath(relative), "utf8");
}

export function yamlFixture<T = any>(relative: string): T {
    return parse(readFixture(relative)) as T;
}

export function yamlFixtureDocuments<T = any>(relative: string): T[] {
    return parseAllDocuments(readFixture(relative)).map((d) => d.toJSON() as T);
}

export function jsonFixture<T = any>(relative: string): T {
    return JSON.parse(readFixture(relative)) as T;
}
