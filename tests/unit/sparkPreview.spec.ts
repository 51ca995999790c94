import { expect } from "chai";
import { RenderResult } from "../../tools/render";
import { one, rendered } from "../helpers/render";

// Issue 15, point 15: under the mocks' preview mode (pulumi.runtime.setMocks with preview on, and
// every computed value unknown, as in a preview of a new stack), the History Server and the
// example job still show their names, namespaces and pod specs; only the bucket-dependent values
// are unknown.
describe("SparkOperator in a preview of a new stack (mocks in preview mode)", () => {
    let preview: RenderResult;
    before(async () => {
        preview = await rendered("dev", { "karpenter-spark:deployExampleJob": "true" }, undefined, true);
    });

    it("really runs as a preview: the auto-named bucket's name is unknown", () => {
        expect(preview.outputs.eventLogBucketName).to.equal("[unknown]");
        expect((one(preview, "aws:s3/bucket:Bucket").outputs as any).arn).to.equal("[unknown]");
    });

    it("shows the History Server Deployment's name, namespace and pod spec; only the log directory is unknown", () => {
        const d = one(preview, "kubernetes:apps/v1:Deployment").inputs as any;
        expect(d.metadata).to.deep.include({ name: "spark-history-server", namespace: "spark-operator" });
        const container = d.spec.template.spec.containers[0];
        expect(container.image).to.be.a("string").and.not.equal("[unknown]");
        const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
        expect(env.EVENT_LOG_DIR).to.equal("[unknown]");
        expect(env.SPARK_HISTORY_OPTS).to.include("-Dspark.history.fs.logDirectory=$(EVENT_LOG_DIR)");
    });

    it("shows the SparkApplication's name and namespace", () => {
        const app = one(preview, "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication").inputs as any;
        expect(app.metadata).to.deep.equal({ name: "spark-pi", namespace: "spark-jobs" });
    });
});
