// A schema's complaints (zod issues) as one sentence a person can act on: where, then what, for
// the first few. `whole` names the value itself when an issue has no path (the file, the request).

export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export function describeSchemaIssues(issues: readonly SchemaIssue[], whole: string, max = 3): string {
  return issues
    .slice(0, max)
    .map((issue) => `${issue.path.map(String).join('.') || whole}: ${issue.message}`)
    .join('; ');
}
