// Issue 14, point 6 (the driver never on Spot, tolerations matching their taint) and the pod fit,
// for placements passed as Outputs (another stack's SpotExecutorPool, another language's): the
// same checks run as the Output resolves, so `pulumi preview` fails with the same message as a
// plain value gets at construction. Both paths, under the mocks, in update and preview mode.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { SparkJob, SparkOperator } from "../../components";
import { SparkPodPlacement } from "../../components/pools/placement";
import { InvalidArgumentsError } from "../../components/validation";
import { evaluate } from "../../tools/render";
import { poolPlacements } from "../helpers/placements";
import { mustFail } from "../helpers/refusals";

const { driverPlacement: driver, executorPlacement: executor } = poolPlacements();
const wrongToleration: SparkPodPlacement = { ...executor, tolerations: [{ key: "karpenter-spark.io/spark-role", operator: "Equal", value: "executors", effect: "NoSchedule" }] };

type Placements = { driverPlacement: SparkPodPlacement; executorPlacement: SparkPodPlacement };
const asOutputs = (p: Placements) => ({ driverPlacement: pulumi.output(p.driverPlacement), executorPlacement: pulumi.output(p.executorPlacement) });

const components: [string, (p: Placements | ReturnType<typeof asOutputs>, extra?: object) => unknown][] = [
    ["SparkJob", (p, extra = {}) => new SparkJob("etl", { namespace: "spark-jobs", mainApplicationFile: "s3a://b/app.jar", executorPoolCpuLimit: 1000, region: "us-east-1", ...p, ...extra })],
    ["SparkOperator's example", (p, extra = {}) => new SparkOperator("s", { clusterName: "c", deployExample: true, ...p, ...extra })],
];

const cases: [string, Placements, object, RegExp][] = [
    ["placements swapped (the driver on Spot)", { driverPlacement: executor, executorPlacement: driver }, {}, /invalid driverPlacement: got \{"karpenter\.sh\/nodepool":"p-executors".*allowed: a placement that excludes Spot capacity/],
    ["an executor toleration that misses the taint", { driverPlacement: driver, executorPlacement: wrongToleration }, {}, /invalid executorPlacement\.tolerations: got .*"value":"executors"/],
];

function constructionError(run: () => unknown): string {
    try {
        run();
    } catch (e) {
        if (e instanceof InvalidArgumentsError) {
            return e.message;
        }
        throw e;
    }
    throw new Error("expected the component to refuse its arguments at construction");
}

describe("placements as plain values and as Outputs get the same checks", () => {
    for (const [component, build] of components) {
        for (const [what, placements, extra, reason] of cases) {
            it(`${component}: ${what}: refused at construction (plain) and when the Output resolves (update and preview), with the same message`, async () => {
                const plain = constructionError(() => build(placements, extra));
                expect(plain).to.match(reason);
                for (const preview of [false, true]) {
                    const e = await mustFail(() => evaluate(() => (build(asOutputs(placements), extra), {}), { stack: "t", config: { "aws:region": "us-east-1" }, preview }));
                    expect(e.message, preview ? "preview" : "update").to.equal(plain);
                }
            });
        }

        it(`${component}: a pod too large for its pool, placements as Outputs: refused when they resolve (preview)`, async () => {
            const extra = component === "SparkJob" ? { executorMemory: "600g" } : { exampleExecutorMemory: "600g" };
            const plain = constructionError(() => build({ driverPlacement: driver, executorPlacement: executor }, extra));
            const e = await mustFail(() => evaluate(() => (build(asOutputs({ driverPlacement: driver, executorPlacement: executor }), extra), {}), { stack: "t", config: { "aws:region": "us-east-1" }, preview: true }));
            expect(e.message).to.equal(plain);
            expect(e.message).to.match(/\(the executor pod\): got "940m CPU|\(the executor pod\): got "1880m CPU/);
        });

        it(`${component}: good placements as Outputs render the SparkApplication (update and preview)`, async () => {
            for (const preview of [false, true]) {
                const r = await evaluate(() => (build(asOutputs({ driverPlacement: driver, executorPlacement: executor })), {}), { stack: "t", config: { "aws:region": "us-east-1" }, preview });
                expect(r.registrations.some((x) => x.type === "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication")).to.equal(true);
            }
        });
    }
});
