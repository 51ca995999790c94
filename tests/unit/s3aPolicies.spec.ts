import { expect } from "chai";
import { IamPolicyDocument } from "../../components/iamTypes";
import { DataAccess, driverEventLogRequests, executorDataRequests, historyServerRequests, S3Request, s3aPrefixStatements } from "../../components/spark/s3a";
import { RenderResult } from "../../tools/render";
import { decide } from "../helpers/iamEvaluator";
import { ofType, one, rendered } from "../helpers/render";

const policyOf = (r: RenderResult, roleName: string): IamPolicyDocument =>
    JSON.parse(ofType(r, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${roleName}-policy`)!.inputs.policy as string);

const refused = (policy: IamPolicyDocument, requests: S3Request[]) => requests.filter((q) => decide(policy, q) === "deny").map((q) => `${q.action} ${q.resource} ${JSON.stringify(q.context)} (${q.why})`);
const granted = (policy: IamPolicyDocument, requests: S3Request[]) => requests.filter((q) => decide(policy, q) === "allow").map((q) => `${q.action} ${q.resource} ${JSON.stringify(q.context)}`);

/** Requests no event-log role may make. */
function outsideEventLogs(bucket: string): S3Request[] {
    const q = (action: string, resource: string, context: Record<string, string> = {}) => ({ action, resource, context, why: "outside" });
    return [
        q("s3:ListBucket", bucket, { "s3:prefix": "" }),
        q("s3:ListBucket", bucket, { "s3:prefix": "other/" }),
        q("s3:ListBucket", bucket, { "s3:prefix": "spark-events-old/" }),
        q("s3:GetObject", `${bucket}/other/data.csv`),
        q("s3:GetObject", `${bucket}/spark-events-old/app`),
        q("s3:PutObject", `${bucket}/other/x`),
        q("s3:DeleteObject", `${bucket}/other/x`),
        q("s3:DeleteBucket", bucket),
        q("s3:PutBucketPolicy", bucket),
        q("s3:PutLifecycleConfiguration", bucket),
        q("s3:GetObject", "arn:aws:s3:::another-bucket/spark-events/app"),
    ];
}

describe("S3A IAM policies, evaluated over S3A's request sequences", () => {
    let dev: RenderResult;
    let bucket: string;
    before(async () => {
        dev = await rendered("dev");
        bucket = `arn:aws:s3:::${dev.outputs.eventLogBucketName}`;
    });

    it("the evaluator denies what no statement allows and lets an explicit Deny win (it can fail)", () => {
        const p: IamPolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::b/p/*" },
                { Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/p/secret" },
                { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", Condition: { StringLike: { "s3:prefix": ["p/*"] } } },
            ],
        };
        expect(decide(p, { action: "s3:GetObject", resource: "arn:aws:s3:::b/p/x", context: {} })).to.equal("allow");
        expect(decide(p, { action: "s3:GetObject", resource: "arn:aws:s3:::b/p/secret", context: {} })).to.equal("deny");
        expect(decide(p, { action: "s3:GetObject", resource: "arn:aws:s3:::b/q/x", context: {} })).to.equal("deny");
        expect(decide(p, { action: "s3:ListBucket", resource: "arn:aws:s3:::b", context: {} })).to.equal("deny");
        expect(decide(p, { action: "s3:ListBucket", resource: "arn:aws:s3:::b", context: { "s3:prefix": "p/a" } })).to.equal("allow");
    });

    it("driver: the jobs' role allows every request of S3A's rolling event-log sequence", () => {
        expect(refused(policyOf(dev, "spark-event-log-writer"), driverEventLogRequests(bucket, "spark-events", "spark-0123"))).to.deep.equal([]);
    });

    it("driver and executors: the jobs' role allows nothing outside the prefix, and cannot delete or overwrite the directory marker", () => {
        const writer = policyOf(dev, "spark-event-log-writer");
        const marker = ["s3:DeleteObject", "s3:PutObject"].map((action) => ({ action, resource: `${bucket}/spark-events/`, context: {}, why: "marker" }));
        expect(granted(writer, [...outsideEventLogs(bucket), ...marker])).to.deep.equal([]);
    });

    it("History Server: its role allows S3A's listing and reading sequence, and nothing that writes or leaves the prefix", () => {
        const reader = policyOf(dev, "spark-history-reader");
        expect(refused(reader, historyServerRequests(bucket, "spark-events", "spark-0123"))).to.deep.equal([]);
        const writes = driverEventLogRequests(bucket, "spark-events", "spark-0123").filter((q) => /Put|Delete|Abort/.test(q.action));
        expect(writes.length).to.be.greaterThan(3);
        expect(granted(reader, [...writes, ...outsideEventLogs(bucket)])).to.deep.equal([]);
    });

    it("executors with a data grant: read allows S3A's read sequence only; read-write its write sequence too, both only under the prefix", () => {
        const data = "arn:aws:s3:::team-data";
        const doc = (access: DataAccess): IamPolicyDocument => ({ Version: "2012-10-17", Statement: s3aPrefixStatements("Data", data, "sales/2026", access) });
        expect(refused(doc(DataAccess.Read), executorDataRequests(data, "sales/2026", DataAccess.Read))).to.deep.equal([]);
        expect(refused(doc(DataAccess.ReadWrite), executorDataRequests(data, "sales/2026", DataAccess.ReadWrite))).to.deep.equal([]);
        const writes = executorDataRequests(data, "sales/2026", DataAccess.ReadWrite).filter((q) => /Put|Delete|Abort|Uploads/.test(q.action));
        expect(granted(doc(DataAccess.Read), writes)).to.deep.equal([]);
        const neighbours = executorDataRequests(data, "sales/2025", DataAccess.ReadWrite).filter((q) => q.context["s3:prefix"] !== undefined || !q.action.includes("List"));
        expect(granted(doc(DataAccess.ReadWrite), neighbours)).to.deep.equal([]);
        expect(granted(doc(DataAccess.ReadWrite), executorDataRequests(data, "sales/2026x", DataAccess.Read).filter((q) => !q.action.includes("List") || q.context["s3:prefix"]))).to.deep.equal([]);
    });
});

/** S3 lifecycle as the service applies it to one current object (filters: prefix and size, both must hold). */
function expires(rules: any[], o: { key: string; size: number; ageDays: number }): boolean {
    return rules.some((r) => {
        const f = r.filter ?? {};
        const matches = (f.prefix === undefined || o.key.startsWith(f.prefix)) && (f.objectSizeGreaterThan === undefined || o.size > f.objectSizeGreaterThan);
        return r.status === "Enabled" && matches && r.expiration?.days !== undefined && o.ageDays >= r.expiration.days;
    });
}

describe("Event-log directory marker", () => {
    it("creates the zero-byte spark-events/ marker in the bucket, after versioning", async () => {
        const dev = await rendered("dev");
        const marker = one(dev, "aws:s3/bucketObjectv2:BucketObjectv2");
        expect(marker.inputs).to.include({ key: "spark-events/", content: "" });
        expect(marker.dependencies).to.include(one(dev, "aws:s3/bucketVersioning:BucketVersioning").urn);
    });

    it("the lifecycle rules expire event logs after the retention days but never the marker", async () => {
        for (const [stack, days] of [["dev", 7], ["prod", 90]] as const) {
            const rules = (one(await rendered(stack), "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs as any).rules;
            expect(expires(rules, { key: "spark-events/", size: 0, ageDays: 10 * days })).to.equal(false);
            expect(expires(rules, { key: "spark-events/eventlog_v2_a/events_1_a", size: 1024, ageDays: days })).to.equal(true);
            expect(expires(rules, { key: "spark-events/eventlog_v2_a/events_1_a", size: 1024, ageDays: days - 1 })).to.equal(false);
        }
    });
});
