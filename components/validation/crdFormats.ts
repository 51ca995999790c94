// The OpenAPI formats the Karpenter and Spark Operator CRDs use, as the API server checks them
// (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#format).
// A module of its own: the validators tools/crdArtefact.ts generates require it at run time.

/** RFC 3339 date-time, as Kubernetes' strfmt reads it. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export const formats = {
    int32: { type: "number" as const, validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
    int64: { type: "number" as const, validate: (n: number) => Number.isInteger(n) },
    "date-time": { type: "string" as const, validate: (s: string) => DATE_TIME.test(s) },
};
