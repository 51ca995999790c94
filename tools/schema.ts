// The Pulumi package schema of the components, derived the way `pulumi package add` derives it
// (Pulumi's own analyser over this package's TypeScript). `npm run schema` writes schema.json;
// tests/package/schema.spec.ts checks the committed file is current.
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import * as fs from "fs";
import * as path from "path";
import { KarpenterCluster, SparkJob, SparkOperator, SpotExecutorPool } from "../components";
import { createCommand, runCli } from "./cli";

export const ROOT = path.join(__dirname, "..");
export const SCHEMA_FILE = path.join(ROOT, "schema.json");

/** The package name Pulumi derives from package.json's name (and so the type tokens' prefix). */
export const PACKAGE_NAME = "karpenter-spark";

export async function packageSchema(): Promise<Record<string, any>> {
    const provider = new ComponentProvider({ components: [KarpenterCluster, SpotExecutorPool, SparkOperator, SparkJob], name: PACKAGE_NAME, dirname: ROOT });
    return JSON.parse(await provider.getSchema());
}

if (require.main === module) {
    runCli(createCommand("schema", "Write schema.json: the Pulumi package schema of the components, from Pulumi's own analyser."), async () => {
        const started = Date.now();
        const schema = await packageSchema();
        fs.writeFileSync(SCHEMA_FILE, `${JSON.stringify(schema, null, 2)}\n`);
        console.log(`wrote schema.json: ${Object.keys(schema.resources).length} resources, ${Object.keys(schema.types).length} types (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });
}
