// A small IAM policy evaluator for identity policies, enough for S3A's requests: explicit Deny
// wins, then any Allow, else implicit deny. Wildcards `*` and `?` in actions and resources;
// condition operators StringEquals, StringLike, their IfExists forms, Null and Bool.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
import { IamPolicyDocument, IamStatement } from "../../components/iamTypes";

export interface Request {
    action: string;
    resource: string;
    context: Record<string, string>;
}

function glob(pattern: string, value: string, caseInsensitive = false): boolean {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseInsensitive ? "is" : "s");
    return re.test(value);
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function conditionHolds(condition: IamStatement["Condition"], context: Record<string, string>): boolean {
    for (const [operator, keys] of Object.entries(condition ?? {})) {
        const ifExists = operator.endsWith("IfExists");
        const op = ifExists ? operator.slice(0, -"IfExists".length) : operator;
        for (const [key, expected] of Object.entries(keys)) {
            const actual = context[key];
            const values = list(expected as string | string[]).map(String);
            if (op === "Null") {
                if ((actual === undefined) !== (values[0] === "true")) {
                    return false;
                }
                continue;
            }
            if (actual === undefined) {
                if (ifExists) {
                    continue;
                }
                return false;
            }
            const match =
                op === "StringEquals" || op === "Bool"
                    ? values.includes(actual)
                    : op === "StringLike"
                      ? values.some((v) => glob(v, actual))
                      : (() => {
                            throw new Error(`the evaluator does not know ${operator}`);
                        })();
            if (!match) {
                return false;
            }
        }
    }
    return true;
}

function applies(s: IamStatement, r: Request): boolean {
    return (
        list(s.Action).some((a) => glob(a, r.action, true)) &&
        list(s.Resource).some((res) => glob(res, r.resource)) &&
        conditionHolds(s.Condition, r.context)
    );
}

export function decide(policy: IamPolicyDocument, r: Request): "allow" | "deny" {
    const matching = policy.Statement.filter((s) => applies(s, r));
    if (matching.some((s) => s.Effect === "Deny")) {
        return "deny";
    }
    return matching.some((s) => s.Effect === "Allow") ? "allow" : "deny";
}
