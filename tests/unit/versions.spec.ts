import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    compatibilityMarkdown,
    KARPENTER_COMPATIBILITY_SOURCE,
    KARPENTER_KUBERNETES_SUPPORT,
    kubernetesSupportProblem,
    supportedKubernetesVersions,
} from "../../components/karpenter/versions";

describe("Karpenter / Kubernetes compatibility table", () => {
    it("takes Karpenter 1.13 and 1.14 to Kubernetes 1.36, as Karpenter's matrix says", () => {
        expect(kubernetesSupportProblem("1.14.1", "1.36")).to.equal(undefined);
        expect(kubernetesSupportProblem("1.13.0", "1.36")).to.equal(undefined);
        expect(kubernetesSupportProblem("1.12.2", "1.36")).to.match(/Karpenter 1.12 supports: 1.26 to 1.35/);
        expect(kubernetesSupportProblem("1.14.1", "1.26")).to.equal(undefined);
        expect(kubernetesSupportProblem("1.14.1", "1.25")).to.match(/1.26 to 1.36/);
    });

    it("lists the supported minors of a release, and nothing for one it does not know", () => {
        expect(supportedKubernetesVersions("1.14.1")).to.deep.equal(["1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"]);
        expect(supportedKubernetesVersions("1.5.0")).to.deep.equal(["1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33"]);
        expect(supportedKubernetesVersions("1.15.0")).to.equal(undefined);
    });

    it("never narrows from one minor to the next (each release supports what the previous did at the top)", () => {
        const minors = Object.keys(KARPENTER_KUBERNETES_SUPPORT);
        for (let i = 1; i < minors.length; i++) {
            expect(KARPENTER_KUBERNETES_SUPPORT[minors[i]].max, minors[i]).to.be.at.least(KARPENTER_KUBERNETES_SUPPORT[minors[i - 1]].max);
        }
    });

    it("is what the README shows, with its source", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        expect(readme).to.include(compatibilityMarkdown());
        expect(KARPENTER_COMPATIBILITY_SOURCE).to.match(/^https:\/\/karpenter\.sh\/v1\.14\/upgrading\/compatibility\//);
    });
});
