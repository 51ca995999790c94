// `npm run build:crds`: writes components/validation/karpenter-crds.json, the structural schemas
// and CEL rules of the Karpenter v1.14.1 NodePool and EC2NodeClass CRDs (from
// ../shared/fixtures/karpenter) that the components validate what they build against at
// construction. Descriptions and status are dropped (the API server validates neither on create);
// every rule is kept. tests/contract/crdArtefact.spec.ts fails when the file is stale.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CRD_ARTEFACT_FILE } from "../components/validation/karpenterCrds";
import { createCommand, runCli, UserError } from "./cli";

export const KARPENTER_FIXTURES = path.resolve(__dirname, "..", "..", "shared", "fixtures", "karpenter");
/** The CRDs of the objects the components build. */
export const CRD_FILES = ["karpenter.sh_nodepools.yaml", "karpenter.k8s.aws_ec2nodeclasses.yaml"];

type Node = Record<string, any>;

/** The schema without what validation never reads. */
function compact(node: unknown): unknown {
    if (Array.isArray(node)) {
        return node.map(compact);
    }
    if (!node || typeof node !== "object") {
        return node;
    }
    const out: Node = {};
    for (const [k, v] of Object.entries(node as Node)) {
        if (k !== "description") {
            out[k] = compact(v);
        }
    }
    return out;
}

/** The artefact as the fixtures say it should be. */
export function buildCrdArtefact(dir = KARPENTER_FIXTURES): Node {
    const source = fs.readFileSync(path.join(dir, "SOURCE.md"), "utf8");
    const version = /Karpenter version: \*\*(v[0-9.]+)\*\*/.exec(source)?.[1] ?? "unknown";
    const crds = CRD_FILES.map((file) => {
        const text = fs.readFileSync(path.join(dir, file), "utf8");
        const crd = parse(text) as Node;
        return {
            file,
            sha256: createHash("sha256").update(text).digest("hex"),
            spec: {
                group: crd.spec.group,
                scope: crd.spec.scope,
                names: { kind: crd.spec.names.kind },
                versions: crd.spec.versions
                    .filter((v: Node) => v.served)
                    .map((v: Node) => {
                        const { status: _status, ...properties } = v.schema.openAPIV3Schema.properties;
                        return { name: v.name, schema: { openAPIV3Schema: compact({ ...v.schema.openAPIV3Schema, properties }) } };
                    }),
            },
        };
    });
    return { generatedBy: "tools/crdArtefact.ts (npm run build:crds)", karpenterVersion: version, source: "aws/karpenter-provider-aws pkg/apis/crds, via ../shared/fixtures/karpenter", crds };
}

if (require.main === module) {
    runCli(createCommand("build:crds", "Rebuild components/validation/karpenter-crds.json from the Karpenter CRDs in ../shared/fixtures/karpenter."), () => {
        if (!fs.existsSync(KARPENTER_FIXTURES)) {
            throw new UserError(`${KARPENTER_FIXTURES} does not exist: put the shared fixtures beside the repository (../shared/fixtures, see README.md)`);
        }
        const artefact = buildCrdArtefact();
        fs.writeFileSync(CRD_ARTEFACT_FILE, `${JSON.stringify(artefact)}\n`);
        console.log(`wrote ${path.relative(process.cwd(), CRD_ARTEFACT_FILE)}: ${artefact.crds.length} CRDs of Karpenter ${artefact.karpenterVersion} (${(fs.statSync(CRD_ARTEFACT_FILE).size / 1024).toFixed(0)} KiB)`);
    });
}
