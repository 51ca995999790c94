// The Karpenter CRD artefact the components validate against at construction
// (components/validation/karpenter-crds.json) is exactly what tools/crdArtefact.ts derives from
// ../shared/fixtures/karpenter, keeps every CEL rule, and every rule it keeps can be evaluated
// by the runtime validator (none is silently skipped).
import { expect } from "chai";
import * as fs from "fs";
import { celRuleGap } from "../../components/validation/crd";
import { CRD_ARTEFACT_FILE, CRD_VALIDATORS_FILE } from "../../components/validation/karpenterCrds";
import { buildCrdArtefact, buildCrdValidators, CRD_FILES } from "../../tools/crdArtefact";
import { describeContract, yamlFixture } from "../helpers/fixtures";

/** Every x-kubernetes-validations rule under a schema node, with its path. */
function rules(node: unknown, path = ""): { path: string; rule: string }[] {
    if (!node || typeof node !== "object") {
        return [];
    }
    const own = ((node as any)["x-kubernetes-validations"] ?? []).map((r: { rule: string }) => ({ path: path || "/", rule: r.rule }));
    return [...own, ...Object.entries(node as object).flatMap(([k, v]) => (k === "x-kubernetes-validations" ? [] : rules(v, `${path}/${k}`)))];
}

describeContract("contract: the Karpenter CRD artefact shipped in components/", () => {
    it("is what tools/crdArtefact.ts derives from the fixtures (run `npm run build:crds` when this fails)", () => {
        expect(JSON.parse(fs.readFileSync(CRD_ARTEFACT_FILE, "utf8"))).to.deep.equal(JSON.parse(JSON.stringify(buildCrdArtefact())));
    });

    it("ships the schemas compiled ahead of time from that artefact (run `npm run build:crds` when this fails)", () => {
        expect(fs.readFileSync(CRD_VALIDATORS_FILE, "utf8")).to.equal(buildCrdValidators(buildCrdArtefact()));
    });

    it("keeps every CEL rule of the NodePool and EC2NodeClass CRDs outside status", () => {
        const artefact = JSON.parse(fs.readFileSync(CRD_ARTEFACT_FILE, "utf8"));
        CRD_FILES.forEach((file, i) => {
            const upstream = yamlFixture(`karpenter/${file}`).spec.versions.find((v: any) => v.served).schema.openAPIV3Schema;
            const expected = rules({ ...upstream, properties: { ...upstream.properties, status: undefined } }).map((r) => r.rule);
            const kept = rules(artefact.crds[i].spec.versions[0].schema.openAPIV3Schema).map((r) => r.rule);
            expect(kept, file).to.deep.equal(expected);
            expect(kept.length, file).to.be.greaterThan(15);
        });
    });

    it("has no rule the runtime CEL environment cannot compile (Kubernetes' quantity(), url() and the like would be listed here)", () => {
        const artefact = JSON.parse(fs.readFileSync(CRD_ARTEFACT_FILE, "utf8"));
        const gaps = artefact.crds.flatMap((crd: any) =>
            rules(crd.spec.versions[0].schema.openAPIV3Schema)
                .map((r) => ({ ...r, gap: celRuleGap(r.rule) }))
                .filter((r) => r.gap !== undefined)
                .map((r) => `${crd.spec.names.kind}${r.path}: ${r.rule}: ${r.gap}`),
        );
        expect(gaps).to.deep.equal([]);
    });
});
