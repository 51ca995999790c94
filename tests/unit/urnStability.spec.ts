// The URNs of the dev and prod renders as they were before KarpenterCluster and SpotExecutorPool
// were split into folders (tests/snapshots/urns.<stack>.txt, written from the pre-split render
// and never regenerated). A URN that disappears makes `pulumi up` delete that resource and create
// a new one: for the cluster, the VPC or the karpenter-crd release that kills every job. Every
// old URN must still be registered, or be named by a registered resource's alias.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { aliasUrn } from "../../tools/mocks";
import { RenderResult } from "../../tools/render";
import { rendered } from "../helpers/render";

const snapshot = (stack: string) =>
    fs
        .readFileSync(path.join(__dirname, "..", "snapshots", `urns.${stack}.txt`), "utf8")
        .split("\n")
        .filter(Boolean);

/** Snapshot URNs that neither exist in the render nor are carried over by an alias. */
export function lostUrns(before: string[], after: RenderResult): string[] {
    const present = new Set(after.registrations.map((r) => r.urn));
    const aliased = new Set(after.registrations.flatMap((r) => r.options.aliases ?? []));
    return before.filter((urn) => !present.has(urn) && !aliased.has(urn));
}

describe("URN stability across the component split", () => {
    for (const stack of ["dev", "prod"]) {
        it(`keeps every pre-split URN of ${stack} (or aliases it)`, async () => {
            const before = snapshot(stack);
            expect(before.length).to.be.greaterThan(50);
            expect(lostUrns(before, await rendered(stack))).to.deep.equal([]);
        });
    }

    it("detects a lost URN, and accepts it when a resource aliases it", async () => {
        const r = await rendered("dev");
        const urn = "urn:pulumi:dev::karpenter-spark::karpenter-spark:index:KarpenterCluster$aws:sqs/queue:Queue::cluster-old-name";
        expect(lostUrns([urn], r)).to.deep.equal([urn]);
        const withAlias: RenderResult = {
            ...r,
            registrations: r.registrations.map((x, i) => (i === 0 ? { ...x, options: { ...x.options, aliases: [urn] } } : x)),
        };
        expect(lostUrns([urn], withAlias)).to.deep.equal([]);
    });

    it("resolves alias specs to the URN the engine would look up", () => {
        const self = {
            type: "kubernetes:helm.sh/v3:Release",
            name: "cluster-karpenter-crd",
            parent: "urn:pulumi:dev::karpenter-spark::karpenter-spark:index:KarpenterCluster::cluster",
            project: "karpenter-spark",
            stack: "dev",
        };
        expect(aliasUrn({ urn: "", spec: { name: "old", type: "", stack: "", project: "", parenturn: "", noparent: false } }, self)).to.equal(
            "urn:pulumi:dev::karpenter-spark::karpenter-spark:index:KarpenterCluster$kubernetes:helm.sh/v3:Release::old",
        );
        expect(aliasUrn({ urn: "", spec: { name: "", type: "", stack: "", project: "", parenturn: "", noparent: true } }, self)).to.equal(
            "urn:pulumi:dev::karpenter-spark::kubernetes:helm.sh/v3:Release::cluster-karpenter-crd",
        );
    });
});
